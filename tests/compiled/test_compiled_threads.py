"""Threads in compiled runs: chosen, used by the program to split its large products (BLAS
at one thread during each call, restored after), and the numbers do not depend on them
(float32 agrees with float64 to its precision)."""

from __future__ import annotations

import sys

import numpy as np
import pytest
import threadpoolctl  # noqa: F401  (a dev dependency: these tests need it)
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd
import nn
from autograd import ConfigError, MissingDependency, Value
from autograd.compiled import compile_batch, steps
from autograd.compiled import threads as th


def small_problem(seed: int = 0, n_in: int = 12, hidden: int = 16, batch: int = 20):
    rng = np.random.default_rng(seed)
    W = [[Value(float(rng.normal(0, 0.5))) for _ in range(n_in)] for _ in range(hidden)]
    b = [Value(0.1) for _ in range(hidden)]
    v = [Value(float(rng.normal(0, 0.5))) for _ in range(hidden)]
    params = [p for row in W for p in row] + b + v

    def fn(xs, ys):
        h = [(autograd.dot(w, xs) + c).relu() for w, c in zip(W, b)]
        out = autograd.dot(v, h)
        return [out], (out - ys[0]) ** 2

    X, Y = rng.normal(size=(batch, n_in)), rng.normal(size=(batch, 1))
    return fn, params, X, Y


def record_threads(monkeypatch) -> list[tuple[list[int], int | None]]:
    """Record, for every product a matmul step runs, BLAS's thread counts at that moment
    and the threads the product is split over."""
    seen: list[tuple[list[int], int | None]] = []

    def recorded(a, b, out, threads):
        seen.append((th.blas_thread_counts(), threads))
        return th.matmul_into(a, b, out, threads)

    monkeypatch.setattr(steps, "matmul_into", recorded)
    return seen


@pytest.fixture
def blas_count():
    counts = th.blas_thread_counts()
    assert counts, "numpy's BLAS should be visible to threadpoolctl"
    return counts


@given(threads=st.integers(1, 4), outside=st.integers(1, 3))
@settings(max_examples=12)
def test_blas_runs_one_thread_in_each_call_and_is_restored_after(threads, outside):
    fn, params, X, Y = small_problem()
    with pytest.MonkeyPatch.context() as mp, \
            threadpoolctl.threadpool_limits(outside, user_api="blas"):
        seen = record_threads(mp)
        program = compile_batch(fn, params, X, Y, threads=threads)
        program.forward(X, Y)
        program.backward()
        assert th.blas_thread_counts() == [outside] * len(th.blas_thread_counts())
    assert seen and all(set(blas) == {1} and split == threads for blas, split in seen)
    assert program.threads == threads


def test_restored_even_when_a_step_raises(blas_count):
    x = Value(1.0)

    def fn(xs, ys):
        return [xs[0]], (xs[0] * x + ys[0]).log()

    program = compile_batch(fn, [x], [[1.0]], [[1.0]], threads=blas_count[0] + 1)
    with pytest.raises(ValueError, match="log"):
        program.forward([[-5.0]], [[1.0]])
    assert th.blas_thread_counts() == blas_count


def test_results_do_not_depend_on_the_thread_count(monkeypatch):
    monkeypatch.setattr(th, "SPLIT_WORK", 0)  # every product split, however small
    fn, params, X, Y = small_problem(seed=3, n_in=40, hidden=64, batch=300)
    results = []
    for threads in (1, 2, 3):
        program = compile_batch(fn, params, X, Y, threads=threads)
        outs, losses = program.forward(X, Y)
        results.append((outs, losses, program.backward()))
    for outs, losses, grad in results[1:]:
        np.testing.assert_allclose(outs, results[0][0], rtol=1e-12, atol=1e-12)
        np.testing.assert_allclose(losses, results[0][1], rtol=1e-12, atol=1e-12)
        np.testing.assert_allclose(grad, results[0][2], rtol=1e-11, atol=1e-12)


def test_assigning_threads_changes_them_and_none_chooses_again(monkeypatch):
    fn, params, X, Y = small_problem()
    program = compile_batch(fn, params, X, Y, threads=3)
    program.threads = 1
    seen = record_threads(monkeypatch)
    program.forward(X, Y)
    assert seen[-1] == ([1] * len(seen[-1][0]), 1)
    monkeypatch.setattr(th.os, "getloadavg", lambda: (0.0, 0.0, 0.0))
    program.threads = None
    assert program.threads == th.usable_cores()


@pytest.mark.parametrize("load, expected", [
    (0.0, "cores"), (0.4, "cores"), (1.0, "cores-1"), (100.0, 1)])
def test_automatic_choice_leaves_busy_cores_alone(monkeypatch, load, expected):
    monkeypatch.setattr(th, "usable_cores", lambda: 4)
    monkeypatch.setattr(th.os, "getloadavg", lambda: (load, 0.0, 0.0))
    want = {"cores": 4, "cores-1": 3}.get(expected, expected)
    assert th.auto_threads() == want
    assert th.resolve_threads(None, "here") == want


def test_automatic_choice_without_a_load_average(monkeypatch):
    def unavailable():
        raise OSError("no load average")

    monkeypatch.setattr(th.os, "getloadavg", unavailable)
    assert th.auto_threads() == th.usable_cores() >= 1


@pytest.mark.parametrize("bad", [0, -1, 1.5, True, "2", [2]])
def test_bad_thread_counts_are_refused_by_name(bad):
    fn, params, X, Y = small_problem()
    with pytest.raises(ConfigError, match=r"compile_batch: threads must be None .* got"):
        compile_batch(fn, params, X, Y, threads=bad)
    program = compile_batch(fn, params, X, Y, threads=1)
    with pytest.raises(ConfigError, match="BatchProgram.threads"):
        program.threads = bad
    model = nn.Sequential([nn.Dense(2, input_shape=(3,))])
    with pytest.raises(ConfigError, match="compile: threads must be"):
        model.compile(loss="mse", threads=bad)


def test_without_threadpoolctl_automatic_leaves_blas_alone_and_counts_need_it(monkeypatch):
    monkeypatch.setattr(th, "_controllers", None)
    monkeypatch.setitem(sys.modules, "threadpoolctl", None)  # import now fails
    fn, params, X, Y = small_problem()
    program = compile_batch(fn, params, X, Y)
    assert program.threads is None
    outs, _ = program.forward(X, Y)
    assert outs.shape == (len(X), 1)
    with pytest.raises(MissingDependency, match="threads=2 needs the threadpoolctl package"):
        compile_batch(fn, params, X, Y, threads=2)
    model = nn.Sequential([nn.Dense(2, input_shape=(3,))])
    with pytest.raises(MissingDependency, match="compile: threads=1 needs"):
        model.compile(loss="mse", threads=1)
    model.compile(loss="mse")  # the automatic choice needs nothing
    model.fit(np.ones((4, 3)), np.ones((4, 2)), verbose=0)


# -- the Keras-style model ---------------------------------------------------------------


def mnist_like(dtype: str, threads: int | None, seed: int = 0):
    rng = np.random.default_rng(seed)
    X = rng.random((96, 50)).astype(np.float32)
    Y = np.eye(10)[rng.integers(0, 10, len(X))]
    model = nn.Sequential([nn.Dense(64, "relu", input_shape=(50,)), nn.Dense(10, "softmax")],
                          seed=seed)
    model.compile(optimizer="rmsprop", loss="categorical_crossentropy", metrics=["accuracy"],
                  dtype=dtype, threads=threads)
    return model, X, Y


def test_compile_threads_reach_every_compiled_call_and_are_restored(blas_count, monkeypatch):
    model, X, Y = mnist_like("float64", threads=blas_count[0] + 1)
    model.fit(X, Y, epochs=1, batch_size=32, verbose=0)
    program = model.program
    seen = record_threads(monkeypatch)
    model.fit(X, Y, epochs=1, batch_size=32, verbose=0)
    model.evaluate(X, Y)
    model.predict(X)
    assert seen and all(set(blas) == {1} and split == blas_count[0] + 1 for blas, split in seen)
    assert th.blas_thread_counts() == blas_count
    model.compile(optimizer=model.optimizer, loss=model.loss, threads=1)  # no recompile
    model.fit(X, Y, epochs=1, batch_size=32, verbose=0)
    assert model.program is program and seen[-1][1] == 1


def test_float32_and_float64_training_agree_at_any_thread_count(monkeypatch):
    monkeypatch.setattr(th, "SPLIT_WORK", 0)  # the products split at 2 threads
    runs = {}
    for dtype in ("float64", "float32"):
        for threads in (1, 2):
            model, X, Y = mnist_like(dtype, threads)
            history = model.fit(X, Y, epochs=2, batch_size=32, verbose=0, seed=1)
            runs[dtype, threads] = (np.array([p.data for p in model.parameters()]),
                                    history.history["loss"], model.predict(X))
    for dtype, tol in (("float64", 1e-10), ("float32", 1e-4)):
        theta, loss, pred = runs[dtype, 2]
        np.testing.assert_allclose(theta, runs[dtype, 1][0], rtol=tol, atol=tol)
        np.testing.assert_allclose(loss, runs[dtype, 1][1], rtol=tol)
        np.testing.assert_allclose(pred, runs[dtype, 1][2], rtol=tol, atol=tol)
    theta64, loss64, pred64 = runs["float64", 1]
    theta32, loss32, pred32 = runs["float32", 1]
    np.testing.assert_allclose(theta32, theta64, rtol=1e-3, atol=2e-4)
    np.testing.assert_allclose(loss32, loss64, rtol=1e-4)
    np.testing.assert_allclose(pred32, pred64, rtol=1e-3, atol=1e-4)


@pytest.mark.parametrize("n,threads", [(0, 2), (5, 2), (5000, 2), (10_000, 3), (4097, 8)])
def test_run_split_covers_every_index_once(n, threads):
    seen = np.zeros(n, dtype=int)
    parts: list[slice] = []

    def work(part: slice) -> None:
        parts.append(part)
        np.add(seen[part], 1, out=seen[part])

    th.run_split(work, n, threads)
    assert (seen == 1).all()
    assert 1 <= len(parts) <= max(1, threads)


def test_run_split_raises_a_slice_error_after_every_slice_finished():
    done: list[int] = []

    def work(part: slice) -> None:
        if part.start == 0:
            raise ValueError("slice 0 failed")
        done.append(part.start)

    with pytest.raises(ValueError, match="slice 0 failed"):
        th.run_split(work, 8192, 2)
    assert done == [4096]


@given(rows=st.integers(1, 70), inner=st.integers(1, 40), cols=st.integers(1, 70),
       threads=st.integers(1, 4), dtype=st.sampled_from(["float64", "float32"]),
       strided=st.booleans(), seed=st.integers(0, 2**32 - 1))
@settings(max_examples=60, deadline=None)
def test_a_split_product_is_the_whole_product(rows, inner, cols, threads, dtype, strided, seed):
    rng = np.random.default_rng(seed)
    a = rng.normal(size=(rows, inner)).astype(dtype)
    b = rng.normal(size=(cols, inner)).astype(dtype).T  # a transposed view, as W.T is
    block = np.zeros((rows, cols + 5), dtype=dtype)
    out = block[:, 2:2 + cols] if strided else np.zeros((rows, cols), dtype=dtype)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(th, "SPLIT_WORK", 0)
        th.matmul_into(a, b, out, threads)
    tol = 1e-12 if dtype == "float64" else 1e-5
    np.testing.assert_allclose(out, a @ b, rtol=tol, atol=tol)
    if strided:
        assert not block[:, :2].any() and not block[:, 2 + cols:].any()  # nothing else written


def test_a_small_product_is_one_call_and_a_large_one_is_split(monkeypatch):
    calls: list[tuple[int, ...]] = []
    real = np.matmul

    def counted(a, b, out=None):
        calls.append(out.shape)
        return real(a, b, out=out)

    monkeypatch.setattr(np, "matmul", counted)
    a, b = np.ones((128, 784)), np.ones((784, 512))
    th.matmul_into(a[:4], b[:, :8], np.empty((4, 8)), 2)
    assert calls == [(4, 8)]
    calls.clear()
    out = np.empty((128, 512))
    th.matmul_into(a, b, out, 2)
    assert sorted(calls) == [(128, 256), (128, 256)] and (out == 784).all()
    calls.clear()
    th.matmul_into(b.T, a.T, np.empty((512, 128)), 2)  # more rows than columns: by rows
    assert sorted(calls) == [(256, 128), (256, 128)]
