"""LeakyReLU, the layer added as one file: found by the registry, trained the same by both
engines, saved and loaded, its gradient checked against finite differences."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import nn
from autograd import Value
from autograd.errors import ConfigError
from nn.keras import layers


def model(compiled: bool | None = None) -> nn.keras.Sequential:
    m = nn.keras.Sequential([layers.Dense(5, input_shape=(3,)), layers.LeakyReLU(0.2),
                             layers.Dense(2, "softmax")], seed=1)
    m.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    if compiled is not None:
        rng = np.random.default_rng(0)
        m.fit(rng.normal(size=(20, 3)), rng.integers(0, 2, 20), epochs=3, batch_size=4,
              verbose=0, seed=2, compiled=compiled)
    return m


def test_found_by_name_and_from_an_import():
    from nn.keras.layers import LeakyReLU

    assert layers.LeakyReLU is LeakyReLU and LeakyReLU().negative_slope == 0.3
    assert LeakyReLU(alpha=0.1).negative_slope == 0.1  # Keras 2's name
    with pytest.raises(ConfigError, match="negative_slope must be a number >= 0, got -1"):
        LeakyReLU(-1)


def test_both_engines_agree():
    for wa, wb in zip(model(True).get_weights(), model(False).get_weights()):
        np.testing.assert_allclose(wa, wb, rtol=0, atol=1e-9)


@settings(max_examples=30, deadline=None)
@given(st.floats(-5, 5).filter(lambda x: abs(x) > 1e-3), st.floats(0, 1))
def test_values_and_gradient(x, slope):
    layer = layers.LeakyReLU(slope)
    layer.build((None, 1))
    v = Value(x)
    out = layer.call([v])[0]
    out.backward()
    assert out.data == pytest.approx(x if x > 0 else slope * x)
    h = 1e-6
    f = [layer.call([Value(x + d)])[0].data for d in (h, -h)]
    assert v.grad == pytest.approx((f[0] - f[1]) / (2 * h), abs=1e-6)


def test_summary_and_files(tmp_path, capsys):
    m = model(True)
    m.summary()
    assert "leaky_re_lu (LeakyReLU)" in capsys.readouterr().out
    m.save(tmp_path / "m.json")
    again = nn.keras.models.load_model(tmp_path / "m.json")
    assert again.layers[1].negative_slope == 0.2
    X = np.ones((2, 3))
    np.testing.assert_array_equal(again.predict(X), m.predict(X))
