"""Which numpy functions run on arrays of Values, and the error for the ones that do not.

Three kinds: the math this package implements (``np.dot``, ``np.sum``, ``np.mean``...),
each taking numpy's own signature; functions that only move entries around
(``np.concatenate``, ``np.where``...), which numpy runs unchanged; and everything else,
which gets an error naming the function and the supported list instead of numpy's own
message about object arrays.

>>> "np.dot" in supported_names() and "np.tanh" in supported_names()
True
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ..engine import Value
from ..errors import InputTypeError
from . import linalg, reduce
from .elementwise import DATA, ELEMENTWISE, as_numbers, as_operand, clip

__all__ = ["IMPLEMENTED", "MOVING", "plain_options", "supported_names", "unsupported"]


def plain_options(name: str, dtype: Any = None, out: Any = None, where: Any = True) -> None:
    """Refuse the numpy options that cannot hold Values (a float ``dtype``, ``out``, ``where``)."""
    if dtype is not None and np.dtype(dtype) != object:
        raise InputTypeError(f"np.{name}: dtype={dtype!r} would turn Values into plain numbers "
                             "and lose their graph; leave dtype out")
    if out is not None:
        raise InputTypeError(f"np.{name}: out= is not supported on Values; use the result")
    if where is not True:
        raise InputTypeError(f"np.{name}: where= is not supported on Values")


def _sum(a: Any, axis: Any = None, dtype: Any = None, out: Any = None, keepdims: bool = False,
         initial: Any = 0.0, where: Any = True) -> Any:
    plain_options("sum", dtype, out, where)
    return reduce.reduce_sum(a, axis, keepdims, initial)


def _mean(a: Any, axis: Any = None, dtype: Any = None, out: Any = None,
          keepdims: bool = False, *, where: Any = True) -> Any:
    plain_options("mean", dtype, out, where)
    return reduce.reduce_mean(a, axis, keepdims)


def _average(a: Any, axis: Any = None, weights: Any = None, returned: bool = False, *,
             keepdims: bool = False) -> Any:
    if weights is not None or returned:
        raise InputTypeError("np.average: weights= and returned= are not supported on Values; "
                             "write np.sum(w * x) / np.sum(w)")
    return reduce.reduce_mean(a, axis, keepdims)


def _extreme(name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
    def extreme(a: Any, axis: Any = None, out: Any = None, keepdims: bool = False,
                initial: Any = None, where: Any = True) -> Any:
        plain_options(name, None, out, where)
        if initial is not None:
            raise InputTypeError(f"np.{name}: initial= is not supported on Values")
        return fn(a, axis, keepdims)
    return extreme


def _prod(a: Any, axis: Any = None, dtype: Any = None, out: Any = None, keepdims: bool = False,
          initial: Any = None, where: Any = True) -> Any:
    plain_options("prod", dtype, out, where)
    result = reduce.reduce_prod(a, axis, keepdims)
    return result if initial is None else result * initial


def _spread(name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
    def spread(a: Any, axis: Any = None, dtype: Any = None, out: Any = None, ddof: int = 0,
               keepdims: bool = False, *, where: Any = True, mean: Any = None,
               correction: Any = None) -> Any:
        plain_options(name, dtype, out, where)
        if mean is not None:
            raise InputTypeError(f"np.{name}: mean= is not supported on Values")
        return fn(a, axis, keepdims, ddof if correction is None else correction)
    return spread


def _clip(a: Any, a_min: Any = None, a_max: Any = None, out: Any = None, *, min: Any = None,
          max: Any = None, **kw: Any) -> Any:
    lo, hi = (a_min if min is None else min), (a_max if max is None else max)
    plain_options("clip", None, out, kw.pop("where", True))
    if kw:
        raise InputTypeError(f"np.clip: options {sorted(kw)} are not supported on Values")
    operands = [as_operand(x) for x in (a, lo, hi)]
    return np.frompyfunc(clip, 3, 1)(*operands)


def _like(fill: float | None) -> Callable[..., Any]:
    """``np.zeros_like`` and friends: an object array of numbers, so Values can be stored
    into it later without losing their graph."""
    def like(a: Any, *args: Any, dtype: Any = None, shape: Any = None, **kw: Any) -> Any:
        value = args[0] if fill is None else fill
        out = np.empty(np.shape(a) if shape is None else shape, dtype=object)
        out[...] = float(value) if type(value) is not Value else value
        return out
    return like


def _data(fn: Callable[..., Any]) -> Callable[..., Any]:
    """A function read on the numbers only (``np.round``, ``np.allclose``)."""
    return lambda *args, **kw: fn(*[as_numbers(a) for a in args], **kw)


IMPLEMENTED: dict[Callable[..., Any], Callable[..., Any]] = {
    np.dot: linalg.dot, np.matmul: linalg.matmul, np.inner: linalg.inner,
    np.outer: linalg.outer, np.vdot: lambda a, b: linalg.dot(np.ravel(a), np.ravel(b)),
    np.sum: _sum, np.mean: _mean, np.average: _average, np.prod: _prod,
    np.max: _extreme("max", reduce.reduce_max), np.amax: _extreme("max", reduce.reduce_max),
    np.min: _extreme("min", reduce.reduce_min), np.amin: _extreme("min", reduce.reduce_min),
    np.var: _spread("var", reduce.reduce_var), np.std: _spread("std", reduce.reduce_std),
    np.linalg.norm: reduce.reduce_norm, np.clip: _clip, np.zeros_like: _like(0.0),
    np.ones_like: _like(1.0), np.empty_like: _like(0.0), np.full_like: _like(None),
    np.round: _data(np.round), np.around: _data(np.around), np.allclose: _data(np.allclose),
    np.isclose: _data(np.isclose), np.array_equal: _data(np.array_equal),
}

# Functions that only select, copy or rearrange entries: numpy runs them as they are.
MOVING: frozenset[Callable[..., Any]] = frozenset([
    np.reshape, np.transpose, np.ravel, np.squeeze, np.expand_dims, np.concatenate, np.stack,
    np.hstack, np.vstack, np.dstack, np.column_stack, np.atleast_1d, np.atleast_2d,
    np.atleast_3d, np.broadcast_to, np.broadcast_arrays, np.copy, np.flip, np.fliplr,
    np.flipud, np.roll, np.rot90, np.swapaxes, np.moveaxis, np.split, np.array_split,
    np.hsplit, np.vsplit, np.take, np.take_along_axis, np.diag, np.diagonal, np.tile,
    np.repeat, np.where, np.triu, np.tril, np.append, np.shape, np.ndim, np.size,
    np.argmax, np.argmin,
    np.argsort, np.sort, np.array_repr, np.array_str, np.array2string, np.delete,
    np.insert, np.select, np.choose, np.trace,
])


def _name(fn: Callable[..., Any]) -> str:
    return ("np.linalg." if fn is np.linalg.norm else "np.") + fn.__name__


def supported_names(moving: bool = True) -> list[str]:
    """Every numpy function and ufunc that works on arrays of Values, as ``np.name``
    (without the functions that only rearrange entries if ``moving=False``)."""
    names = {f"np.{n}" for n in ELEMENTWISE if n not in ("true_divide", "expit")}
    names |= {f"np.{n}" for n in DATA} | {"scipy.special.expit"}
    names |= {_name(fn) for fn in (*IMPLEMENTED, *(MOVING if moving else ()))}
    return sorted(names)


def unsupported(what: str) -> InputTypeError:
    """The error for a numpy function that cannot work on Values."""
    return InputTypeError(
        f"{what} is not supported on arrays of Values (np_values): it has no derivative "
        f"rule here. Supported math: {', '.join(supported_names(moving=False))}; and the "
        "functions that only rearrange entries (np.reshape, np.concatenate, np.stack, "
        "np.where, np.take...: autograd.arrays.supported_names() lists them all)")
