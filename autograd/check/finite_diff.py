"""Finite differences: the numeric side of every gradient check.

``numeric_grad(f, xs)`` differentiates ``f`` by central differences in float64. The
helpers below it are shared by ``gradcheck``, ``gradgradcheck`` and the model check:
they validate inputs, call ``f`` with clear errors, and tell when a finite difference
straddles a kink (relu/abs at 0) or sits at a domain edge (log/sqrt near 0), where the
numbers cannot be trusted and the point is "not differentiable here".

>>> [round(g, 6) for g in numeric_grad(lambda x, y: x * y + y, [2.0, 3.0])]
[3.0, 3.0]
"""

from __future__ import annotations

import inspect
import math
from collections.abc import Callable, Sequence
from typing import Any

from ..engine import Value
from ..errors import DomainError, InputTypeError
from ..graph import children_of, topo_order
from ..ops import Op
from ..real import as_real

__all__ = ["numeric_grad"]

Inputs = list[tuple[float, str]]  # (data, label) per input
EDGE_FACTOR = 10.0  # a domain edge closer than this many input shifts poisons the difference


def as_inputs(xs: Any, where: str) -> Inputs:
    """``xs`` (numbers or Values) as finite floats with their labels, or a clear error."""
    if isinstance(xs, (Value, int, float)) or not isinstance(xs, Sequence):
        raise InputTypeError(
            f"{where}: xs must be a list of numbers or Values, got {xs!r} ({type(xs).__name__});"
            " wrap a single input as [x]")
    if not xs:
        raise InputTypeError(f"{where}: xs is empty; give at least one input")
    out = []
    for i, x in enumerate(xs):
        if isinstance(x, Value):
            data, label = x.data, x.label
        else:
            data, label = as_real(x, f"{where}: xs[{i}]"), ""
        if not math.isfinite(data):
            raise DomainError(f"{where}: xs[{i}] is {data!r}; gradients are checked at "
                              "finite points")
        out.append((data, label))
    return out


def check_eps(eps: Any, where: str) -> float:
    """``eps`` as a positive finite float."""
    value = as_real(eps, f"{where}: eps")
    if not (value > 0 and math.isfinite(value)):
        raise DomainError(f"{where}: eps must be a positive finite number, got {eps!r}")
    return value


def names(inputs: Inputs, given: Sequence[str] | None = None) -> list[str]:
    """Row names: ``given``, else each input's label, else ``x0``, ``x1``..."""
    if given is not None:
        given = list(given)
        if len(given) != len(inputs):
            raise InputTypeError(f"names: {len(given)} names for {len(inputs)} inputs")
        return [str(n) for n in given]
    return [label or f"x{i}" for i, (_, label) in enumerate(inputs)]


def leaves(inputs: Inputs, i: int = -1, d: float = 0.0) -> list[Value]:
    """Fresh leaves holding ``inputs`` (input ``i`` moved by ``d``), with their labels."""
    return [Value(x + d if k == i else x, label) for k, (x, label) in enumerate(inputs)]


def apply(f: Callable[..., Any], args: list[Value], where: str, fname: str = "f") -> Value:
    """``f(*args)``, checked: a wrong input count, a result that is not a ``Value`` and a
    non-finite result each get an error saying what ``f`` was given and returned."""
    if not callable(f):
        raise InputTypeError(f"{where}: {fname} must be a callable, got {f!r} "
                             f"({type(f).__name__})")
    try:
        out = f(*args)
    except TypeError as exc:
        expected = _arity_problem(f, len(args), fname)
        if expected is None:
            raise
        raise InputTypeError(f"{where}: {expected}") from exc
    if not isinstance(out, Value):
        raise InputTypeError(
            f"{where}: {fname} must return a Value, got {out!r} ({type(out).__name__}); build "
            "the result from Values")
    if not math.isfinite(out.data):
        at = ", ".join(f"{v.data:.6g}" for v in args)
        raise DomainError(f"{where}: {fname} returned {out.data!r} (not finite) at xs = [{at}]")
    return out


def call(f: Callable[..., Any], inputs: Inputs, where: str, shift: tuple[int, float] = (-1, 0.0)
         ) -> Value:
    """``f`` on fresh leaves holding ``inputs``, input ``shift[0]`` moved by ``shift[1]``."""
    return apply(f, leaves(inputs, *shift), where)


def _arity_problem(f: Callable[..., Any], n: int, fname: str) -> str | None:
    """Say how many inputs ``f`` takes if ``n`` positional ones do not fit, else None."""
    try:
        sig = inspect.signature(f)
    except (TypeError, ValueError):
        return None
    try:
        sig.bind(*range(n))
    except TypeError:
        params = [p for p in sig.parameters.values()
                  if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
        required = [p.name for p in params if p.default is p.empty]
        takes = (f"{len(required)}" if len(required) == len(params)
                 else f"{len(required)} to {len(params)}")
        hint = "; xs must hold one number or Value per input of f" if fname == "f" else ""
        return (f"{fname} takes {takes} inputs ({', '.join(p.name for p in params)}) but was "
                f"called with {n}{hint}")
    return None


def central(f: Callable[..., Any], inputs: Inputs, i: int, eps: float, where: str
            ) -> tuple[float, Value, Value]:
    """The central difference of ``f`` by input ``i``, with the two graphs it built."""
    plus = call(f, inputs, where, (i, eps))
    minus = call(f, inputs, where, (i, -eps))
    return (plus.data - minus.data) / (2.0 * eps), plus, minus


def numeric_grad(f: Callable[..., Value], xs: Sequence[Any], eps: float = 1e-6) -> list[float]:
    """d f / d x_i for every input, by central differences ``(f(x+eps) - f(x-eps)) / 2eps``.

    ``f`` takes one ``Value`` per input and returns a ``Value``; ``xs`` holds numbers or
    ``Value``s (only their data is used; their ``.grad`` is left alone).
    """
    inputs = as_inputs(xs, "numeric_grad")
    eps = check_eps(eps, "numeric_grad")
    call(f, inputs, "numeric_grad")
    return [central(f, inputs, i, eps, "numeric_grad")[0] for i in range(len(inputs))]


def edges(op: Op) -> tuple[tuple[float, ...], bool]:
    """The op's non-differentiable points of its first input, and whether they are
    domain edges (log/sqrt at 0, a fractional or negative power at 0) rather than kinks."""
    if op.name == "pow" and op.value is not None and (op.value < 0 or op.value != int(op.value)):
        return (0.0,), True
    if op.name == "powv":
        return (0.0,), True
    return op.kinks, op.check is not None


def _side(x: float, k: float) -> int:
    return (x > k) - (x < k)


def near_edge(op: Op, x: float, lo: float, hi: float) -> str | None:
    """Why the op's first input moving over ``[lo, hi]`` (``x`` at the point) spoils
    finite differences: crossing a kink, or coming close to a domain edge."""
    points, domain = edges(op)
    for k in points:
        if domain:
            if hi != lo and abs(x - k) <= EDGE_FACTOR * max(abs(hi - x), abs(x - lo)):
                return f"input {x:.6g} is at the edge {k:g} of its domain"
        elif _side(lo, k) != _side(hi, k):
            return f"input {x:.6g} is at its kink {k:g}"
    return None


def crossed(base: Value, plus: Value, minus: Value) -> tuple[str, str] | None:
    """Whether a finite difference straddled a kink or a domain edge of any op node.

    Compares the graph at the point with the graphs at x + eps and x - eps node by node
    (the same ``topo_order`` numbering). Returns ``("kink", note)``, or
    ``("branch", note)`` when the graphs differ in shape (``f`` took another Python
    branch), or None.
    """
    orders = topo_order(base), topo_order(plus), topo_order(minus)
    if not len(orders[0]) == len(orders[1]) == len(orders[2]):
        return "branch", "f builds a different graph at x + eps and x - eps (a Python branch?)"
    for number, (node, hi, lo) in enumerate(zip(*orders)):
        fn = node._fn
        if fn is None:
            continue
        if hi._fn is None or lo._fn is None or hi._fn.name != fn.name or lo._fn.name != fn.name:
            return "branch", f"node #{number} is not {fn.name} at x + eps or x - eps"
        if not edges(fn)[0]:
            continue
        x = children_of(node)[0].data
        why = near_edge(fn, x, children_of(lo)[0].data, children_of(hi)[0].data)
        if why is not None:
            label = f" ({node.label!r})" if node.label else ""
            return "kink", f"{fn.name} at node #{number}{label}: {why}"
    return None
