"""``sum``, ``dot``, ``logsumexp``: one node for many inputs, so wide reductions stay flat.

A chain of 10,000 ``+`` nodes becomes one node with 10,000 children: one step in
backward and in the stepper, one box in a drawing.
"""

from __future__ import annotations

from collections.abc import Iterable

from .engine import BUILD, Value
from .errors import ConfigError
from .ops import OPS, bind
from .real import as_real

__all__ = ["dot", "logsumexp", "sum"]

Number = int | float
_SUM, _DOT, _LSE = OPS["sum"], OPS["dot"], OPS["logsumexp"]
nary, values = BUILD.nary, BUILD.values


def sum(items: Iterable[Value | Number], start: Number = 0.0) -> Value:  # noqa: A001
    """One node adding all ``items`` (plus the number ``start``, folded into the node).

    Its children are exactly ``items``, in order; numbers become constant leaves.

    >>> a, b = Value(1.0), Value(2.0)
    >>> s = sum([a, b, a], start=0.5)
    >>> s.data, len(s.children)
    (4.5, 3)
    """
    inputs = values(items, "sum: element")
    return nary(bind(_SUM, as_real(start, "sum: start")), inputs)


def dot(ws: Iterable[Value | Number], xs: Iterable[Value | Number]) -> Value:
    """One node for ``w1*x1 + ... + wn*xn``; its children are ``ws`` then ``xs``.

    >>> d = dot([Value(2.0), Value(3.0)], [4.0, 5.0])
    >>> d.data, len(d.children)
    (23.0, 4)
    """
    w = values(ws, "dot: weight")
    x = values(xs, "dot: input")
    if len(w) != len(x):
        raise ConfigError(f"dot: needs as many weights as inputs, got {len(w)} and {len(x)}")
    return nary(_DOT, w + x)


def logsumexp(items: Iterable[Value | Number]) -> Value:
    """One node for ``log(exp(x1) + ... + exp(xn))``, stable for any size of input.

    Its local derivatives are the softmax ``exp(x_i - out)``: cross-entropy is
    ``logsumexp(z) - dot(onehot, z)`` and softmax ``exp(z_i - logsumexp(z))``, with no
    number taken from ``.data`` baked into the graph (so compiled programs accept it).

    >>> z = [Value(1000.0), Value(-1000.0), Value(1000.0)]
    >>> out = logsumexp(z)
    >>> round(out.data - 1000.0, 6), len(out.children)
    (0.693147, 3)
    >>> out.backward(); [round(v.grad, 4) for v in z]
    [0.5, 0.0, 0.5]
    """
    inputs = values(items, "logsumexp: element")
    if not inputs:
        raise ConfigError("logsumexp: needs at least one input, got none")
    return nary(_LSE, inputs)
