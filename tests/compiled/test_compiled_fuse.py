"""A dense layer's ``dot + b`` runs as one fused matmul step, and only when that is exact:
every case is checked against the scalar engine (to 1e-9) by ``check_equivalent``."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from test_compiled import check_equivalent, make_mlp, sample_fn, targets

import autograd
from autograd import Value
from autograd.compiled.steps import MapStep, MatmulStep


def adds(program) -> list[MapStep]:
    return [s for s in program.plan.steps if isinstance(s, MapStep) and s.rule.name == "add"]


def matmuls(program) -> list[MatmulStep]:
    return [s for s in program.plan.steps if isinstance(s, MatmulStep)]


def test_dense_layers_add_their_biases_inside_the_matmul():
    layers, params = make_mlp([6, 8, 3], seed=1)
    fn = sample_fn(layers, ["relu", "linear"], "cross_entropy")
    rng = np.random.default_rng(0)
    program = check_equivalent(fn, params, rng.normal(size=(9, 6)),
                               targets("cross_entropy", 9, 3, rng))
    assert [m.bias is not None for m in matmuls(program)] == [True, True]
    assert not [s for s in adds(program) if len(s.nodes) in (8, 3)]
    assert program.plan.param_idx.size == 0  # no bias is broadcast into the block


def test_bias_on_the_left_and_a_shared_bias_fuse_too():
    rng = np.random.default_rng(2)
    W = [[Value(float(rng.normal())) for _ in range(4)] for _ in range(5)]
    shared = Value(0.3)

    def fn(xs, ys):
        h = [(shared + autograd.dot(w, xs)).tanh() for w in W]
        return h, autograd.sum([(o - ys[0]) ** 2 for o in h])

    params = [p for row in W for p in row] + [shared]
    program = check_equivalent(fn, params, rng.normal(size=(6, 4)), rng.normal(size=(6, 1)))
    (m,) = matmuls(program)
    assert m.bias is not None and m.bias[2] is False  # one bias read five times


def test_a_dot_read_elsewhere_keeps_its_own_add():
    rng = np.random.default_rng(3)
    W = [[Value(float(rng.normal())) for _ in range(3)] for _ in range(4)]
    b = [Value(float(rng.normal())) for _ in range(4)]

    def fn(xs, ys):
        z = [autograd.dot(w, xs) for w in W]
        h = [(zi + bi).relu() for zi, bi in zip(z, b)]
        return h, autograd.sum(h) * z[0] - ys[0]  # z[0] is read twice

    params = [p for row in W for p in row] + b
    program = check_equivalent(fn, params, rng.normal(size=(5, 3)), rng.normal(size=(5, 1)))
    assert matmuls(program)[0].bias is None and adds(program)


def test_a_bias_also_read_by_a_penalty_keeps_its_column():
    layers, params = make_mlp([3, 5, 2], seed=4)

    def fn(xs, ys):
        h = [(autograd.dot(w, xs) + b).relu() for w, b in layers[0]]
        out = [autograd.dot(w, h) + b for w, b in layers[1]]
        reg = 1e-2 * autograd.sum([q * q for q in params])
        return out, autograd.sum([(o - y) ** 2 for o, y in zip(out, ys)]) + reg

    rng = np.random.default_rng(5)
    program = check_equivalent(fn, params, rng.normal(size=(6, 3)), rng.normal(size=(6, 2)))
    assert all(m.bias is not None for m in matmuls(program))
    assert program.plan.param_idx.size == len(params)  # the penalty reads every one


@settings(max_examples=40)
@given(sizes=st.lists(st.integers(1, 7), min_size=2, max_size=4), seed=st.integers(0, 99),
       batch=st.integers(1, 6), float32=st.booleans())
def test_fused_programs_match_the_scalar_engine(sizes, seed, batch, float32):
    layers, params = make_mlp(sizes, seed=seed)
    fn = sample_fn(layers, ["tanh"] * (len(sizes) - 2) + ["linear"], "mse")
    rng = np.random.default_rng(seed)
    X, Y = rng.normal(size=(batch, sizes[0])), rng.normal(size=(batch, sizes[-1]))
    if not float32:
        check_equivalent(fn, params, X, Y)
        return
    program = autograd.compile_batch(fn, params, X, Y, dtype=np.float32)
    wide = autograd.compile_batch(fn, params, X, Y)
    np.testing.assert_allclose(program.forward(X, Y)[1], wide.forward(X, Y)[1],
                               rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(program.backward(), wide.backward(), rtol=1e-3, atol=1e-4)


def test_a_head_outside_the_loss_gets_zero_gradient_even_when_fused():
    rng = np.random.default_rng(7)
    head = [[Value(float(rng.normal())) for _ in range(4)] for _ in range(3)]
    hb = [Value(0.5) for _ in range(3)]
    w = [Value(float(rng.normal())) for _ in range(4)]

    def fn(xs, ys):
        t = [x.tanh() for x in xs]
        extra = [autograd.dot(h, t) + b for h, b in zip(head, hb)]  # an output only
        out = autograd.dot(w, xs)
        return [out] + extra, (out - ys[0]) ** 2

    params = [p for row in head for p in row] + hb + w
    X, Y = rng.normal(size=(5, 4)), rng.normal(size=(5, 1))
    program = check_equivalent(fn, params, X, Y)
    assert [m.bias is not None for m in matmuls(program)] == [False, True]
    for _ in range(3):  # reused buffers stay clean from call to call
        program.forward(X + 1.0, Y)
        grad = program.backward()
        position = {p: i for i, p in enumerate(program.params)}
        assert not grad[[position[p] for p in params[:15]]].any()


# -- steps that read no sample data run once per batch ------------------------------------


def test_an_l2_penalty_runs_once_per_batch_and_matches_the_scalar_engine():
    from autograd.compiled.hoist import OnceStep

    layers, params = make_mlp([4, 6, 2], seed=8)

    def fn(xs, ys):
        h = [(autograd.dot(w, xs) + b).relu() for w, b in layers[0]]
        out = [autograd.dot(w, h) + b for w, b in layers[1]]
        l2 = 1e-2 * autograd.sum([q * q for q in params])
        return out, autograd.sum([(o - y) ** 2 for o, y in zip(out, ys)]) + l2

    rng = np.random.default_rng(9)
    program = check_equivalent(fn, params, rng.normal(size=(7, 4)), rng.normal(size=(7, 2)))
    once = [s for s in program.plan.steps if isinstance(s, OnceStep)]
    assert [s.inner.rule.name for s in once] == ["mul", "sum", "mul"]


def test_a_parameter_only_value_read_by_every_sample_too():
    a, b = Value(0.7), Value(-1.3)

    def fn(xs, ys):
        c = (a * b).tanh()  # the same for every sample, read by batch-varying nodes too
        out = c * xs[0] + (c * c).exp()
        return [out], (out - ys[0]) ** 2 + c

    rng = np.random.default_rng(10)
    X, Y = rng.normal(size=(5, 1)), rng.normal(size=(5, 1))
    check_equivalent(fn, [a, b], X, Y)
    program = autograd.compile_batch(fn, [a, b], X, Y)
    weights = np.linspace(0.5, 2.0, 5)  # per-sample seeds reach the shared node summed
    program.forward(X, Y)
    got = program.backward(weights)
    for p in (a, b):
        p.grad = 0.0
    for x, y, g in zip(X, Y, weights):
        _, loss = fn([Value(float(x[0]))], [Value(float(y[0]))])
        loss.backward(float(g))
    position = {p: i for i, p in enumerate(program.params)}
    np.testing.assert_allclose([got[position[a]], got[position[b]]], [a.grad, b.grad],
                               rtol=1e-12)
