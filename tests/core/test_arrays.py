"""The numpy bridge: numpy code on arrays of Values builds one graph whose gradients are
the finite differences of the same code on numbers."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from numpy_programs import programs

import autograd
from autograd import ConfigError, InputTypeError, Stepper, Value, np_grads, np_values, topo_order
from autograd.arrays import ValueArray, recording, supported_names

RNG = np.random.default_rng(7)


def numeric_grads(f, arrays, h=1e-6):
    """Central differences of ``f(*arrays)`` (floats) by every entry of every array."""
    grads = []
    for k, a in enumerate(arrays):
        g = np.zeros_like(a)
        for i in np.ndindex(*a.shape):
            moved = [b.copy() for b in arrays]
            moved[k][i] += h
            up = float(f(*moved))
            moved[k][i] -= 2 * h
            g[i] = (up - float(f(*moved))) / (2 * h)
        grads.append(g)
    return grads


def bridge_grads(f, arrays):
    """``f`` on arrays of Values, backward, and the gradients read back."""
    values = [np_values(a, f"p{k}") for k, a in enumerate(arrays)]
    out = f(*values)
    out = out.reshape(-1)[0] if isinstance(out, np.ndarray) else out
    assert type(out) is Value
    out.backward()
    return out, [np_grads(v) for v in values]


def assert_matches_numpy(f, *arrays, atol=1e-6):
    """Same value as numpy on floats, and gradients equal to finite differences."""
    out, grads = bridge_grads(f, arrays)
    assert out.data == pytest.approx(float(f(*arrays)), rel=1e-12, abs=1e-12)
    for g, n in zip(grads, numeric_grads(f, arrays)):
        np.testing.assert_allclose(g, n, atol=atol, rtol=1e-5)


@settings(max_examples=25)
@given(programs())
def test_random_numpy_programs_get_their_finite_difference_gradients(program):
    assume(program.kink_free())
    params, X, y = program.arrays()
    f = lambda *ps: program.forward(*ps, X, y)  # noqa: E731
    assert_matches_numpy(f, *params.values())


OPERATIONS = {  # each runs on floats and on Values; a and b are 2x3
    "add": lambda a, b: np.sum(a + b * 2.0),
    "subtract": lambda a, b: np.sum(1.5 - a - b),
    "multiply": lambda a, b: np.sum(a * b),
    "divide": lambda a, b: np.sum(a / (b * b + 1)),
    "power": lambda a, b: np.sum((a * a + 1) ** b),
    "square": lambda a, b: np.sum(np.square(a)),
    "exp": lambda a, b: np.sum(np.exp(a)),
    "log": lambda a, b: np.sum(np.log(a * a + 1)),
    "tanh": lambda a, b: np.sum(np.tanh(a)),
    "sqrt": lambda a, b: np.sum(np.sqrt(b * b + 1)),
    "abs": lambda a, b: np.sum(np.abs(a)),
    "sin cos": lambda a, b: np.sum(np.sin(a) * np.cos(b)),
    "maximum": lambda a, b: np.sum(np.maximum(a, b)),
    "minimum": lambda a, b: np.sum(np.minimum(a, 0)),
    "clip": lambda a, b: np.sum(np.clip(a, -0.3, 0.4) * b),
    "reciprocal": lambda a, b: np.sum(np.reciprocal(b * b + 1)),
    "log1p expm1": lambda a, b: np.sum(np.log1p(a * a) + np.expm1(b)),
    "logaddexp": lambda a, b: np.sum(np.logaddexp(a, b)),
    "negative": lambda a, b: np.sum(-a),
    "mean axis": lambda a, b: np.sum(np.mean(a * b, axis=0) ** 2),
    "sum keepdims": lambda a, b: np.sum((a.sum(axis=1, keepdims=True) - b) ** 2),
    "method mean": lambda a, b: (a * b).mean() + a.mean(axis=1).sum(),
    "max min": lambda a, b: np.max(a) - np.min(b, axis=0).sum() + a.max(axis=1).sum(),
    "var std": lambda a, b: np.var(a) + np.std(b, axis=1).sum() + a.var(axis=0).sum(),
    "norm": lambda a, b: np.linalg.norm(a) + np.linalg.norm(b[0]),
    "prod": lambda a, b: np.prod(a[0] + 2),
    "matmul": lambda a, b: np.sum((a @ b.T) ** 2),
    "dot": lambda a, b: np.sum(np.dot(a, b.T)),
    "dot method": lambda a, b: np.sum(a.dot(b.T) ** 2),
    "1-D dot": lambda a, b: np.dot(a[0], b[1]),
    "matmul 1-D": lambda a, b: np.sum(a @ b[0]) + b[1] @ a.T @ a[:, 0],
    "outer inner": lambda a, b: np.sum(np.outer(a[0], b[1]) ** 2) + np.inner(a, b).sum(),
    "transpose reshape": lambda a, b: np.sum(a.T.reshape(-1) * b.ravel()),
    "broadcast": lambda a, b: np.sum((a - b[:1]) ** 2 * np.arange(1.0, 4.0)),
    "where mask": lambda a, b: np.sum(np.where(a > 0, a, 0.1 * a) + a * (b > 0)),
    "concatenate stack":
        lambda a, b: np.sum(np.concatenate([a, b]) ** 2 * np.stack([a, b]).sum(0).sum()),
    "sigmoid": lambda a, b: np.sum(1 / (1 + np.exp(-a @ b.T))),
    "softmax":
        lambda a, b: -np.sum(np.log(np.exp(a) / np.sum(np.exp(a), axis=1, keepdims=True)) * b),
    "in place": lambda a, b: _in_place(a, b),
}

@pytest.mark.parametrize("name", OPERATIONS)
def test_each_supported_operation_matches_numpy_and_finite_differences(name):
    a, b = RNG.normal(size=(2, 3)), RNG.normal(size=(2, 3)) + 0.1
    assert_matches_numpy(OPERATIONS[name], a, b)


def _in_place(a, b):
    c = a * 1.0
    c += b
    c *= 2.0
    c -= a
    return np.sum(c ** 2)


def test_results_stay_arrays_of_values_and_labels_name_entries():
    W = np_values(np.arange(6.0).reshape(2, 3), label="W")
    assert isinstance(W, ValueArray) and W[1, 2].label == "W[1,2]" and W[1, 2].data == 5.0
    assert [v.label for v in np_values([1.0, 2.0], "b")] == ["b[0]", "b[1]"]
    assert np_values(3.0, "c")[()].label == "c"
    X = np.ones((4, 2))
    for out in (X @ W, np.dot(X, W), W.T, W[0], np.exp(W), W + 1, 2 * W, np.tanh(W).sum(axis=0),
                np.where(W > 2, W, 0), np.concatenate([W, W])):
        assert isinstance(out, ValueArray)
    assert type(np.sum(W)) is Value and type(W.mean()) is Value
    assert (W > 2).dtype == bool and not isinstance(W > 2, ValueArray)
    assert np.asarray(W, dtype=float).tolist() == [[0.0, 1.0, 2.0], [3.0, 4.0, 5.0]]


def test_products_and_sums_are_flat_nodes():
    W = np_values(RNG.normal(size=(5, 3)), label="W")
    X = RNG.normal(size=(4, 5))
    Z = X @ W
    assert Z[2, 1].op == "dot" and len(Z[2, 1].children) == 10
    assert set(Z[2, 1].children[5:]) == set(W[:, 1])  # a row of X (constants), a column of W
    assert Z[0, 0].children[0] is Z[0, 1].children[0]  # X's constants are shared by the row
    total = np.sum(Z)
    assert total.op == "sum" and len(total.children) == 12
    mean = np.mean(Z ** 2)
    assert [n.op for n in (mean, mean.children[0])] == ["div", "sum"]
    assert len(topo_order(mean)) == 15 + 20 + 12 + 12 + 3  # leaves, X's, dots, squares, top


def test_a_value_on_the_right_and_bool_masks_work():
    W = np_values(np.array([1.0, -2.0]), "W")
    v = Value(3.0, label="v")
    out = np.sum(W * v + W / v - v) + np.sum(W * (W > 0))
    out.backward()
    assert np_grads(W).tolist() == pytest.approx([3 + 1 / 3 + 1, 3 + 1 / 3])
    assert v.grad == pytest.approx((1.0 - 2.0) * (1 - 1 / 9) - 2)


def test_unsupported_functions_name_themselves_and_the_supported_list():
    W = np_values(np.ones((2, 2)), "W")
    for call, name in [(lambda: np.arctan(W), "np.arctan"), (lambda: np.einsum("ij->i", W),
                       "np.einsum"), (lambda: np.cumsum(W), "np.cumsum"),
                       (lambda: np.add.accumulate(W), "np.add.accumulate"),
                       (lambda: np.linalg.inv(W), "np.linalg.inv")]:
        with pytest.raises(InputTypeError) as info:
            call()
        message = str(info.value)
        assert message.startswith(f"{name} is not supported on arrays of Values")
        assert "np.tanh" in message and "np.dot" in message and "np.mean" in message
    assert "np.concatenate" in supported_names() and "np.concatenate" not in \
        supported_names(moving=False)


def test_options_that_would_lose_the_graph_are_refused():
    W = np_values(np.ones((2, 2)), "W")
    buf = np.zeros((2, 2))
    with pytest.raises(InputTypeError, match="out= is a float64 array"):
        np.add(W, 1, out=buf)
    with pytest.raises(InputTypeError, match="out= is a float64 array"):
        buf += W
    with pytest.raises(InputTypeError, match="dtype="):
        np.sum(W, dtype=float)
    with pytest.raises(ConfigError, match=r"matmul: shapes \(2, 2\) and \(3, 1\) do not align"):
        W @ np.ones((3, 1))
    with pytest.raises(ConfigError, match="do not broadcast"):
        W + np.ones(3)
    with pytest.raises(InputTypeError, match="np_values: expects an array of real numbers"):
        np_values(np.array(["a"]))
    with pytest.raises(InputTypeError, match=r"np_grads: entry \[1\] is 2.0"):
        np_grads(np.array([Value(1.0), 2.0], dtype=object))


def test_the_tape_writes_each_array_as_the_code_computed_it():
    X, y = np.ones((4, 2)), np.ones((4, 1))
    W1, W2 = np_values(np.ones((2, 3)), "W1"), np_values(np.ones((3, 1)), "W2")
    with recording({id(X): "X", id(y): "y"}) as tape:
        h = 1 / (1 + np.exp(-(X @ W1)))
        np.mean((h @ W2 - y) ** 2)
    assert [r.expr for r in tape][-5:-1] == [
        "sigmoid(X @ W1)", "sigmoid(X @ W1) @ W2", "sigmoid(X @ W1) @ W2 - y",
        "(sigmoid(X @ W1) @ W2 - y) ** 2"]
    assert str(tape[-1]) == "`np.mean((sigmoid(X @ W1) @ W2 - y) ** 2)` (scalar)"
    assert tape[1].name == "negative"  # and np.exp read it, element for element:
    assert all(a is b for a, b in zip(tape[2].link.flat, tape[1].out.flat))
    with recording() as outside:
        pass
    np.exp(W1)
    assert outside == []  # nothing is kept once the block ended


def _network():
    X, y = RNG.normal(size=(4, 2)), RNG.normal(size=(4, 1))
    W1, b1 = np_values(RNG.normal(size=(2, 3)), "W1"), np_values(np.zeros((1, 3)), "b1")
    W2 = np_values(RNG.normal(size=(3, 1)), "W2")
    loss = np.mean((np.tanh(X @ W1 + b1) @ W2 - y) ** 2)
    return loss, (W1, b1, W2)


def test_collapse_array_draws_one_box_per_array():
    loss, (W1, b1, W2) = _network()
    loss.backward()
    source = autograd.draw_dot(loss, collapse="array", color_by="grad").source
    boxes = [line.split(" [label=")[0].strip().strip('"') for line in source.splitlines()
             if "[label=" in line and "->" not in line and "legend" not in line]
    assert {"W1", "b1", "W2"} <= set(boxes)
    assert 'W1 [label="W1 | 6 params, 2x3 |' in source
    assert len(boxes) < len(topo_order(loss)) / 4
    assert "dot #0" in boxes and '"dot #0" -> "add #1" [label="×12"]' in source
    assert 'W1 -> "dot #0" [label="×24"]' in source  # every entry reads a column of W1


def test_numpy_graphs_step_like_any_other():
    loss, params = _network()
    loss.backward()
    expected = [np_grads(p) for p in params]
    for p in params:
        for v in p.flat:
            v.grad = 0.0
    stepper = Stepper(loss)
    stepper.finish()
    for p, g in zip(params, expected):
        np.testing.assert_array_equal(np_grads(p), g)


def test_the_backward_animation_of_a_numpy_graph(tmp_path, dot_binary):
    loss, _ = _network()
    path = autograd.save_backward_animation(loss, tmp_path / "numpy.html")
    assert path.read_text().count("W1[0,1]") >= 1


@given(st.integers(1, 4), st.integers(1, 4), st.integers(1, 4))
def test_matmul_shapes_follow_numpy(n, k, m):
    A, B = RNG.normal(size=(n, k)), RNG.normal(size=(k, m))
    out = np_values(A, "A") @ np_values(B, "B")
    assert out.shape == (A @ B).shape
    np.testing.assert_allclose(np.asarray(out, dtype=float), A @ B, rtol=1e-12)
