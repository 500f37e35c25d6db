"""A softmax head's cross-entropy tail runs as one fused step, and only when that is exact:
every case is checked against the scalar engine (to 1e-9) by ``check_equivalent``."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from test_compiled import check_equivalent, forward, make_mlp

import autograd
from autograd.compiled.steps import MapStep, ReduceStep
from autograd.compiled.xent import SoftmaxXentStep
from nn.fit.objectives import sample_loss


def head_fn(layers, kind: str, extra=None):
    """A relu MLP with a softmax head and Keras' cross-entropy (``nn``'s recording)."""
    def fn(xs, ys):
        logits = forward(layers, ["relu"] * (len(layers) - 1) + ["linear"], xs)
        loss, outs = sample_loss(kind, "softmax", logits, ys)
        return (outs, loss) if extra is None else extra(logits, outs, loss)
    return fn


def fused(program) -> list[SoftmaxXentStep]:
    return [s for s in program.plan.steps if isinstance(s, SoftmaxXentStep)]


def one_hot(rng, n: int, k: int) -> np.ndarray:
    return np.eye(k)[rng.integers(0, k, n)]


def test_a_categorical_head_runs_as_one_step():
    layers, params = make_mlp([5, 7, 4], seed=3)
    rng = np.random.default_rng(0)
    X = rng.normal(size=(9, 5))
    program = check_equivalent(head_fn(layers, "categorical"), params, X, one_hot(rng, 9, 4))
    assert len(fused(program)) == 1
    left = [s.rule.name for s in program.plan.steps if isinstance(s, (MapStep, ReduceStep))]
    assert not {"logsumexp", "dot", "exp", "mul"} & set(left)
    # a sparse head (lse - dot: one sub group with z - lse) keeps its steps, and matches
    program = check_equivalent(head_fn(layers, "sparse"), params, X, one_hot(rng, 9, 4))
    assert not fused(program)


@settings(max_examples=40, deadline=None)
@given(sizes=st.lists(st.integers(2, 6), min_size=2, max_size=3), seed=st.integers(0, 999),
       batch=st.integers(1, 7), scale=st.sampled_from([0.1, 1.0, 30.0]),
       soft=st.booleans())
def test_fused_heads_match_the_scalar_engine(sizes, seed, batch, scale, soft):
    layers, params = make_mlp(sizes, seed=seed)
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(batch, sizes[0])) * scale  # 30: logits in the hundreds
    # soft targets that do not sum to 1 (label smoothing, weights): the ``* sum(y)`` path
    Y = rng.random((batch, sizes[-1])) * 2 if soft else one_hot(rng, batch, sizes[-1])
    program = check_equivalent(head_fn(layers, "categorical"), params, X, Y)
    assert len(fused(program)) == 1
    if batch > 1:  # outputs alone (prediction) still come from the fused step
        outs = program.forward(X)[0]
        np.testing.assert_allclose(outs.sum(axis=1), 1.0, rtol=1e-12)


def test_a_tail_read_elsewhere_keeps_its_own_steps():
    layers, params = make_mlp([4, 3], seed=5)
    rng = np.random.default_rng(2)
    X, Y = rng.normal(size=(6, 4)), one_hot(rng, 6, 3)

    def log_probs_too(logits, outs, loss):  # the log-softmax columns are read by an output
        lse = autograd.logsumexp(logits)
        return outs + [z - lse for z in logits], loss

    def entropy_penalty(logits, outs, loss):  # the softmax is read by the loss
        return outs, loss + 0.1 * autograd.sum([p * p for p in outs])

    for extra in (log_probs_too, entropy_penalty):
        program = check_equivalent(head_fn(layers, "categorical", extra), params, X, Y)
        assert not fused(program)


def test_float32_fused_head_tracks_float64():
    layers, params = make_mlp([6, 8, 5], seed=9)
    rng = np.random.default_rng(4)
    X, Y = rng.normal(size=(16, 6)), one_hot(rng, 16, 5)
    fn = head_fn(layers, "categorical")
    narrow = autograd.compile_batch(fn, params, X, Y, dtype=np.float32)
    wide = autograd.compile_batch(fn, params, X, Y)
    assert fused(narrow) and fused(wide)
    np.testing.assert_allclose(narrow.forward(X, Y)[1], wide.forward(X, Y)[1], rtol=1e-5)
    np.testing.assert_allclose(narrow.backward(), wide.backward(), rtol=1e-3, atol=1e-5)
