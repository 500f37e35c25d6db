"""``custom_op``: a user-defined op that joins the op table like a built-in one.

It then works in backward, higher-order ``grad``, the stepper, drawings and gradcheck.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Sequence
from typing import Any

from .engine import BUILD, Value
from .errors import OpDefinitionError
from .ops import Op, register
from .real import as_real

__all__ = ["custom_op"]


def _count_inputs(name: str, forward: Callable[..., Any]) -> int:
    try:
        params = list(inspect.signature(forward).parameters.values())
    except (TypeError, ValueError):
        params = []
    variadic = (inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD)
    if not params or any(p.kind in variadic for p in params):
        raise OpDefinitionError(
            f"custom_op {name!r}: cannot tell the number of inputs; pass nargs=")
    return len(params)


def _input_names(forward: Callable[..., Any], nargs: int) -> tuple[str, ...]:
    """The names a rule text may use for the inputs: ``forward``'s parameters, else x1..xn."""
    try:
        params = [p.name for p in inspect.signature(forward).parameters.values()
                  if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    except (TypeError, ValueError):
        params = []
    return tuple(params) if len(params) == nargs else tuple(f"x{i + 1}" for i in range(nargs))


def _rule_texts(name: str, rule: str | Sequence[str] | None, nargs: int) -> tuple[str, ...]:
    if rule is None:
        return ()
    rules = (rule,) if isinstance(rule, str) else tuple(rule)
    if len(rules) != nargs or not all(isinstance(r, str) and r.strip() for r in rules):
        raise OpDefinitionError(f"custom_op {name!r}: rule must be {nargs} non-empty "
                                f"formula text(s), one per input, got {rule!r}")
    return tuple(r.strip() for r in rules)


def custom_op(
    name: str,
    forward: Callable[..., float],
    partials: Callable[..., Sequence[Any]],
    symbol: str | None = None,
    nargs: int | None = None,
    rule: str | Sequence[str] | None = None,
) -> Callable[..., Value]:
    """Define a new op from its float ``forward`` and its local ``partials``.

    ``partials(*xs)`` returns one local derivative per input; written with ordinary
    arithmetic it works on floats and on ``Value``s, which gives higher order for free.
    ``rule`` (optional) is that derivative as text, one formula per input in the names of
    ``forward``'s parameters and ``out``: the stepper and the lab show it.

    >>> cube = custom_op("cube", lambda x: x ** 3, lambda x: (3 * x ** 2,))
    >>> x = Value(2.0)
    >>> y = cube(x)
    >>> y.backward()
    >>> y.data, x.grad
    (8.0, 12.0)
    """
    if not callable(forward) or not callable(partials):
        raise OpDefinitionError(f"custom_op {name!r}: forward and partials must be callables")
    if nargs is None:
        nargs = _count_inputs(name, forward)
    listed = nargs not in (1, 2)  # 3+ inputs live in a tuple and come as one list

    def checked(F: Any, *args: Any) -> tuple[Any, ...]:
        inputs = args[0] if listed else args[:-1]
        result = partials(*inputs)
        try:
            result = tuple(result)
        except TypeError:
            result = (result,)  # a lone derivative for a one-input op
        if len(result) != nargs:
            raise OpDefinitionError(
                f"custom op {name!r}: partials returned {len(result)} derivatives "
                f"for {nargs} inputs")
        return result

    def fwd(*args: Any) -> float:
        xs = args[0] if listed else args
        return as_real(forward(*xs), f"custom op {name!r} forward")

    rules = _rule_texts(name, rule, nargs)
    op = register(Op(name, nargs, fwd, checked, symbol or name, builtin=False,
                     doc=(forward.__doc__ or "").strip(), rule=rules,
                     rule_args=_input_names(forward, nargs) if rules else ()))
    build = BUILD.function(op) if nargs == 1 else BUILD.operator(op) if nargs == 2 else None

    def apply(*inputs: Value | float) -> Value:
        if len(inputs) != nargs:
            raise OpDefinitionError(f"custom op {name!r} takes {nargs} inputs, got {len(inputs)}")
        if build is not None:
            return build(*inputs)
        return BUILD.nary(op, BUILD.values(inputs, f"custom op {name!r}: input"))

    apply.__name__ = name
    apply.op = op  # type: ignore[attr-defined]
    return apply
