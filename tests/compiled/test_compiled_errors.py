"""What the compiler refuses, and how it says so.

Graphs whose structure depends on the input values, constants computed from ``.data``,
targets used as list indices, custom ops with no (or a wrong) vectorized rule, and
out-of-domain inputs met on a later batch.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest

import autograd
from autograd import CompileError, DivisionByZero, DomainError, OpDefinitionError, Value
from autograd.compiled import compile_batch, register_vectorized
from autograd.compiled.rules import RULES
from autograd.compiled.verify import pick_samples

W = [Value(0.5, label="w.0"), Value(-0.3, label="w.1")]
_names = itertools.count()


def unique(name: str) -> str:
    return f"{name}_{next(_names)}"


def test_python_branch_on_data_is_refused_naming_the_node_and_samples():
    def fn(xs, ys):
        z = autograd.dot(W, xs)
        h = z * 2.0 if xs[0].data > 0 else z.tanh()  # structure depends on the sample
        h.label = "h"
        return [h], (h - ys[0]) ** 2

    X = np.array([[1.0, 0.0], [2.0, 1.0], [-1.0, 1.0], [3.0, 3.0]])
    with pytest.raises(CompileError) as info:
        compile_batch(fn, W, X, np.zeros((4, 1)))
    message = str(info.value)
    assert "structure depends on the input values" in message
    assert ("node #5 (constant 2.0) on sample 0 is node #5 (tanh of #4; node 'h') on "
            "sample 2") in message
    assert "samples compared: 0, 1, 2, 3" in message


def test_graph_that_grows_with_the_data_is_refused_with_both_sizes():
    def fn(xs, ys):
        z = autograd.dot(W, xs)
        return [z], (z.tanh() if xs[0].data > 1 else z)

    with pytest.raises(CompileError, match=r"sample 0 records 5 nodes .* sample 1 records 6"):
        compile_batch(fn, W, np.array([[0.0, 1.0], [2.0, 1.0]]), np.zeros((2, 1)))


def test_constant_computed_from_data_is_refused():
    def fn(xs, ys):
        z = [xs[0] * W[0], xs[1] * W[1]]
        m = max(v.data for v in z)  # the usual float max: a constant that changes per sample
        lse = m + autograd.sum([(v - m).exp() for v in z]).log()
        return z, lse - autograd.dot(ys, z)

    X = np.array([[1.0, 2.0], [3.0, -1.0], [0.5, 0.5]])
    expected = r"constant .* on sample 0 is node .*constant.*baked in as a constant"
    with pytest.raises(CompileError, match=expected):
        compile_batch(fn, W, X, np.eye(2)[[0, 1, 0]])


def test_target_used_as_an_index_is_refused():
    def fn(xs, ys):
        logits = [xs[0] * W[0], xs[1] * W[1]]
        return logits, -logits[int(ys[0].data)]  # sparse label picks a node

    X = np.ones((6, 2))
    Y = np.array([[0.0], [0.0], [0.0], [1.0], [0.0], [0.0]])
    assert 3 in pick_samples(X, Y, 3)  # a sample with another label is always among them
    with pytest.raises(CompileError, match="one-hot targets"):
        compile_batch(fn, W, X, Y)


def test_pick_samples_is_deterministic_and_spread():
    X, Y = np.zeros((100, 1)), np.zeros((100, 1))
    assert pick_samples(X, Y, 3) == [1, 50, 99] == pick_samples(X, Y, 3)
    assert pick_samples(X[:1], Y[:1], 3) == []
    assert pick_samples(X[:2], Y[:2], 3) == [1]


def test_custom_op_without_vectorized_rule_names_the_op():
    name = unique("cube")
    cube = autograd.custom_op(name, lambda x: x ** 3, lambda x: (3 * x ** 2,))

    def fn(xs, ys):
        out = cube(autograd.dot(W, xs))
        return [out], (out - ys[0]) ** 2

    expected = rf"op '{name}' at node #5 \({name} of #4; .*autograd.register_vectorized"
    with pytest.raises(CompileError, match=expected):
        compile_batch(fn, W, np.ones((2, 2)), np.ones((2, 1)))


def scalar_grads(fn, X, Y):
    for p in W:
        p.grad = 0.0
    for x, y in zip(X, Y):
        fn([Value(float(v)) for v in x], [Value(float(v)) for v in y])[1].backward()
    grads = [p.grad for p in W]
    for p in W:
        p.grad = 0.0
    return np.array(grads)


def test_custom_ops_with_vectorized_rules_compile_and_match():
    cube, mix = unique("cube"), unique("mix3")
    f = autograd.custom_op(cube, lambda x: x ** 3, lambda x: (3 * x ** 2,))
    g = autograd.custom_op(mix, lambda a, b, c: a * b + c, lambda a, b, c: (b, a, 1.0))
    register_vectorized(cube, lambda x: x ** 3, lambda x: (3 * x ** 2,))
    register_vectorized(mix, lambda a, b, c: a * b + c,
                        lambda a, b, c: (b, a, np.ones_like(c)))

    def fn(xs, ys):
        z = f(autograd.dot(W, xs))
        out = g(z, xs[0], W[1])
        return [out], (out - ys[0]) ** 2

    rng = np.random.default_rng(0)
    X, Y = rng.normal(size=(5, 2)), rng.normal(size=(5, 1))
    program = compile_batch(fn, W, X, Y)
    _, grad = program.loss_and_grad(X, Y)
    np.testing.assert_allclose(grad, scalar_grads(fn, X, Y), rtol=1e-9)


def test_wrong_vectorized_rules_are_caught_at_compile_time():
    name = unique("square")
    sq = autograd.custom_op(name, lambda x: x * x, lambda x: (2 * x,))

    def fn(xs, ys):
        out = sq(autograd.dot(W, xs))
        return [out], out + ys[0]

    X, Y = np.array([[1.0, 2.0], [0.5, 1.0]]), np.zeros((2, 1))
    register_vectorized(name, lambda x: x * x * 1.5, lambda x: (2 * x,))
    expected = rf"differs .* #5 \({name} of #4; .*scalar 0.00999.*, compiled 0.0149"
    with pytest.raises(CompileError, match=expected):
        compile_batch(fn, W, X, Y)
    register_vectorized(name, lambda x: x * x, lambda x: (3 * x,))
    with pytest.raises(CompileError, match=f"vectorized partials of '{name}' disagree"):
        compile_batch(fn, W, X, Y)
    register_vectorized(name, lambda x: x * x, lambda x: (2 * x, x))
    with pytest.raises(OpDefinitionError, match="returned 2 arrays for 1 inputs"):
        compile_batch(fn, W, X, Y)


def test_register_vectorized_refuses_builtins_and_non_callables():
    with pytest.raises(OpDefinitionError, match="built-in"):
        register_vectorized("relu", np.abs, np.sign)
    with pytest.raises(OpDefinitionError, match="callables"):
        register_vectorized(unique("thing"), 3, np.sign)
    assert RULES["relu"].builtin


def test_out_of_domain_input_in_a_later_batch_raises_like_the_scalar_engine():
    def fn(xs, ys):
        z = autograd.dot(W, xs)
        return [z], (z.log() - ys[0]) ** 2 + 1 / xs[1]

    X, Y = np.array([[4.0, 1.0], [2.0, 2.0]]), np.zeros((2, 1))
    program = compile_batch(fn, W, X, Y)
    with pytest.raises(DomainError, match=r"log of non-positive value -0\.8 in unlabeled node "
                                          r"\(output of dot\).*sample 1 of the batch"):
        program.forward(np.array([[4.0, 1.0], [-1.0, 1.0]]), Y)
    with pytest.raises(DivisionByZero, match=r"denominator 0\.0 in node 'x\[1\]'.*sample 0"):
        program.forward(np.array([[4.0, 0.0]]), Y[:1])
