"""Vectorized rules: every op's forward and local partials over numpy blocks, one row each.

The scalar table (:mod:`autograd.ops`) stays the source of truth; this table restates
each built-in row for a whole block of nodes at once, with the same conventions
(``relu'(0) = 0``, ``abs'(0) = 0``, ``leaky_relu'(0) = slope``, inf/nan instead of
exceptions). A row of kind ``parts=0`` gets one ``(batch, group)`` array per input; a
reduction (``sum``, ``logsumexp``: 1 part, ``dot``: 2 parts, weights then inputs) gets one
``(batch, group, n)`` array per part. Partials may return plain floats for constants and
boolean masks for 0/1 (relu's).
Custom ops join with :func:`register_vectorized`.

>>> import numpy as np
>>> rule = RULES["relu"]
>>> rule.forward([np.array([[-1.0, 0.0, 2.0]])], None).tolist()
[[0.0, 0.0, 2.0]]
>>> x = [np.array([[-1.0, 0.0, 2.0]])]
>>> rule.partials(x, rule.forward(x, None), None)[0].tolist()  # a mask: 1 where out != 0
[[False, False, True]]
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..errors import OpDefinitionError
from ..ops import OPS

__all__ = ["RULES", "VRule", "register_vectorized", "rule_for"]

Array = np.ndarray


@dataclass(frozen=True)
class VRule:
    """One op over blocks: ``forward(args, value)``, ``partials(args, out, value)``.

    ``value`` is the op's bound parameter (pow exponent, leaky_relu slope, sum start);
    ``bad(args, value)`` marks inputs outside the op's domain (where the scalar engine
    raises), so the compiled program raises the same error. ``into(*args, out=block)``,
    when given, is the forward of an op with no bound parameter written straight into
    the program's block (a numpy ufunc: no temporary array).
    """

    name: str
    forward: Callable[[list[Array], Any], Array]
    partials: Callable[[list[Array], Any, Any], Sequence[Any]]
    bad: Callable[[list[Array], Any], Array] | None = None
    parts: int = 0
    builtin: bool = True
    into: Callable[..., Any] | None = None


def _sign(x: Array) -> Array:
    return np.where(x > 0, 1.0, np.where(x < 0, -1.0, 0.0))  # sign(nan) = 0, as in ops.py


def _sigmoid(x: Array) -> Array:
    e = np.exp(-np.abs(x))  # exp(-x) where x >= 0, exp(x) where x < 0: never overflows
    return np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def _logsumexp(a: list[Array], _: Any) -> Array:
    x = a[0]
    m = x.max(axis=-1)  # nan propagates; an infinite max is the answer, as in ops.py
    finite = np.isfinite(m)
    shift = np.where(finite, m, 0.0)
    total = np.exp(x - shift[..., None]).sum(axis=-1)
    return np.where(finite, shift + np.log(total), m)


def _bad_pow(a: Array, b: Any) -> Array:
    fractional = np.isfinite(b) & (b != np.floor(b)) if np.ndim(b) else (
        np.isfinite(b) and b != int(b))
    return ((a == 0) & (b < 0)) | ((a < 0) & fractional)


def _powc_partials(args: list[Array], out: Any, n: float) -> tuple[Any, ...]:
    return (0.0,) if n == 0 else (n * np.power(args[0], n - 1),)


def _powv_partials(args: list[Array], out: Array, _: Any) -> tuple[Array, Array]:
    a, b = args
    db = np.where((a == 0) & (b >= 0), 0.0, out * np.log(a))  # PyTorch's mask at a == 0
    da = b * np.power(a, b - 1)
    return np.where((b == 0) & ~np.isfinite(np.power(a, -1.0)), 0.0, da), db  # as ops.py


def _row(name: str, forward: Callable, partials: Callable, bad: Callable | None = None,
         parts: int = 0, into: Callable | None = None) -> VRule:
    return VRule(name, forward, partials, bad, parts, into=into)


def _relu_into(x: Array, out: Array) -> Array:
    return np.maximum(x, 0.0, out=out)


_ROWS = [
    _row("add", lambda a, v: a[0] + a[1], lambda a, o, v: (1.0, 1.0), into=np.add),
    _row("sub", lambda a, v: a[0] - a[1], lambda a, o, v: (1.0, -1.0), into=np.subtract),
    _row("mul", lambda a, v: a[0] * a[1], lambda a, o, v: (a[1], a[0]), into=np.multiply),
    _row("div", lambda a, v: a[0] / a[1], lambda a, o, v: (1.0 / a[1], -o / a[1]),
         bad=lambda a, v: a[1] == 0, into=np.divide),
    _row("powv", lambda a, v: np.power(a[0], a[1]), _powv_partials,
         bad=lambda a, v: _bad_pow(a[0], a[1])),
    _row("pow", lambda a, n: np.power(a[0], n), _powc_partials,
         bad=lambda a, n: _bad_pow(a[0], n)),
    _row("neg", lambda a, v: -a[0], lambda a, o, v: (-1.0,), into=np.negative),
    _row("abs", lambda a, v: np.abs(a[0]), lambda a, o, v: (_sign(a[0]),), into=np.abs),
    _row("exp", lambda a, v: np.exp(a[0]), lambda a, o, v: (o,), into=np.exp),
    _row("log", lambda a, v: np.log(a[0]), lambda a, o, v: (1.0 / a[0],),
         bad=lambda a, v: a[0] <= 0, into=np.log),
    _row("tanh", lambda a, v: np.tanh(a[0]), lambda a, o, v: (1.0 - o * o,), into=np.tanh),
    _row("sigmoid", lambda a, v: _sigmoid(a[0]), lambda a, o, v: (o * (1.0 - o),)),
    _row("relu", lambda a, v: np.maximum(a[0], 0.0),  # nan stays nan, as in the scalar rule
         lambda a, o, v: (o != 0,), into=_relu_into),  # 1 where x > 0 or nan (relu'(nan) = 1)
    _row("leaky_relu", lambda a, s: np.where(a[0] > 0, a[0], s * a[0]),
         lambda a, o, s: (np.where(a[0] > 0, 1.0, s),)),
    _row("sin", lambda a, v: np.sin(a[0]), lambda a, o, v: (np.cos(a[0]),)),
    _row("cos", lambda a, v: np.cos(a[0]), lambda a, o, v: (-np.sin(a[0]),)),
    _row("sqrt", lambda a, v: np.sqrt(a[0]), lambda a, o, v: (0.5 / o,),
         bad=lambda a, v: a[0] < 0, into=np.sqrt),
    _row("softplus", lambda a, v: np.maximum(a[0], 0.0) + np.log1p(np.exp(-np.abs(a[0]))),
         lambda a, o, v: (_sigmoid(a[0]),)),
    _row("sum", lambda a, start: a[0].sum(axis=-1) + start, lambda a, o, v: (1.0,), parts=1),
    _row("dot", lambda a, v: np.einsum("...n,...n->...", a[0], a[1]),
         lambda a, o, v: (a[1], a[0]), parts=2),
    _row("logsumexp", _logsumexp, lambda a, o, v: (np.exp(a[0] - o[..., None]),), parts=1),
]

RULES: dict[str, VRule] = {rule.name: rule for rule in _ROWS}


def rule_for(name: str) -> VRule | None:
    """The vectorized rule of op ``name``, or None when it has none."""
    return RULES.get(name)


def register_vectorized(
    name: str,
    forward: Callable[..., Array],
    partials: Callable[..., Sequence[Array]],
) -> None:
    """Give custom op ``name`` a batch form so compiled programs can use it.

    ``forward(*arrays)`` maps one ``(batch, group)`` array per input to the output
    array; ``partials(*arrays)`` returns one local-derivative array per input (the
    vectorized twin of the ``custom_op`` rules).

    >>> import autograd
    >>> cube = autograd.custom_op("cube_doc", lambda x: x ** 3, lambda x: (3 * x ** 2,))
    >>> register_vectorized("cube_doc", lambda x: x ** 3, lambda x: (3 * x ** 2,))
    """
    existing = RULES.get(name)
    if (existing is not None and existing.builtin) or (name in OPS and OPS[name].builtin):
        raise OpDefinitionError(
            f"register_vectorized: {name!r} is a built-in op; its vectorized rule is fixed")
    if not callable(forward) or not callable(partials):
        raise OpDefinitionError(
            f"register_vectorized {name!r}: forward and partials must be callables")

    def fwd(args: list[Array], _: Any) -> Array:
        return forward(*args)

    def par(args: list[Array], out: Any, _: Any) -> Sequence[Any]:
        result = partials(*args)
        result = tuple(result) if isinstance(result, (list, tuple)) else (result,)
        if len(result) != len(args):
            raise OpDefinitionError(
                f"vectorized rule of custom op {name!r}: partials returned {len(result)} "
                f"arrays for {len(args)} inputs")
        return result

    RULES[name] = VRule(name, fwd, par, builtin=False)
