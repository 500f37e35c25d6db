"""Reductions of arrays of Values: ``sum`` and ``mean`` (one ``sum`` node per output entry),
``max``/``min`` (the gradient goes to the chosen entry), ``prod``, ``var``, ``std``, ``norm``.

Each takes numpy's ``axis`` (None, an int or a tuple) and ``keepdims``; a full reduction
gives the ``Value`` itself, as numpy gives a scalar.

>>> from autograd import Value
>>> x = np.array([[Value(1.0), Value(2.0)], [Value(3.0), Value(4.0)]], dtype=object)
>>> total = reduce_sum(x)
>>> total.op, total.data, [v.data for v in reduce_mean(x, axis=0)]
('sum', 10.0, [2.0, 3.0])
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from ..errors import ConfigError
from ..nary import sum as _sum
from .elementwise import as_operand, elementwise

__all__ = ["reduce_max", "reduce_mean", "reduce_min", "reduce_prod", "reduce_std",
           "reduce_sum", "reduce_var", "reduce_norm", "axes_of"]

Axis = int | Sequence[int] | None


def axes_of(axis: Axis, ndim: int, name: str) -> tuple[int, ...]:
    """``axis`` as a sorted tuple of non-negative axes, or a clear error."""
    if axis is None:
        return tuple(range(ndim))
    items = (axis,) if isinstance(axis, (int, np.integer)) else tuple(axis)
    out = []
    for a in items:
        if not isinstance(a, (int, np.integer)) or isinstance(a, bool):
            raise ConfigError(f"np.{name}: axis must be an int or a tuple of ints, got {axis!r}")
        if not -ndim <= a < ndim:
            raise ConfigError(f"np.{name}: axis {a} is out of bounds for an array of "
                              f"dimension {ndim}")
        out.append(int(a) % ndim)
    if len(set(out)) != len(out):
        raise ConfigError(f"np.{name}: axis {axis!r} repeats an axis")
    return tuple(sorted(out))


def _reduce(x: Any, axis: Axis, keepdims: bool, name: str,
            fn: Callable[[list[Any]], Any]) -> Any:
    """``fn`` over each group of entries along ``axis``."""
    arr = np.asarray(as_operand(x))
    axes = axes_of(axis, arr.ndim, name)
    rest = [d for d in range(arr.ndim) if d not in axes]
    moved = np.transpose(arr, rest + list(axes))
    kept = moved.shape[:len(rest)]
    size = int(np.prod([arr.shape[d] for d in axes], dtype=np.int64))
    groups = moved.reshape(-1, size)
    out = np.empty(groups.shape[0], dtype=object)
    for i, group in enumerate(groups):
        out[i] = fn(list(group))
    out = out.reshape(kept)
    if keepdims:
        out = out.reshape([1 if d in axes else arr.shape[d] for d in range(arr.ndim)])
    return out[()] if out.shape == () else out


def _count(x: Any, axis: Axis, name: str) -> int:
    shape = np.shape(x)
    return int(np.prod([shape[d] for d in axes_of(axis, len(shape), name)], dtype=np.int64))


def reduce_sum(x: Any, axis: Axis = None, keepdims: bool = False, initial: Any = 0.0) -> Any:
    """``np.sum``: one ``sum`` node per output entry (numbers folded in as ``start``)."""
    def total(items: list[Any]) -> Any:
        return _sum(items, start=initial) if items else initial
    return _reduce(x, axis, keepdims, "sum", total)


def reduce_mean(x: Any, axis: Axis = None, keepdims: bool = False) -> Any:
    """``np.mean``: the sum divided by the number of entries reduced."""
    n = _count(x, axis, "mean")
    if n == 0:
        raise ConfigError("np.mean: the mean of an empty array is undefined")
    total = reduce_sum(x, axis, keepdims)
    return total / n if not isinstance(total, np.ndarray) else elementwise(
        np.true_divide, (total, n))


def _pick(better: Callable[[float, float], bool], name: str) -> Callable[[list[Any]], Any]:
    def pick(items: list[Any]) -> Any:
        if not items:
            raise ConfigError(f"np.{name}: a zero-size reduction has no {name}")
        best = items[0]
        for item in items[1:]:
            if better(float(item), float(best)):
                best = item
        return best
    return pick


def reduce_max(x: Any, axis: Axis = None, keepdims: bool = False) -> Any:
    """``np.max``: the largest entry itself (its gradient is the output's; the others get 0)."""
    return _reduce(x, axis, keepdims, "max", _pick(operator.gt, "max"))


def reduce_min(x: Any, axis: Axis = None, keepdims: bool = False) -> Any:
    """``np.min``: the smallest entry itself."""
    return _reduce(x, axis, keepdims, "min", _pick(operator.lt, "min"))


def reduce_prod(x: Any, axis: Axis = None, keepdims: bool = False) -> Any:
    """``np.prod``: a chain of products."""
    return _reduce(x, axis, keepdims, "prod",
                   lambda items: functools.reduce(operator.mul, items, 1.0))


def reduce_var(x: Any, axis: Axis = None, keepdims: bool = False, ddof: int = 0) -> Any:
    """``np.var``: the mean squared deviation from the mean (``ddof`` as in numpy)."""
    n = _count(x, axis, "var")
    if n - ddof <= 0:
        raise ConfigError(f"np.var: ddof={ddof} leaves no degrees of freedom for {n} entries")
    centred = elementwise(np.subtract, (x, reduce_mean(x, axis, keepdims=True)))
    squares = elementwise(np.square, (centred,))
    total = reduce_sum(squares, axis, keepdims)
    return elementwise(np.true_divide, (total, n - ddof))


def reduce_std(x: Any, axis: Axis = None, keepdims: bool = False, ddof: int = 0) -> Any:
    """``np.std``: the square root of ``var``."""
    return elementwise(np.sqrt, (reduce_var(x, axis, keepdims, ddof),))


def reduce_norm(x: Any, ord: Any = None, axis: Axis = None, keepdims: bool = False) -> Any:
    """``np.linalg.norm`` for the default (2-norm of a vector, Frobenius of a matrix)."""
    if ord not in (None, 2, "fro") or (ord == 2 and np.ndim(x) != 1 and axis is None):
        raise ConfigError(f"np.linalg.norm: only the default norm (sqrt of the sum of "
                          f"squares) is supported on Values, got ord={ord!r}")
    squares = elementwise(np.square, (x,))
    return elementwise(np.sqrt, (reduce_sum(squares, axis, keepdims),))
