"""Compiled batch execution equals the scalar engine, sample by sample, summed.

Random MLPs (random sizes and activations, built directly with ``autograd.dot``,
parameters labelled by path) and every loss: the compiled program's outputs, per-sample
losses and parameter gradients must match the scalar engine's to 1e-9 relative.
"""

from __future__ import annotations

import random

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import build, dags

import autograd
from autograd import CompileError, Value
from autograd.compiled import BatchProgram, compile_batch

ACTIVATIONS = ["relu", "tanh", "sigmoid", "leaky_relu", "softplus", "linear"]
LOSSES = ["mse", "bce", "hinge", "cross_entropy"]
RTOL = 1e-9


# -- models and losses written with engine ops (independent of nn.losses) --------------


def make_mlp(sizes: list[int], seed: int, bias: float = 0.1):
    """Layers of (weights, bias) per neuron, labelled like nn's parameters."""
    rng = random.Random(seed)
    layers = []
    for i, (nin, nout) in enumerate(zip(sizes, sizes[1:])):
        layers.append([
            ([Value(rng.gauss(0, 0.8), label=f"layers.{i}.neurons.{j}.w.{k}") for k in range(nin)],
             Value(rng.gauss(0, bias) if bias else 0.0, label=f"layers.{i}.neurons.{j}.b"))
            for j in range(nout)])
    params = [p for layer in layers for w, b in layer for p in w + [b]]
    return layers, params


def activate(v: Value, act: str) -> Value:
    if act == "linear":
        return v
    if act == "leaky_relu":
        return v.leaky_relu(0.1)
    return getattr(v, act)()


def forward(layers, acts: list[str], xs: list[Value]) -> list[Value]:
    h = xs
    for layer, act in zip(layers, acts):
        h = [activate(autograd.dot(w, h) + b, act) for w, b in layer]
    return h


def logsumexp(zs: list[Value]) -> Value:
    m = zs[0]
    for z in zs[1:]:
        m = m + (z - m).relu()  # max, in the graph: the same ops for every sample
    return m + autograd.sum([(z - m).exp() for z in zs]).log()


def loss_of(kind: str, out: list[Value], ys: list[Value]) -> Value:
    n = len(out)
    if kind == "mse":
        return autograd.sum([(o - y) ** 2 for o, y in zip(out, ys)]) / n
    if kind == "bce":  # from logits, stable: softplus(z) - y z
        return autograd.sum([o.softplus() - y * o for o, y in zip(out, ys)]) * (1.0 / n)
    if kind == "hinge":  # targets in {-1, +1}
        return autograd.sum([(1 - y * o).relu() for o, y in zip(out, ys)]) / n
    return logsumexp(out) - autograd.dot(ys, out)  # softmax cross-entropy, one-hot ys


def targets(kind: str, n: int, width: int, rng: np.random.Generator) -> np.ndarray:
    if kind == "mse":
        return rng.normal(size=(n, width))
    if kind == "bce":
        return rng.integers(0, 2, (n, width)).astype(float)
    if kind == "hinge":
        return rng.choice([-1.0, 1.0], (n, width))
    return np.eye(width)[rng.integers(0, width, n)]


def sample_fn(layers, acts, kind):
    def fn(xs, ys):
        out = forward(layers, acts, xs)
        return out, loss_of(kind, out, ys)

    return fn


def scalar_run(fn, params, X, Y):
    """The scalar engine: one graph per sample, .backward() each, grads accumulating."""
    for p in params:
        p.grad = 0.0
    outs, losses = [], []
    for x, y in zip(X, Y):
        out, loss = fn([Value(float(v)) for v in x], [Value(float(v)) for v in y])
        loss.backward()
        outs.append([o.data for o in out])
        losses.append(loss.data)
    grads = np.array([p.grad for p in params])
    for p in params:
        p.grad = 0.0
    return np.array(outs), np.array(losses), grads


def assert_close(compiled, scalar, what: str) -> None:
    compiled, scalar = np.asarray(compiled, float), np.asarray(scalar, float)
    floor = 1e-12 * max(1.0, float(np.abs(scalar).max(initial=0.0)))
    err = np.abs(compiled - scalar)
    bad = err > RTOL * np.abs(scalar) + floor
    assert not bad.any(), f"{what}: compiled {compiled[bad]} vs scalar {scalar[bad]}"


def check_equivalent(fn, params, X, Y) -> BatchProgram:
    outs, losses, grads = scalar_run(fn, params, X, Y)
    program = compile_batch(fn, params, X, Y)
    program.forward(X[::-1], Y[::-1])  # a first step leaves the gradient block holding
    program.backward(0.5)  # other numbers: the next backward must not add to them
    c_outs, c_losses = program.forward(X, Y)
    for p in params:
        p.grad = 0.0
    flat = program.backward(to_values=True)
    assert_close(c_outs, outs, "outputs")
    assert_close(c_losses, losses, "per-sample losses")
    assert_close(c_losses.sum(), losses.sum(), "loss sum")
    position = {p: i for i, p in enumerate(params)}
    assert_close(flat, [grads[position[p]] for p in program.params], "flat gradient")
    assert_close([p.grad for p in params], grads, "parameter .grad")
    return program


# -- equivalence on random MLPs ----------------------------------------------------------


@settings(max_examples=150)
@given(n_in=st.integers(1, 5), hidden=st.lists(st.integers(1, 6), min_size=0, max_size=3),
       n_out=st.integers(1, 4), acts=st.lists(st.sampled_from(ACTIVATIONS), min_size=4,
                                               max_size=4),
       kind=st.sampled_from(LOSSES), batch=st.integers(1, 9), seed=st.integers(0, 10**6))
def test_random_mlp_matches_scalar_engine(n_in, hidden, n_out, acts, kind, batch, seed):
    sizes = [n_in, *hidden, n_out]
    layers, params = make_mlp(sizes, seed)
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(batch, n_in))
    Y = targets(kind, batch, n_out, rng)
    program = check_equivalent(sample_fn(layers, acts[:len(sizes) - 1], kind), params, X, Y)
    assert program.plan.counts["matmuls"] == len(sizes) - 1  # one per dense layer


@given(dag=dags(min_inputs=2), batch=st.integers(1, 6), seed=st.integers(0, 1000))
def test_random_expression_dags_match_scalar_engine(dag, batch, seed):
    """The shared random DAGs: reuse, repeats (a + a), ragged sums and dots, every depth."""
    recipe, point = dag
    p = Value(point[0], label="p")
    f = build(recipe)

    def fn(xs, ys):
        out = f(p, *xs)
        return [out], out * ys[0]

    rng = np.random.default_rng(seed)
    X = rng.uniform(-2, 2, (batch, recipe.n_inputs - 1))
    check_equivalent(fn, [p], X, rng.normal(size=(batch, 1)))


@pytest.mark.parametrize("kind", LOSSES)
@pytest.mark.parametrize("act", ACTIVATIONS)
def test_every_loss_and_activation(kind, act):
    layers, params = make_mlp([4, 6, 5, 3], seed=len(kind) * 7 + len(act))
    rng = np.random.default_rng(3)
    X, Y = rng.normal(size=(16, 4)), targets(kind, 16, 3, rng)
    check_equivalent(sample_fn(layers, [act, act, "linear"], kind), params, X, Y)


@pytest.mark.parametrize("act", ["relu", "leaky_relu"])
def test_kinks_at_exact_zero_follow_the_scalar_convention(act):
    layers, params = make_mlp([3, 4, 2], seed=1, bias=0.0)
    X = np.vstack([np.zeros((3, 3)), np.random.default_rng(0).normal(size=(3, 3))])
    Y = targets("mse", 6, 2, np.random.default_rng(1))
    check_equivalent(sample_fn(layers, [act, "linear"], "mse"), params, X, Y)


def test_abs_at_zero_and_every_unary_op():
    w = [Value(0.3, label="w.0"), Value(-0.7, label="w.1")]

    def fn(xs, ys):
        z = autograd.dot(w, xs)
        pos = z * z + 0.5
        terms = [abs(z), z.exp(), pos.log(), z.tanh(), z.sigmoid(), z.sin(), z.cos(),
                 pos.sqrt(), z.softplus(), -z, z ** 3, pos ** -1.5, pos ** w[0], z / pos,
                 z - ys[0], z.relu(), z.leaky_relu(0.3)]
        return terms, autograd.sum(terms, start=0.25)

    X = np.array([[0.0, 0.0], [1.0, 2.0], [-1.5, 0.5], [2.0, -1.0]])
    check_equivalent(fn, w, X, np.array([[0.5], [1.0], [-1.0], [2.0]]))


def test_gradients_accumulate_into_grad_like_backward():
    layers, params = make_mlp([2, 3, 1], seed=5)
    fn = sample_fn(layers, ["tanh", "linear"], "mse")
    X, Y = np.array([[1.0, -1.0], [0.5, 2.0]]), np.array([[0.3], [-0.2]])
    _, _, grads = scalar_run(fn, params, X, Y)
    program = compile_batch(fn, params, X, Y)
    for p in params:
        p.grad = 1.0
    program.forward(X, Y)
    program.backward(to_values=True)
    program.backward(to_values=True)
    assert_close([p.grad for p in params], 1.0 + 2 * grads, ".grad after two backward calls")


def test_backward_seed_scales_and_weights_samples():
    layers, params = make_mlp([3, 4, 2], seed=2)
    fn = sample_fn(layers, ["sigmoid", "linear"], "cross_entropy")
    rng = np.random.default_rng(4)
    X, Y = rng.normal(size=(5, 3)), targets("cross_entropy", 5, 2, rng)
    program = compile_batch(fn, params, X, Y)
    weights = np.array([1.0, 0.0, 2.0, 0.5, 0.0])
    program.forward(X, Y)
    mean_grad = program.backward(1 / 5)
    weighted = program.backward(weights)
    per_sample = [program.loss_and_grad(X[i:i + 1], Y[i:i + 1])[1] for i in range(5)]
    assert_close(mean_grad, np.mean(per_sample, axis=0), "mean-loss gradient")
    assert_close(weighted, np.tensordot(weights, per_sample, axes=1), "weighted gradient")


# -- program layout: fusion, orientation, ragged groups, parameter order ------------------


def test_dense_layer_fuses_either_way_round_and_with_a_constant_one_input():
    layers, params = make_mlp([3, 4, 2], seed=8)

    def fn(xs, ys):
        h = [autograd.dot(xs, w) + b for w, b in layers[0]]  # inputs first
        h = [v.tanh() for v in h]
        out = [autograd.dot(w + [b], h + [Value(1.0)]) for w, b in layers[1]]  # bias trick
        out += [autograd.dot(layers[1][0][0][:3], [h[0], h[0], h[1]])]  # an input used twice
        return out, loss_of("mse", out, ys)

    rng = np.random.default_rng(0)
    program = check_equivalent(fn, params, rng.normal(size=(4, 3)), rng.normal(size=(4, 3)))
    assert program.plan.counts["matmuls"] == 3


def test_shuffled_parameter_order_and_shared_weights():
    layers, params = make_mlp([3, 3, 2], seed=9)
    tied = layers[0][0][0]
    layers[0][1][0][1] = tied[2]  # one weight used by two neurons
    shuffled = list(params)
    random.Random(0).shuffle(shuffled)
    fn = sample_fn(layers, ["relu", "linear"], "hinge")
    rng = np.random.default_rng(1)
    X, Y = rng.normal(size=(6, 3)), targets("hinge", 6, 2, rng)
    check_equivalent(fn, shuffled, X, Y)
    listed_twice = compile_batch(fn, shuffled + shuffled[:3], X, Y)
    assert sorted(listed_twice.params, key=id) == sorted(shuffled, key=id)  # each once


def test_ragged_sums_and_dots_of_computed_values():
    p = [Value(0.1 * (k + 1), label=f"p.{k}") for k in range(4)]

    def fn(xs, ys):
        a = [x * q for x, q in zip(xs, p)]
        s1 = autograd.sum(a[:2], start=1.0)
        s2 = autograd.sum(a, start=1.0)
        s3 = autograd.sum([], start=1.0)
        d1 = autograd.dot(a[:2], a[2:])
        d2 = autograd.dot([a[0]], [a[0]])
        d3 = autograd.dot([xs[0], xs[1]], [xs[1], xs[1]])
        out = [s1, s2, s3, d1, d2, d3]
        return out, autograd.sum([o * o for o in out]) + ys[0] * d1

    rng = np.random.default_rng(2)
    check_equivalent(fn, p, rng.normal(size=(5, 4)), rng.normal(size=(5, 1)))


def test_l2_penalty_over_parameters_only():
    layers, params = make_mlp([2, 4, 1], seed=3)

    def fn(xs, ys):
        out = forward(layers, ["relu", "linear"], xs)
        reg = 1e-3 * autograd.sum([q * q for q in params])
        return out, loss_of("hinge", out, ys) + reg

    rng = np.random.default_rng(5)
    check_equivalent(fn, params, rng.normal(size=(7, 2)), targets("hinge", 7, 1, rng))


def test_labelled_intermediate_nodes_and_outputs_outside_the_loss():
    w = [Value(0.5, label="w.0"), Value(-0.25, label="w.1")]

    def fn(xs, ys):
        z = w[0] * xs[0] + w[1] * xs[1]
        z.label = "z"
        extra = (xs[0] * w[1]).tanh()  # an output the loss never reads
        return [z, extra, xs[1], w[0]], (z - ys[0]) ** 2

    rng = np.random.default_rng(6)
    check_equivalent(fn, w, rng.normal(size=(4, 2)), rng.normal(size=(4, 1)))


def test_mnist_shaped_layer_records_in_one_matmul():
    layers, params = make_mlp([64, 32, 10], seed=0)
    fn = sample_fn(layers, ["relu", "linear"], "cross_entropy")
    rng = np.random.default_rng(0)
    X, Y = rng.random((8, 64)), targets("cross_entropy", 8, 10, rng)
    program = check_equivalent(fn, params, X, Y)
    assert program.plan.counts["matmuls"] == 2
    assert "2 matmuls" in repr(program)
    first = program.plan.steps[0]  # the hidden layer's weights: one contiguous block
    assert first.owner and first.view == (0, 64)
    assert program.params[:64] == layers[0][0][0] and program.params[64] is layers[0][1][0][0]


# -- the program API ----------------------------------------------------------------------


def test_float32_program_trades_exactness_for_speed():
    layers, params = make_mlp([6, 8, 3], seed=6)
    fn = sample_fn(layers, ["relu", "linear"], "cross_entropy")
    rng = np.random.default_rng(8)
    X, Y = rng.normal(size=(10, 6)), targets("cross_entropy", 10, 3, rng)
    outs, losses, grads = scalar_run(fn, params, X, Y)
    program = compile_batch(fn, params, X, Y, dtype=np.float32)
    c_outs, c_losses = program.forward(X, Y)
    flat = program.backward()
    assert program.theta.dtype == c_outs.dtype == flat.dtype == np.float32
    position = {p: i for i, p in enumerate(params)}
    np.testing.assert_allclose(c_outs, outs, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(c_losses, losses, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(flat, [grads[position[p]] for p in program.params],
                               rtol=1e-3, atol=1e-5)



def test_predict_without_targets_and_parameter_sync():
    layers, params = make_mlp([3, 4, 2], seed=4)
    fn = sample_fn(layers, ["tanh", "linear"], "cross_entropy")
    rng = np.random.default_rng(7)
    X, Y = rng.normal(size=(5, 3)), targets("cross_entropy", 5, 2, rng)
    program = compile_batch(fn, params, X, Y)
    outputs, losses = program.forward(X)
    assert losses is None
    assert_close(outputs, program.forward(X, Y)[0], "outputs without targets")
    losses, grad = program.loss_and_grad(X, Y)
    program.theta -= 0.1 * grad  # an optimizer step on arrays
    program.sync_to_values()
    assert sorted(program.params, key=id) == sorted(params, key=id)
    assert [p.data for p in program.params] == program.theta.tolist()
    assert_close(program.forward(X, Y)[1], scalar_run(fn, params, X, Y)[1], "after step")
    params[0].data = 5.0
    program.sync_from_values()
    assert program.theta[program.params.index(params[0])] == 5.0


@pytest.mark.parametrize("widths", [[3, 4, 2], [40, 60, 2]])  # 26 and 2,582 parameters
def test_reading_back_what_was_written_gives_theta_as_written_whoever_changed_it_since(widths):
    layers, params = make_mlp(widths, seed=5)
    fn = sample_fn(layers, ["tanh", "linear"], "mse")
    X, Y = np.ones((2, widths[0])), np.zeros((2, 2))
    for dtype in (np.float64, np.float32):
        program = compile_batch(fn, params, X, Y, dtype=dtype)
        program.theta += np.linspace(-0.5, 0.5, len(program.theta), dtype=dtype)
        written = program.theta.copy()
        program.sync_to_values(grad=np.arange(len(written), dtype=dtype))
        assert [p.grad for p in program.params] == list(range(len(written)))
        program.theta[:] = 9.0  # edited on the arrays only: the Values still say otherwise
        program.sync_from_values()
        assert np.array_equal(program.theta, written)
        assert [p.data for p in program.params] == written.tolist()
        program.params[2].data = float(written[2])  # an equal float, another object
        program.params[1].data = 7.25  # and edits
        program.params[-1].data = -3.5
        program.sync_from_values()
        expected = written.copy()
        expected[1], expected[-1] = 7.25, -3.5
        assert np.array_equal(program.theta, expected)
        assert program.theta.dtype == dtype


def test_api_errors_name_the_problem():
    layers, params = make_mlp([2, 2, 1], seed=0)
    fn = sample_fn(layers, ["relu", "linear"], "mse")
    X, Y = np.ones((3, 2)), np.ones((3, 1))
    program = compile_batch(fn, params, X, Y)
    fresh = compile_batch(fn, params, X, Y)
    fresh.forward(X)
    with pytest.raises(CompileError, match="forward"):
        fresh.backward()
    with pytest.raises(CompileError, match=r"shape \(batch, 2\)"):
        program.forward(np.ones((3, 5)), Y)
    with pytest.raises(CompileError, match="X has 3 samples but Y has 2"):
        program.forward(X, Y[:2])
    program.forward(X, Y)
    with pytest.raises(CompileError, match=r"shape \(3,\)"):
        program.backward(np.ones(2))
    with pytest.raises(CompileError, match="leaf Values"):
        compile_batch(fn, [params[0] * 2], X, Y)
    with pytest.raises(CompileError, match="must return"):
        compile_batch(lambda xs, ys: xs[0], params, X, Y)
    with pytest.raises(CompileError, match="loss must be a Value"):
        compile_batch(lambda xs, ys: (xs, 1.0), params, X, Y)
    with pytest.raises(CompileError, match="no_grad"), autograd.no_grad():
        compile_batch(fn, params, X, Y)

    def reads_target(xs, ys):
        return [xs[0] * ys[0]], (xs[0] - ys[0]) ** 2

    program = compile_batch(reads_target, [], X, Y)
    with pytest.raises(CompileError, match="read the targets"):
        program.forward(X)
