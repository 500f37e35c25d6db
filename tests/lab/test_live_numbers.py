"""The live view's numbers equal direct computations: gradient norms, dead units, the
decision boundary, the sample's graph; and the view leaves training's gradients alone."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd
import nn
from autograd.errors import ConfigError, InputTypeError
from autograd.lab.live.boundary import Grid
from autograd.lab.live.monitor import Monitor
from autograd.lab.live.stats import SATURATED


def hinge_step(model: nn.MLP, X: np.ndarray, y: np.ndarray) -> autograd.Value:
    """micrograd's moons loss on the batch, after a fresh backward."""
    scores = [model(x) for x in X.tolist()]
    loss = nn.hinge(scores, y.tolist())
    model.zero_grad()
    loss.backward()
    return loss


def direct_norms(model: nn.MLP) -> list[float]:
    return [math.sqrt(sum(p.grad ** 2 for n in layer.neurons for p in [*n.w, n.b]))
            for layer in model.layers]


def layer_outputs(model: nn.MLP, X: np.ndarray) -> list[np.ndarray]:
    """Each layer's outputs per sample, by the scalar engine, one sample at a time."""
    per_layer: list[list[list[float]]] = [[] for _ in model.layers]
    with autograd.no_grad():
        for row in X.tolist():
            xs = [autograd.Value(v) for v in row]
            for i, layer in enumerate(model.layers):
                xs = layer._forward(xs)
                per_layer[i].append([v.data for v in xs])
    return [np.array(rows) for rows in per_layer]


def moons(n: int = 40, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    X, labels = nn.datasets.moons(n, noise=0.1, seed=seed)
    return X, 2.0 * labels - 1.0


@settings(max_examples=15)
@given(seed=st.integers(0, 10_000), hidden=st.lists(st.integers(1, 6), min_size=1, max_size=3),
       activation=st.sampled_from(["relu", "sigmoid", "tanh"]))
def test_grad_norms_and_activity_equal_a_direct_computation(seed, hidden, activation):
    X, y = moons(24, seed)
    model = nn.MLP(2, [*hidden, 1], activation=activation, seed=seed)
    monitor = Monitor(X, y)
    hinge_step(model, X, y)
    grads_before = [p.grad for p in model.parameters()]
    monitor.update(loss=1.0, model=model, step=0)
    layers = monitor.history.latest["layers"]
    assert [p.grad for p in model.parameters()] == grads_before  # the view drew, grads intact
    assert [r["grad_norm"] for r in layers] == pytest.approx(direct_norms(model), rel=1e-12)
    outs = layer_outputs(model, X)
    for row, a, layer in zip(layers, outs, model.layers):
        kind = layer.neurons[0].activation
        if kind == "linear":
            assert "dead" not in row
            continue
        off = {"relu": a <= 0, "sigmoid": a * (1 - a) < SATURATED,
               "tanh": 1 - a * a < SATURATED}[kind]
        dead = sum(all(off[:, j]) for j in range(a.shape[1])) / a.shape[1]
        assert row["dead"] == pytest.approx(dead)
        assert row["inactive"] == pytest.approx(off.sum() / off.size)


def test_a_dead_relu_layer_counts_as_dead():
    X, y = moons(20)
    model = nn.MLP(2, [4, 1], seed=0)
    for neuron in model.layers[0].neurons[:3]:  # three units that never fire on this data
        neuron.b.data = -100.0
    monitor = Monitor(X, y)
    hinge_step(model, X, y)
    monitor.update(loss=1.0, model=model)
    first = monitor.history.latest["layers"][0]
    assert first["dead"] >= 0.75 and first["grad_norm"] >= 0.0


def test_boundary_grid_equals_the_models_predictions_micrograd_mlp():
    X, y = moons(30)
    model = nn.MLP(2, [8, 8, 1], seed=3)
    monitor = Monitor(X, y)
    hinge_step(model, X, y)
    monitor.update(loss=0.5, model=model)
    frame = monitor.history.latest["boundary"]
    grid = Grid(frame["x"][0], frame["x"][1], frame["y"][0], frame["y"][1], frame["size"])
    with autograd.no_grad():
        expected = [model(p).data for p in grid.points().tolist()]
    assert frame["kind"] == "score" and frame["threshold"] == 0.0  # labels -1 / +1
    assert frame["z"] == pytest.approx(expected, abs=1e-4)


def test_monitor_without_a_layer_list_still_draws_and_the_loss_graph_has_grads():
    X, y = np.array([[1.0, 0.0], [0.0, 1.0]]), np.array([1.0, -1.0])
    w = [autograd.Value(0.3, label="w0"), autograd.Value(-0.2, label="w1")]

    class Line:
        def parameters(self):
            return w

        def __call__(self, x):
            return autograd.dot(w, x)

    monitor = Monitor(X, y, sample_loss=lambda out, t: (out - t) ** 2)
    monitor.update(loss=autograd.Value(2.0), model=Line(), step=5, accuracy=0.5)
    latest = monitor.history.latest
    assert [r["name"] for r in latest["layers"]] == ["model"]
    # the sample shown first has the largest loss: sample 1, out = -0.2, loss = (-0.2 + 1)^2
    # = 0.64 (sample 0's is (0.3 - 1)^2 = 0.49); d loss / d w1 = 2 * (-0.2 + 1) * 1
    texts = {(box, field): text for box, field, text in latest["sample"]["set"]}
    assert latest["sample"]["index"] == 1 and latest["sample"]["loss"] == pytest.approx(0.64)
    assert "1.6000" in [t for (box, field), t in texts.items() if field == "grad"]
    assert monitor.history.steps == [[5, 0, 2.0, 0.5]]
    assert [p.grad for p in w] == [0.0, 0.0]


def test_picking_a_sample_redraws_its_graph():
    X, y = moons(10)
    model = nn.MLP(2, [3, 1], seed=1)
    monitor = Monitor(X, y, sample_loss=lambda out, t: (1 - t * out).relu())
    hinge_step(model, X, y)
    with autograd.no_grad():
        losses = [max(0.0, 1 - t * model(x.tolist()).data) for x, t in zip(X, y)]
    monitor.update(loss=1.0, model=model)
    first = monitor.history.latest["sample"]
    assert first["index"] == losses.index(max(losses)) != 7  # the largest loss shows first
    monitor.watcher.controls.pick(7)
    monitor.update(loss=1.0, model=model)  # a pick redraws at once, throttle or not
    second = monitor.history.latest["sample"]
    assert second["index"] == 7
    assert first["key"] == second["key"] and first["set"] != second["set"]
    with autograd.no_grad():
        out = model(X[7].tolist()).data
    assert second["loss"] == pytest.approx(max(0.0, 1 - y[7] * out))


def test_monitor_errors_are_typed():
    monitor = Monitor(np.zeros((3, 2)))
    with pytest.raises(ConfigError, match="model="):
        monitor.update(loss=1.0)
    with pytest.raises(InputTypeError, match="loss must be a number"):
        monitor.update(loss="high", model=nn.MLP(2, [1]))
    with pytest.raises(ConfigError, match="y has 2 samples"):
        Monitor(np.zeros((3, 2)), np.zeros(2))
    with pytest.raises(ConfigError, match="nothing recorded"):
        _ = Monitor().history


@settings(max_examples=10, deadline=None)
@given(seed=st.integers(0, 10_000), n=st.integers(1, 40),
       hidden=st.lists(st.integers(1, 5), min_size=1, max_size=2))
def test_the_probe_in_blocks_of_rows_equals_the_scalar_forward(seed, n, hidden):
    from autograd.lab.live import probe as probe_module
    X, _ = moons(max(n, 2), seed)
    model = nn.MLP(2, [*hidden, 1], seed=seed)
    probe = probe_module.Probe(model, X)
    assert probe.compiled
    probe.load()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(probe_module, "ONE_THREAD", 1)  # blocks of 8 rows: several blocks
        outs = probe.run(X[:n])
    for got, want in zip(outs, layer_outputs(model, X[:n])):
        assert got.shape == want.shape
        np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-12)


def test_a_cached_sample_shape_draws_what_a_fresh_one_does():
    from autograd.lab.live.sample import SampleGraph
    X, y = moons(12)
    model = nn.MLP(2, [6, 6, 1], seed=3)  # over COLLAPSE_OVER nodes: one box per neuron
    shapes: dict = {}
    for i in (0, 5, 0, 9):
        hinge_step(model, X, y)
        for p in model.parameters():
            p.data += 0.01 * p.grad  # the numbers move between redraws; the shape stays
        model.zero_grad()
        root = nn.hinge([model(X[i].tolist())], [y[i]])
        root.backward()
        cached, fresh = SampleGraph(root, shapes=shapes), SampleGraph(root)
        assert cached.collapse and cached.key == fresh.key
        assert cached.state() == fresh.state()
    assert len(shapes) == 1
    other = nn.hinge([nn.MLP(2, [6, 6, 1], seed=4)(X[0].tolist())], [y[0]])
    other.backward()
    assert SampleGraph(other, shapes=shapes).key == cached.key  # same wiring, same key
