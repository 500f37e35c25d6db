"""fit on bad data and on training that diverges: every input checked before training,
a step that turns the loss or a weight NaN/inf stopped with the model as before that
step (on both engines), and the verbs' arguments checked as Keras users pass them."""

from __future__ import annotations

import io

import numpy as np
import pytest

import nn
from autograd.errors import ConfigError, InputTypeError, NonFiniteError


def regression(dtype="float64", optimizer="adam", seed=0):
    model = nn.Sequential([nn.Dense(4, "relu", input_shape=(2,)), nn.Dense(1)], seed=seed)
    model.compile(optimizer=optimizer, loss="mse", dtype=dtype)
    return model


def data(n=16, seed=1):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 2))
    return X, X @ [1.5, -2.0] + 0.5


# -- inputs checked before training -------------------------------------------------------------


@pytest.mark.parametrize("X, error, message", [
    (np.zeros((0, 2)), ConfigError, "fit: X is empty \\(0 samples\\)"),
    ([], ConfigError, "fit: X is empty"),
    (np.array([[1 + 2j, 0.0]]), InputTypeError, "X holds complex numbers"),
    ([[1.0, 2j]], InputTypeError, "X holds complex numbers"),
    ([["1", "2"]], InputTypeError, "X must hold numbers only, got text"),
    ([[1, 10**400]], ConfigError, "X holds an integer too large for a float"),
    ([[0.0, np.inf]], ConfigError, "X row 0 holds NaN or inf \\(inf in column 1\\)"),
    (np.zeros((2, 2, 2)), ConfigError, "flatten each sample: X.reshape\\(len\\(X\\), -1\\)"),
])
def test_bad_inputs_are_refused_before_training(X, error, message):
    model = regression()
    before = model.state_dict()
    with pytest.raises(error, match=message):
        model.fit(X, np.zeros(len(X)), verbose=0)
    assert model.state_dict() == before


def test_empty_inputs_to_evaluate_and_predict():
    model = regression()
    with pytest.raises(ConfigError, match="evaluate: X is empty"):
        model.evaluate(np.zeros((0, 2)), [])
    with pytest.raises(ConfigError, match="predict: X is empty"):
        model.predict(np.zeros((0, 2)))


def test_inputs_beyond_float32s_range_are_refused_for_a_float32_model():
    X, y = data()
    X[3, 1] = 1e39
    with pytest.raises(ConfigError, match="X row 3 holds 1e\\+39 \\(column 1\\), beyond "
                                          "float32's range"):
        regression("float32").fit(X, y, verbose=0)
    X[3, 1], y[5] = 0.0, -1e39
    with pytest.raises(ConfigError, match="y row 5 holds -1e\\+39"):
        regression("float32").fit(X, y, verbose=0)
    regression("float64").fit(X, y, verbose=0, epochs=0)  # fine in float64


def test_float32_overflow_in_the_first_rows_is_named_not_a_compile_error():
    X = np.full((8, 2), 1e30)  # in float32's range; its square is not
    with pytest.raises(ConfigError, match="sample 0 overflows float32: node #\\d+ \\(pow\\)"):
        regression("float32").fit(X, np.ones(8), verbose=0)


# -- a step that turns to NaN/inf: stopped, the model as before the step -------------------


@pytest.mark.parametrize("optimizer", ["adam", "keras"], ids=["staged", "copied"])
@pytest.mark.parametrize("compiled", [True, False], ids=["compiled", "scalar"])
def test_a_diverging_step_stops_losslessly(compiled, optimizer):
    """Compiled steps of a plain optimizer are staged and dropped; a Keras one (it wraps
    its rule) and the scalar engine are copied before each step and put back."""
    X, y = data(16)
    bad = X.copy()
    bad[8:12] = 1e308  # the third batch of four overflows
    make = (lambda: "adam") if optimizer == "adam" else nn.keras.optimizers.Adam
    a, b = regression(optimizer=make()), regression(optimizer=make())
    with pytest.raises(NonFiniteError) as err:
        a.fit(bad, y, epochs=3, batch_size=4, shuffle=False, verbose=0, compiled=compiled)
    message = str(err.value)
    assert err.value.history.epoch == []  # it stopped in the first epoch
    assert "fit stopped in epoch 1/3, batch 3/4" in message
    assert "parameter 'layers." in message and "Largest |input| in the batch: 1e+308" in message
    assert all(np.isfinite(list(a.state_dict().values())))
    # lossless: the first two steps stand, the third never happened, the optimizer agrees
    b.fit(X[:8], y[:8], epochs=1, batch_size=4, shuffle=False, verbose=0, compiled=compiled)
    assert a.state_dict() == b.state_dict()
    assert a.optimizer.t == b.optimizer.t == 2
    for model in (a, b):
        model.fit(X, y, epochs=2, batch_size=4, shuffle=False, verbose=0, compiled=compiled)
    assert a.state_dict() == b.state_dict()


class InterruptedAdam(nn.optim.Adam):
    """Adam whose third update is stopped by Ctrl-C half way (after the moments)."""

    def _adam(self, x, g, state, tmp, k, x0, state0):
        if self.t == 3:
            m, v = state
            m[...], v[...] = 1e9, 1e9  # written, then interrupted before x
            raise KeyboardInterrupt
        super()._adam(x, g, state, tmp, k, x0, state0)


def test_ctrl_c_inside_a_staged_update_leaves_the_step_undone():
    X, y = data(16)
    a, b = regression(optimizer=InterruptedAdam()), regression()
    with pytest.raises(KeyboardInterrupt):
        a.fit(X, y, epochs=1, batch_size=4, shuffle=False, verbose=0)
    b.fit(X[:8], y[:8], epochs=1, batch_size=4, shuffle=False, verbose=0)
    assert a.state_dict() == b.state_dict()
    assert a.optimizer.t == b.optimizer.t == 2
    assert np.array_equal(a.optimizer._m, b.optimizer._m)
    assert np.array_equal(a.optimizer._v, b.optimizer._v)


def test_huge_finite_inputs_no_longer_destroy_the_model():
    X, y = data(8)
    model = regression(optimizer="sgd")
    before = model.state_dict()
    with pytest.raises(NonFiniteError, match="epoch 1/5, batch 1/1"):
        model.fit(X * 1e308, y, epochs=5, batch_size=8, verbose=0)
    assert model.state_dict() == before


def test_the_error_is_a_floating_point_error_and_ends_the_progress_bar(capsys):
    X, y = data(8)
    with pytest.raises(FloatingPointError):
        regression().fit(X * 1e308, y, verbose=1)
    assert "Epoch 1/1" not in capsys.readouterr().err  # no half epoch line


# -- the verbs' arguments ---------------------------------------------------------------------


def test_numpy_integers_are_accepted():
    X, y = data(8)
    history = regression().fit(X, y, epochs=np.int64(2), batch_size=np.int32(4), verbose=0)
    assert history.epoch == [0, 1]
    assert regression().predict(X, batch_size=np.int64(3)).shape == (8, 1)


@pytest.mark.parametrize("kw, message", [
    ({"compiled": "no"}, "compiled must be True or False, got 'no'"),
    ({"compiled": 0}, "compiled must be True or False, got 0"),
    ({"shuffle": "yes"}, "shuffle must be True or False"),
    ({"epochs": 2.0}, "epochs must be an int >= 0, got 2.0"),
    ({"batch_size": np.bool_(True)}, "batch_size must be an int >= 1"),
    ({"validation_split": 1.0}, "validation_split must be a number in \\[0, 1\\)"),
    ({"validation_split": 0.99}, "0.99 of 8 samples leaves no training samples"),
])
def test_bad_arguments_are_refused(kw, message):
    X, y = data(8)
    with pytest.raises(ConfigError, match=message):
        regression().fit(X, y, verbose=0, **kw)
    if "compiled" in kw:
        with pytest.raises(ConfigError, match=message):
            regression().predict(X, compiled=kw["compiled"])


def test_batch_size_none_is_keras_32():
    X, y = data(70)
    model = regression()
    model.fit(X, y, batch_size=None, verbose=0)
    assert model.optimizer.t == 3  # ceil(70 / 32) steps


# -- categorical targets ----------------------------------------------------------------------


def classifier(loss):
    model = nn.Sequential([nn.Dense(3, "softmax", input_shape=(2,))], seed=0)
    model.compile(optimizer="adam", loss=loss)
    return model


@pytest.mark.parametrize("y, message", [
    ([[1, 0, 0], [-1, 1, 1]], "y row 1 is \\[-1, 1, 1\\] \\(sum 1\\)"),
    ([[0.5, 0.2, 0.0], [0, 1, 0]], "y row 0 is \\[0.5, 0.2, 0\\] \\(sum 0.7\\)"),
    ([[2, 0, 0], [0, 1, 0]], "one-hot or probability rows"),
])
def test_categorical_rows_must_be_distributions(y, message):
    with pytest.raises(ConfigError, match=message):
        classifier("categorical_crossentropy").fit([[0, 0], [1, 1]], y, verbose=0)


def test_probability_rows_and_float32_one_hot_rows_are_fine():
    y = np.array([[0.2, 0.3, 0.5], [0, 1, 0]], dtype=np.float32)
    classifier("categorical_crossentropy").fit([[0, 0], [1, 1]], y, verbose=0)


@pytest.mark.parametrize("y, message", [([0, -1], "label -1 at index 1"),
                                        ([0, 3], "label 3 at index 1"),
                                        ([0.0, 1.5], "label 1.5 at index 1")])
def test_sparse_class_ids_must_be_classes(y, message):
    with pytest.raises(ConfigError, match=message):
        classifier("sparse_categorical_crossentropy").fit([[0, 0], [1, 1]], y, verbose=0)


# -- progress output ------------------------------------------------------------------------


def test_a_log_file_gets_exactly_one_line_per_epoch(capsys):
    X, y = data(40)
    regression().fit(X, y, epochs=3, batch_size=8, verbose=1)
    err = capsys.readouterr().err
    lines = err.splitlines()
    assert len(lines) == 3 and "\r" not in err
    assert [line.split(" - ")[0] for line in lines] == ["Epoch 1/3", "Epoch 2/3", "Epoch 3/3"]
    assert all(" - loss: " in line for line in lines)


class Terminal(io.StringIO):
    def isatty(self):
        return True


def test_a_terminal_keeps_the_progress_bar(monkeypatch):
    terminal = Terminal()
    monkeypatch.setattr("sys.stderr", terminal)
    X, y = data(40)
    regression().fit(X, y, epochs=2, batch_size=8, verbose=1)
    out = terminal.getvalue()
    assert "\r" in out and "5/5" in out and "Epoch 2/2" in out


def test_evaluate_prints_one_line_when_asked(capsys):
    X, y = data(10)
    model = regression()
    loss = model.evaluate(X, y, verbose=2)
    out = capsys.readouterr()
    assert out.err == "" and out.out.startswith("evaluate - 10 samples - ")
    assert out.out.rstrip().endswith(f"loss: {loss:.4f}")
    model.evaluate(X, y, verbose=1, compiled=False)  # no bar in a log: one line on stderr
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1 and "\r" not in err and "loss: " in err
