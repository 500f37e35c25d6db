"""Shared Hypothesis strategies: random expression DAGs over the engine's smooth ops.

A DAG is a *recipe*: a list of steps that each apply an op to earlier nodes (inputs or
intermediate results, so subexpressions are reused). ``build(recipe)`` turns it into a
function of ``Value``s, which is what ``gradcheck`` and friends take.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from hypothesis import strategies as st

import autograd
from autograd import Value

# Ops that stay finite and smooth for moderate inputs; guarded ops keep their domain.
UNARY = ["tanh", "sigmoid", "sin", "cos", "softplus", "neg", "square", "exp_small",
         "log_safe", "sqrt_safe", "relu_shift"]
BINARY = ["add", "sub", "mul", "div_safe", "pow_safe"]
NARY = ["sum", "dot"]


@dataclass(frozen=True)
class Recipe:
    n_inputs: int
    steps: tuple[tuple[str, tuple[int, ...], float], ...]

    def __str__(self) -> str:
        return " ; ".join(f"n{self.n_inputs + k} = {op}{args}" for k, (op, args, _) in
                          enumerate(self.steps))


def apply_step(op: str, args: list[Value], c: float) -> Value:
    """One recipe step on Values."""
    if op == "neg":
        return -args[0]
    if op == "square":
        return args[0] * args[0]
    if op == "exp_small":
        return (args[0].tanh() * 2.0).exp()
    if op == "log_safe":
        return (args[0] * args[0] + 1.0).log()
    if op == "sqrt_safe":
        return (args[0] * args[0] + 0.5).sqrt()
    if op == "relu_shift":  # shifted so the kink is almost never hit
        return (args[0] + c).relu()
    if op in UNARY:
        return getattr(args[0], op)()
    a, b = args[0], args[1] if len(args) > 1 else None
    if op == "add":
        return a + b
    if op == "sub":
        return a - b
    if op == "mul":
        return a * b
    if op == "div_safe":
        return a / (b * b + 1.0)
    if op == "pow_safe":
        return (a * a + 0.5) ** (b.tanh())
    if op == "sum":
        return autograd.sum(args, start=c)
    if op == "dot":
        half = len(args) // 2
        return autograd.dot(args[:half], args[half:2 * half])
    raise ValueError(op)


def build(recipe: Recipe) -> Callable[..., Value]:
    """The recipe as a function of ``n_inputs`` Values returning the output Value."""

    def f(*xs: Value) -> Value:
        nodes = list(xs)
        for op, idx, c in recipe.steps:
            nodes.append(apply_step(op, [nodes[i] for i in idx], c))
        return nodes[-1]

    return f


@st.composite
def recipes(draw, min_inputs: int = 1, max_inputs: int = 4, max_steps: int = 12,
            ops: tuple[str, ...] | None = None) -> Recipe:
    """A random DAG: each step reads earlier nodes, so intermediate nodes get reused."""
    n_inputs = draw(st.integers(min_inputs, max_inputs))
    n_steps = draw(st.integers(1, max_steps))
    allowed = list(ops) if ops else UNARY + BINARY + NARY
    steps = []
    for k in range(n_steps):
        available = n_inputs + k
        op = draw(st.sampled_from(allowed))
        pick = st.integers(0, available - 1)
        if op in UNARY:
            idx = (draw(pick),)
        elif op in BINARY:
            idx = (draw(pick), draw(pick))
        else:
            size = draw(st.integers(1, 3)) * (2 if op == "dot" else 1)
            idx = tuple(draw(pick) for _ in range(size))
        # Bias toward the newest node so the output depends on most of the graph.
        if draw(st.booleans()):
            idx = (available - 1,) + idx[1:]
        c = draw(st.floats(-1.0, 1.0, allow_nan=False).filter(lambda v: abs(v) > 0.05))
        steps.append((op, idx, c))
    return Recipe(n_inputs, tuple(steps))


def inputs_for(n: int, lo: float = -2.0, hi: float = 2.0):
    """A strategy for ``n`` input numbers in [lo, hi]."""
    return st.lists(st.floats(lo, hi, allow_nan=False, allow_infinity=False),
                    min_size=n, max_size=n)


@st.composite
def dags(draw, **kwargs) -> tuple[Recipe, list[float]]:
    """A recipe and a point to evaluate it at."""
    recipe = draw(recipes(**kwargs))
    return recipe, draw(inputs_for(recipe.n_inputs))
