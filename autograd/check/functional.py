"""Gradients as return values: ``grad`` (first and higher order) and ``hessian``.

``grad`` runs the same ``backward.propagate`` over the same ``topo_order`` and the
same op-table rules as ``backward()``; it only returns the gradients instead of adding
them into ``.grad``. With ``create_graph=True`` the rules are evaluated with the
``Value`` math namespace, so each gradient is itself a ``Value`` with a graph, and can
be differentiated again.

>>> from autograd import Value
>>> x = Value(3.0)
>>> y = x ** 3
>>> (dy,) = grad(y, [x], create_graph=True)
>>> dy.data, grad(dy, [x])
(27.0, [18.0])
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from ..backward import propagate
from ..engine import Value
from ..errors import InputTypeError, OpDefinitionError, describe_node
from ..graph import local_partials, topo_order
from ..real import as_real
from ..value_math import VALUE_MATH
from .finite_diff import apply, as_inputs, leaves

__all__ = ["grad", "hessian"]


def grad(output: Value, inputs: Sequence[Value] | Value, create_graph: bool = False,
         grad_output: float = 1.0) -> list[Any]:
    """d output / d input for each input, as floats (or ``Value``s if ``create_graph``).

    ``.grad`` is neither read nor written. An input ``output`` does not depend on gets
    ``0.0`` (a constant ``Value(0.0)`` with ``create_graph``), as PyTorch's
    ``allow_unused=True, materialize_grads=True``. Hooks run as in ``backward``. With
    ``create_graph`` a custom op's partials must be written with arithmetic and
    ``Value`` methods (``x.cos()``, not ``math.cos(x)``) to give higher derivatives.
    """
    if not isinstance(output, Value):
        raise InputTypeError(f"grad: output must be a Value, got {output!r} "
                             f"({type(output).__name__})")
    targets = [inputs] if isinstance(inputs, Value) else list(_check_inputs(inputs))
    seed = as_real(grad_output, "grad: grad_output")
    order = topo_order(output)
    if not create_graph:
        grads = propagate(order, output, seed)
        return [float(grads.get(x, 0.0)) for x in targets]
    grads = _propagate_values(order, output, Value(seed))
    return [grads[x] if x in grads else Value(0.0) for x in targets]


def _check_inputs(inputs: Any) -> Sequence[Value]:
    if isinstance(inputs, (str, bytes)) or not isinstance(inputs, Sequence):
        raise InputTypeError(f"grad: inputs must be a Value or a list of Values, got {inputs!r} "
                             f"({type(inputs).__name__})")
    for i, x in enumerate(inputs):
        if not isinstance(x, Value):
            raise InputTypeError(f"grad: inputs[{i}] must be a Value, got {x!r} "
                                 f"({type(x).__name__})")
    return inputs


def _propagate_values(order: list[Value], output: Value, seed: Value) -> dict[Value, Any]:
    """``propagate`` building Values; an op whose rule cannot do that is named."""
    try:
        return propagate(order, output, seed, F=VALUE_MATH)
    except (FloatingPointError, OpDefinitionError):
        raise
    except Exception as exc:
        for number in range(len(order) - 1, -1, -1):
            node = order[number]
            if node._fn is None or node._fn.builtin:
                continue  # built-in rules build graphs; their errors are raised as they are
            try:
                local_partials(node, VALUE_MATH)
            except Exception as inner:
                raise OpDefinitionError(
                    f"grad(create_graph=True): the derivative rule of op {node.op!r} at node "
                    f"#{number} ({describe_node(node)}) cannot build a graph: its partials "
                    f"raised {type(inner).__name__}: {inner} when given Values; write them "
                    "with arithmetic and Value methods (x.cos(), not math.cos(x))") from exc
        raise


def hessian(f: Callable[..., Value], xs: Sequence[Any]) -> list[list[float]]:
    """The matrix of second derivatives ``H[i][j] = d2 f / dx_i dx_j`` at ``xs``.

    ``f`` takes one ``Value`` per input and returns a ``Value``; ``xs`` holds numbers or
    ``Value``s (only their data is used).

    >>> hessian(lambda x, y: x * x * y, [2.0, 3.0])
    [[6.0, 4.0], [4.0, 0.0]]
    """
    inputs = as_inputs(xs, "hessian")
    xs_ = leaves(inputs)
    first = grad(apply(f, xs_, "hessian"), xs_, create_graph=True)
    return [grad(g, xs_) for g in first]
