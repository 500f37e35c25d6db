"""Losses: hand-computed values, finite differences, batches, and stability at logits of +-1000."""

from __future__ import annotations

import math

import numpy as np
import pytest
from finite_diff import numgrad
from hypothesis import given
from hypothesis import strategies as st

import nn
from autograd import Value, compile_batch, logsumexp, topo_order
from autograd.errors import ConfigError, InputTypeError
from nn.losses import binary_cross_entropy, cross_entropy, hinge, mse, softmax


def grads(loss_fn, xs: list[float]) -> tuple[float, list[float]]:
    """The loss and its analytic gradient by each input."""
    vs = [Value(x) for x in xs]
    loss = loss_fn(vs)
    loss.backward()
    return loss.data, [v.grad for v in vs]


def check_fd(loss_fn, xs: list[float]) -> None:
    _, analytic = grads(loss_fn, xs)
    numeric = numgrad(lambda p: loss_fn([Value(x) for x in p]).data, xs)
    assert analytic == pytest.approx(numeric, rel=1e-5, abs=1e-7)


# -- mse --------------------------------------------------------------------------------------


def test_mse_hand_values_and_gradient():
    loss, g = grads(lambda v: mse(v, [1.0, -1.0]), [3.0, 0.0])
    assert loss == pytest.approx(((3 - 1) ** 2 + (0 + 1) ** 2) / 2)
    assert g == pytest.approx([2 * (3 - 1) / 2, 2 * (0 + 1) / 2])
    assert mse(Value(2.0), 0.5).data == pytest.approx(2.25)


def test_mse_batches_flatten_and_accept_numpy():
    preds = [[Value(1.0), Value(2.0)], [Value(0.0), Value(4.0)]]
    assert mse(preds, np.array([[0.0, 0.0], [0.0, 0.0]])).data == pytest.approx(21 / 4)
    check_fd(lambda v: mse([v[:2], v[2:]], [[0.5, 1.0], [-1.0, 2.0]]), [0.1, 0.7, -0.3, 2.5])


# -- binary cross-entropy from logits ---------------------------------------------------------


def _bce(z: float, y: float) -> float:
    p = 1 / (1 + math.exp(-z))
    return -(y * math.log(p) + (1 - y) * math.log(1 - p))


@pytest.mark.parametrize("y", [0.0, 1.0, 0.3])
def test_binary_cross_entropy_matches_the_definition_and_finite_differences(y):
    for z in (-2.0, 0.0, 0.7, 3.0):
        loss, (g,) = grads(lambda v: binary_cross_entropy(v[0], y), [z])
        assert loss == pytest.approx(_bce(z, y), rel=1e-12)
        assert g == pytest.approx(1 / (1 + math.exp(-z)) - y, rel=1e-9, abs=1e-12)
    check_fd(lambda v: binary_cross_entropy(v, [y, 1 - y]), [0.4, -1.3])


def test_binary_cross_entropy_gradient_is_right_at_zero_logit():
    _, (g,) = grads(lambda v: binary_cross_entropy(v[0], 1.0), [0.0])
    assert g == pytest.approx(-0.5)


@pytest.mark.parametrize("z, y, expected", [
    (1000.0, 1.0, 0.0), (-1000.0, 0.0, 0.0), (1000.0, 0.0, 1000.0), (-1000.0, 1.0, 1000.0)])
def test_binary_cross_entropy_is_stable_at_1000(z, y, expected):
    loss, (g,) = grads(lambda v: binary_cross_entropy(v[0], y), [z])
    assert loss == pytest.approx(expected, abs=1e-9)
    assert math.isfinite(g) and g == pytest.approx((1.0 if z > 0 else 0.0) - y)


def test_binary_cross_entropy_tiny_losses_are_exact():
    assert binary_cross_entropy(Value(40.0), 1.0).data == pytest.approx(math.exp(-40), rel=1e-9)


def test_binary_cross_entropy_batch_mean():
    loss = binary_cross_entropy([Value(0.0), Value(2.0)], np.array([1, 0]))
    assert loss.data == pytest.approx((_bce(0.0, 1) + _bce(2.0, 0)) / 2)


# -- hinge --------------------------------------------------------------------------------------


def test_hinge_matches_micrograd_moons_loss():
    scores, labels = [0.5, -2.0, 3.0, -0.2], [1, -1, -1, 1]
    expected = sum(max(0.0, 1 - y * s) for s, y in zip(scores, labels)) / 4
    loss, g = grads(lambda v: hinge(v, labels), scores)
    assert loss == pytest.approx(expected)
    assert g == pytest.approx([-0.25, 0.0, 0.25, -0.25])


def test_hinge_wants_plus_minus_one_labels():
    with pytest.raises(ConfigError, match="labels must be -1 or \\+1, got 0.0 at index 1"):
        hinge([Value(1.0), Value(2.0)], [1, 0])


# -- cross-entropy and softmax -------------------------------------------------------------------


def _ce(z: list[float], c: int) -> float:
    m = max(z)
    return math.log(sum(math.exp(v - m) for v in z)) + m - z[c]


def test_cross_entropy_hand_values_index_one_hot_and_probabilities():
    z = [1.0, 2.0, 0.5]
    assert cross_entropy([Value(v) for v in z], 1).data == pytest.approx(_ce(z, 1))
    assert cross_entropy(z, [0.0, 1.0, 0.0]).data == pytest.approx(_ce(z, 1))
    soft = cross_entropy(z, [0.25, 0.75, 0.0]).data
    assert soft == pytest.approx(0.25 * _ce(z, 0) + 0.75 * _ce(z, 1))
    assert cross_entropy([0.0, 0.0], 0).data == pytest.approx(math.log(2))


def test_cross_entropy_gradient_is_softmax_minus_target():
    z = [0.3, -1.2, 2.0, 0.0]
    _, g = grads(lambda v: cross_entropy(v, 2), z)
    e = [math.exp(v) for v in z]
    expected = [x / sum(e) - (1.0 if i == 2 else 0.0) for i, x in enumerate(e)]
    assert g == pytest.approx(expected, rel=1e-9)
    check_fd(lambda v: cross_entropy(v, [0.1, 0.2, 0.3, 0.4]), z)


def test_cross_entropy_batch_is_the_mean():
    logits = [[1.0, 0.0], [0.0, 3.0], [2.0, 2.0]]
    loss = cross_entropy(logits, np.array([0, 1, 1]))
    assert loss.data == pytest.approx((_ce([1, 0], 0) + _ce([0, 3], 1) + _ce([2, 2], 1)) / 3)
    check_fd(lambda v: cross_entropy([v[:2], v[2:]], [1, 0]), [0.5, -0.5, 2.0, 1.0])


@pytest.mark.parametrize("z, c, expected", [
    ([1000.0, -1000.0, 0.0], 0, 0.0), ([1000.0, -1000.0, 0.0], 1, 2000.0),
    ([-1000.0, -1000.0], 0, math.log(2)), ([1000.0, 1000.0, 1000.0], 2, math.log(3))])
def test_cross_entropy_is_stable_at_1000(z, c, expected):
    loss, g = grads(lambda v: cross_entropy(v, c), z)
    assert loss == pytest.approx(expected, abs=1e-9)
    assert all(math.isfinite(x) for x in g)
    assert sum(g) == pytest.approx(0.0, abs=1e-12)  # softmax sums to 1, the target too


def test_softmax_values_stability_and_batches():
    probs = softmax([Value(1.0), Value(2.0), Value(3.0)])
    e = [math.exp(1), math.exp(2), math.exp(3)]
    assert [p.data for p in probs] == pytest.approx([x / sum(e) for x in e])
    big = [p.data for p in softmax([1000.0, -1000.0, 1000.0])]
    assert big == pytest.approx([0.5, 0.0, 0.5])
    batch = softmax([[0.0, 0.0], [0.0, math.log(3)]])
    assert [p.data for row in batch for p in row] == pytest.approx([0.5, 0.5, 0.25, 0.75])
    check_fd(lambda v: softmax(v)[1] * 3.0 + softmax(v)[0], [0.2, -0.4, 1.5])


@given(st.lists(st.floats(-50, 50), min_size=2, max_size=6), st.data())
def test_cross_entropy_property_matches_float_formula(z, data):
    c = data.draw(st.integers(0, len(z) - 1))
    assert cross_entropy(z, c).data == pytest.approx(_ce(z, c), rel=1e-9, abs=1e-9)


# -- bad input -------------------------------------------------------------------------------------


def test_bad_inputs_get_clear_errors():
    with pytest.raises(ConfigError, match="mse: 2 predictions but 3 targets"):
        mse([Value(1.0), Value(2.0)], [1, 2, 3])
    with pytest.raises(ConfigError, match="class index 3 out of range for 3 classes"):
        cross_entropy([1.0, 2.0, 3.0], 3)
    with pytest.raises(ConfigError, match="target must be a class index or 3 probabilities"):
        cross_entropy([1.0, 2.0, 3.0], [1.0, 0.0])
    with pytest.raises(ConfigError, match="2 samples need as many targets"):
        cross_entropy([[1.0, 2.0], [0.0, 1.0]], [1])
    with pytest.raises(ConfigError, match="targets must be in \\[0, 1\\]"):
        binary_cross_entropy([Value(1.0)], [2.0])
    with pytest.raises(InputTypeError, match="'a' \\(str\\)"):
        mse([Value(1.0)], ["a"])
    with pytest.raises(ConfigError, match="logits must be a non-empty list"):
        softmax([])


def test_losses_are_reexported_from_nn():
    assert nn.mse is mse and nn.cross_entropy is cross_entropy and nn.softmax is softmax
    assert nn.losses.hinge is hinge and nn.binary_cross_entropy is binary_cross_entropy


def test_softmax_and_cross_entropy_bake_no_numbers_into_the_graph():
    """Their graphs are the same for every sample, so compile_batch accepts them."""
    def fn(xs, ys):
        return softmax(xs), cross_entropy(xs, ys)

    rng = np.random.default_rng(0)
    X = rng.normal(scale=50.0, size=(8, 4))  # a different max logit in every sample
    Y = np.eye(4)[rng.integers(0, 4, 8)]
    program = compile_batch(fn, [], X, Y)
    outs, losses = program.forward(X, Y)
    for x, y, out, loss in zip(X, Y, outs, losses):
        assert loss == pytest.approx(_ce(list(x), int(y.argmax())), rel=1e-12)
        assert out == pytest.approx([p.data for p in softmax(list(x))], rel=1e-12)
    ops = {node.op for node in topo_order(cross_entropy(list(X[0]), 1))}
    assert "logsumexp" in ops and "dot" in ops
    assert logsumexp([Value(1000.0), Value(1000.0)]).data == pytest.approx(1000 + math.log(2))
