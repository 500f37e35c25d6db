"""The fit callback, driven directly through Keras' callback protocol: compiled and scalar
training, the boundary against predict, gradient norms against the trained model."""

from __future__ import annotations

import math

import numpy as np
import pytest

import nn
from autograd.errors import ConfigError
from autograd.lab.live.boundary import Grid
from autograd.lab.live.callback import LiveCallback
from autograd.lab.live.params import ArraySource, ValueSource
from nn.keras import Dense, Sequential


def make_model(seed: int = 0) -> Sequential:
    model = Sequential([Dense(8, activation="relu", input_shape=(2,)),
                        Dense(8, activation="tanh"), Dense(1, activation="sigmoid")], seed=seed)
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    return model


def drive(model: Sequential, X: np.ndarray, y: np.ndarray, compiled: bool,
          batches: int = 3) -> LiveCallback:
    """What fit does with a callback: one fit per batch stands in for fit's own loop."""
    cb = LiveCallback(X, y, rate=1000.0, budget=1.0)  # redraw at every step
    cb.set_model(model)
    cb.on_train_begin()
    for k in range(batches):
        model.fit(X, y, epochs=1, batch_size=len(X), verbose=0, compiled=compiled, shuffle=False)
        cb.on_batch_end(k, {"loss": 0.5 - 0.1 * k, "accuracy": 0.5})
    cb.on_epoch_end(0, {"loss": 0.3, "accuracy": 0.6, "val_loss": 0.4})
    cb.on_train_end()
    return cb


def direct_norms(model: Sequential) -> list[float]:
    return [math.sqrt(sum(p.grad ** 2 for n in layer.neurons for p in [*n.w, n.b]))
            for layer in model.layers]


@pytest.mark.parametrize("compiled", [True, False])
def test_grad_norms_and_boundary_follow_the_model(compiled):
    X, labels = nn.datasets.moons(40, noise=0.1, seed=1)
    model = make_model()
    cb = drive(model, X, labels, compiled)
    assert isinstance(cb._source, ArraySource if compiled else ValueSource)
    run = cb.history
    latest = run.latest
    assert [r["grad_norm"] for r in latest["layers"]] == pytest.approx(direct_norms(model),
                                                                         rel=1e-9)
    assert [r["name"] for r in latest["layers"]] == ["dense", "dense_1", "dense_2"]
    frame = latest["boundary"]
    grid = Grid(frame["x"][0], frame["x"][1], frame["y"][0], frame["y"][1], frame["size"])
    expected = model.predict(grid.points(), compiled=False)[:, 0]
    assert frame["threshold"] == 0.5 and frame["z"] == pytest.approx(expected, abs=1e-4)
    assert [row[:3] for row in run.steps] == [[0, 0, 0.5], [1, 0, 0.4], [2, 0, 0.3]]
    assert run.epochs == [{"epoch": 0, "step": 2, "loss": 0.3, "accuracy": 0.6, "val_loss": 0.4}]
    assert len(run.frames) == 1 and run.state == "finished"


def test_sample_graph_is_trace_sample_and_leaves_grads_alone():
    X, labels = nn.datasets.moons(20, noise=0.1, seed=2)
    model = make_model(1)
    cb = drive(model, X, labels, compiled=True, batches=1)
    grads = [p.grad for p in model.parameters()]
    cb.watcher.controls.pick(4)
    cb.watcher.after_step(1, 0, {"loss": 0.1}, cb._source)
    assert [p.grad for p in model.parameters()] == grads
    sample = cb.history.latest["sample"]
    expected = model.trace_sample(X[4], labels[4])
    assert sample["index"] == 4 and sample["loss"] == pytest.approx(expected.data)
    assert cb.history.shapes[sample["key"]].collapse  # 2-8-8-1: one box per neuron


def test_compiled_and_scalar_views_agree():
    X, labels = nn.datasets.moons(30, noise=0.1, seed=3)
    a = drive(make_model(2), X, labels, compiled=True).history.latest
    b = drive(make_model(2), X, labels, compiled=False).history.latest
    assert [r["grad_norm"] for r in a["layers"]] == pytest.approx(
        [r["grad_norm"] for r in b["layers"]], rel=1e-6)
    assert a["boundary"]["z"] == pytest.approx(b["boundary"]["z"], abs=1e-3)
    assert a["sample"]["loss"] == pytest.approx(b["sample"]["loss"], rel=1e-9)


@pytest.mark.parametrize("compiled", [True, False])
def test_fit_live_records_every_batch_and_one_frame_per_epoch(tmp_path, compiled):
    X, labels = nn.datasets.moons(64, noise=0.1, seed=4)
    model = make_model(3)
    history = model.fit(X, labels, epochs=3, batch_size=16, verbose=0, compiled=compiled,
                        validation_data=(X[:16], labels[:16]), live="quiet")
    run = history.live
    assert [row[0] for row in run.steps] == list(range(12))  # 4 batches x 3 epochs
    assert [e["epoch"] for e in run.epochs] == [0, 1, 2] and len(run.frames) == 3
    assert [e["val_loss"] for e in run.epochs] == pytest.approx(history.history["val_loss"])
    assert run.epochs[-1]["loss"] == pytest.approx(history.history["loss"][-1])
    assert [r["grad_norm"] for r in run.latest["layers"]] == pytest.approx(direct_norms(model),
                                                                             rel=1e-9)
    page = history.save_html(tmp_path / "fit.html").read_text(encoding="utf-8")
    assert 'registerPanel("live"' in page and '"val_loss"' in page


def test_fit_live_settings_are_checked():
    X, labels = nn.datasets.moons(8, noise=0.1, seed=0)
    model = make_model()
    with pytest.raises(ConfigError, match="live must be"):
        model.fit(X, labels, epochs=1, verbose=0, live="loud")
    history = model.fit(X, labels, epochs=1, verbose=0)
    with pytest.raises(ConfigError, match="live=True"):
        history.save_html("never.html")


def test_layers_without_weights_are_passed_over_and_a_nested_model_joins_by_path():
    import nn
    from autograd.lab.live.model_layers import layer_groups
    from nn.keras import layers

    inner = nn.keras.Sequential([layers.Dense(2, "tanh")], name="inner")
    model = nn.keras.Sequential([layers.Flatten(input_shape=(2, 2)), layers.Dense(3, "relu"),
                                 layers.Dropout(0.5), inner, layers.Dense(1)])
    groups = layer_groups(model)
    assert [(g.activation, len(g.params), g.units) for g in groups] == [
        ("relu", 15, 3), ("tanh", 8, 2), ("linear", 3, 1)]
    assert groups[1].name.startswith("inner/")
    assert sum(len(g.params) for g in groups) == len(model.parameters())
