"""The tests' own finite differences: an oracle independent of ``autograd.check.finite_diff``."""

from __future__ import annotations

from collections.abc import Callable


def central_diff(f: Callable[[list[float]], float], xs: list[float], i: int,
                 h: float = 1e-6) -> float:
    """d f / d xs[i] by central differences, the step scaled to the input's size."""
    step = h * max(1.0, abs(xs[i]))
    up, down = list(xs), list(xs)
    up[i] += step
    down[i] -= step
    return (f(up) - f(down)) / (up[i] - down[i])


def numgrad(f: Callable[[list[float]], float], xs: list[float], h: float = 1e-6) -> list[float]:
    """Every partial derivative of ``f`` at ``xs`` by central differences."""
    return [central_diff(f, xs, i, h) for i in range(len(xs))]
