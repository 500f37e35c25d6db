"""What ``check_backprop`` is given, made regular: named float parameter arrays, the data,
the user's functions called with clear errors, and their results as arrays.

>>> def loss(W, b, X, y): ...
>>> param_arrays([np.ones((2, 1)), 0.5], None, loss)[0]
['W', 'b']
"""

from __future__ import annotations

import copy
import inspect
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from ...engine import Value
from ...errors import InputTypeError
from .report import shape_text

__all__ = ["as_loss", "call_user", "data_counts", "describe_data", "grad_arrays",
           "param_arrays", "private_data", "scalar_loss"]

WHERE = "check_backprop"


def _positional(fn: Callable[..., Any]) -> list[str]:
    try:
        params = inspect.signature(fn).parameters.values()
    except (TypeError, ValueError):
        return []
    return [p.name for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]


def param_arrays(params: Any, names: Sequence[str] | None, loss_fn: Callable[..., Any]
                 ) -> tuple[list[str], list[np.ndarray]]:
    """Names and float64 copies of the parameters (a dict by name, a list, or one array).

    Names come from ``names``, the dict's keys, or ``loss_fn``'s first argument names.
    """
    if isinstance(params, dict):
        given, items = [str(k) for k in params], list(params.values())
    elif isinstance(params, (list, tuple)):
        given, items = None, list(params)
    else:
        given, items = None, [params]
    if not items:
        raise InputTypeError(f"{WHERE}: params is empty; give the parameter arrays")
    if names is not None:
        given = [str(n) for n in names]
        if len(given) != len(items):
            raise InputTypeError(f"{WHERE}: {len(given)} names for {len(items)} parameters")
    if given is None:
        signature = _positional(loss_fn)[:len(items)]
        given = signature if len(signature) == len(items) else [f"p{i}"
                                                                for i in range(len(items))]
    if len(set(given)) != len(given) or not all(given):
        raise InputTypeError(f"{WHERE}: parameter names must be distinct and non-empty, got "
                             f"{given}")
    arrays = []
    for name, item in zip(given, items):
        arr = np.array(item, dtype=float) if _real(item) else None
        if arr is None or arr.size == 0 or not np.all(np.isfinite(arr)):
            raise InputTypeError(f"{WHERE}: parameter {name!r} must be a non-empty array of "
                                 f"finite real numbers, got {item!r:.80}")
        arrays.append(arr)
    return given, arrays


def _real(item: Any) -> bool:
    try:
        return np.asarray(item).dtype.kind in "biuf"
    except (TypeError, ValueError):
        return False


def data_names(loss_fn: Callable[..., Any], n_params: int, n_data: int) -> list[str]:
    """The data arguments' names from ``loss_fn``'s signature (``data0``... otherwise)."""
    names = _positional(loss_fn)[n_params:n_params + n_data]
    return names + [f"data{i}" for i in range(len(names), n_data)]


def describe_data(loss_fn: Callable[..., Any], n_params: int, data: tuple[Any, ...]) -> str:
    """``X 4x2, y 4x1``: each data argument with its shape."""
    names = data_names(loss_fn, n_params, len(data))
    return ", ".join(f"{n} {shape_text(np.shape(d))}" if isinstance(d, np.ndarray) else n
                     for n, d in zip(names, data))


def data_counts(loss_fn: Callable[..., Any], n_params: int, data: tuple[Any, ...]
                ) -> dict[str, int]:
    """The sizes a gradient is often off by: ``N``, the batch size (the first data array's
    first dimension), and ``M``, the size of the last data array (the targets) if other."""
    arrays = [d for d in data if isinstance(d, np.ndarray) and d.ndim]
    counts: dict[str, int] = {}
    if arrays and arrays[0].shape[0] > 1:
        counts["N"] = int(arrays[0].shape[0])
    if arrays and arrays[-1].size > 1 and arrays[-1].size not in counts.values():
        counts["M"] = int(arrays[-1].size)
    return counts


def private_data(data: tuple[Any, ...]) -> tuple[Any, ...]:
    """Copies of the data arguments, so a user function that changes its data in place
    (``X -= X.mean(0)``) never changes the caller's arrays or lists."""
    return tuple(d.copy() if isinstance(d, np.ndarray) else
                 copy.deepcopy(d) if isinstance(d, (list, dict, tuple)) else d for d in data)


def call_user(fn: Callable[..., Any], fname: str, args: list[Any], names: list[str]) -> Any:
    """``fn(*args)``; an exception gets a note naming the call and each argument's shape
    (shape mix-ups are the common cause)."""
    if not callable(fn):
        raise InputTypeError(f"{WHERE}: {fname} must be a callable, got {fn!r}")
    try:
        return fn(*args)
    except Exception as exc:
        shapes = ", ".join(f"{n}: {shape_text(np.shape(a))}" if isinstance(a, np.ndarray)
                           else n for n, a in zip(names, args))
        if hasattr(exc, "add_note"):
            exc.add_note(f"{WHERE}: raised by {fname}({shapes})")
        raise


def as_loss(out: Any) -> Value:
    """What ``loss_fn`` returned on Values, as the scalar loss ``Value``."""
    if isinstance(out, np.ndarray) and out.dtype == object and out.size == 1:
        out = out.reshape(-1)[0]
    if type(out) is Value:
        return out
    if isinstance(out, np.ndarray) and out.size > 1:
        raise InputTypeError(f"{WHERE}: loss_fn must return a scalar loss, got an array of "
                             f"shape {out.shape}; reduce it with np.mean or np.sum")
    raise InputTypeError(
        f"{WHERE}: loss_fn returned {out!r:.60} ({type(out).__name__}) on arrays of Values, not "
        "a Value: it does not use the parameters, or turns them into numbers (float(), "
        ".astype(float), np.asarray(..., dtype=float))")


def scalar_loss(out: Any) -> float:
    """What ``loss_fn`` returned on numbers, as a float."""
    arr = np.asarray(out)
    if arr.size != 1 or arr.dtype.kind not in "biuf":
        raise InputTypeError(f"{WHERE}: loss_fn must return one number, got {out!r:.60}")
    return float(arr.reshape(-1)[0])


def grad_arrays(out: Any, names: list[str], fname: str) -> list[np.ndarray | None]:
    """The user's gradients (a dict by name, a list, or one array), in parameter order."""
    if isinstance(out, dict):
        missing = [n for n in names if n not in out]
        extra = [str(k) for k in out if k not in names]
        if missing or extra:
            raise InputTypeError(
                f"{WHERE}: {fname} returned gradients for {', '.join(map(str, out)) or 'none'}"
                f"; expected one for each of {', '.join(names)}"
                + (f" (missing {', '.join(missing)})" if missing else ""))
        items = [out[n] for n in names]
    elif isinstance(out, (list, tuple)):
        items = list(out)
    elif out is None:
        raise InputTypeError(f"{WHERE}: {fname} returned None; return the gradients (one "
                             "array per parameter, or a dict by name), or pass step=True for "
                             "a training step that updates the parameters in place")
    else:
        items = [out]
    if len(items) != len(names):
        raise InputTypeError(f"{WHERE}: {fname} returned {len(items)} arrays for "
                             f"{len(names)} parameters ({', '.join(names)})")
    arrays = []
    for name, item in zip(names, items):
        if not _real(item):
            raise InputTypeError(f"{WHERE}: the gradient {fname} gave for {name} is "
                                 f"{item!r:.60}, not an array of numbers")
        arrays.append(np.array(item, dtype=float))
    return arrays
