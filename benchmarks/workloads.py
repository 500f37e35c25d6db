"""The benchmark workloads, each written once per engine in the same shape.

Every workload is a function ``make(engine) -> run`` where ``run()`` does one
forward+backward and returns the root (so nodes can be counted).
"""

from __future__ import annotations

import random
from collections.abc import Callable

import autograd

CHAIN = 50_000  # two nodes per step: a 100,000-node chain
USER_CHAIN = 100_000  # steps of (y * 1.0001 + 0.1).relu(), literals as users write them
WIDE = 10_000


def chain(V: type) -> Callable[[], object]:
    def run() -> object:
        x, c, d = V(0.5), V(1.00001), V(0.00001)
        y = x
        for _ in range(CHAIN):
            y = y * c + d
        y.backward()
        return y

    return run


def user_chain(V: type) -> Callable[[], object]:
    """The chain as users write it: each literal a new constant (a leaf in micrograd)."""
    def run() -> object:
        y = V(0.5)
        for _ in range(USER_CHAIN):
            y = (y * 1.0001 + 0.1).relu()
        y.backward()
        return y

    return run


def _wide_inputs(V: type) -> tuple[list, list]:
    rng = random.Random(0)
    return ([V(rng.uniform(-1, 1)) for _ in range(WIDE)],
            [V(rng.uniform(-1, 1)) for _ in range(WIDE)])


def fold(V: type) -> Callable[[], object]:
    """A weighted sum as a left fold, ``acc = acc + w * x``: 20,000 binary op nodes."""
    ws, xs = _wide_inputs(V)

    def run() -> object:
        acc = V(0.0)
        for w, x in zip(ws, xs):
            acc = acc + w * x
        acc.backward()
        return acc

    return run


def dot() -> Callable[[], object]:
    ws, xs = _wide_inputs(autograd.Value)

    def run() -> object:
        y = autograd.dot(ws, xs)
        y.backward()
        return y

    return run


def moons_data() -> tuple[list[list[float]], list[float]]:
    from nn.datasets import moons

    X, y = moons(100, noise=0.1, seed=1)
    return [list(map(float, row)) for row in X], [1.0 if t > 0 else -1.0 for t in y]


def moons_step_micrograd() -> Callable[[], object]:
    from benchmarks.micrograd_ref import mlp

    X, Y = moons_data()
    model = mlp(2, [16, 16, 1])

    def run() -> object:
        scores = [model(x) for x in X]
        losses = [(1 + -y * s).relu() for y, s in zip(Y, scores)]
        data_loss = sum(losses) * (1.0 / len(losses))
        reg_loss = 1e-4 * sum(p * p for p in model.parameters())
        loss = data_loss + reg_loss
        model.zero_grad()
        loss.backward()
        for p in model.parameters():
            p.data -= 0.1 * p.grad
        return loss

    return run


def moons_step_ours() -> Callable[[], object]:
    import nn

    X, Y = moons_data()
    model = nn.MLP(2, [16, 16, 1], seed=0)
    params = model.parameters()

    def run() -> object:
        scores = [model(x) for x in X]
        loss = nn.losses.hinge(scores, Y) + 1e-4 * autograd.dot(params, params)
        model.zero_grad()
        loss.backward()
        with autograd.no_grad():
            for p in params:
                p.data -= 0.1 * p.grad
        return loss

    return run


def digits_data(n: int = 32) -> tuple[list[list[float]], list[int]]:
    rng = random.Random(0)
    return ([[rng.random() for _ in range(64)] for _ in range(n)],
            [rng.randrange(10) for _ in range(n)])


def digits_step_micrograd() -> Callable[[], object]:
    from benchmarks.micrograd_ref import mlp

    X, Y = digits_data()
    model = mlp(64, [32, 10])

    def run() -> object:
        model.zero_grad()
        for x, y in zip(X, Y):  # one graph per sample, as a per-sample step does
            logits = model(x)
            m = max(v.data for v in logits)
            exps = [(v - m).exp() for v in logits]
            loss = sum(exps).log() - (logits[y] - m)
            loss.backward()
        return loss

    return run


def digits_step_ours() -> Callable[[], object]:
    import nn

    X, Y = digits_data()
    model = nn.MLP(64, [32, 10], seed=0)

    def run() -> object:
        model.zero_grad()
        for x, y in zip(X, Y):
            loss = nn.losses.cross_entropy(model(x), y)
            loss.backward()
        return loss

    return run
