"""Anomaly mode: find where a NaN or inf gradient comes from.

Inside ``with detect_anomaly():`` every new node remembers the line of user code that
created it (a short string in its meta record: no frame objects, so graphs stay free
of reference cycles), and backward checks every contribution it adds: the first NaN
or inf raises ``FloatingPointError`` naming the op, the node, the input, the numbers
and that source line. Outside the block the engine does none of this and pays nothing.

>>> from autograd import Value
>>> with detect_anomaly():  # doctest: +ELLIPSIS
...     x = Value(0.0, label="x")
...     y = x.sqrt()
...     y.backward()
Traceback (most recent call last):
  ...
FloatingPointError: backward: inf in the gradient of node 'x' from op 'sqrt' ...
"""

from __future__ import annotations

import contextlib
import linecache
import math
import os
import sys
from typing import Any

from ..engine import Value
from ..errors import describe_node
from ..modes import set_anomaly
from ..node import meta

__all__ = ["detect_anomaly"]

_PACKAGE = os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + os.sep  # autograd/


def _where(filename: str, lineno: int) -> str:
    """``path:line: source text`` with the path shortened to the working directory."""
    path = filename
    try:
        rel = os.path.relpath(filename)
        if not rel.startswith(".."):
            path = rel
    except ValueError:  # another drive on Windows
        pass
    text = linecache.getline(filename, lineno).strip()
    return f"{path}:{lineno}: {text}" if text else f"{path}:{lineno}"


def _inside(filename: str, _cache: dict[str, bool] = {}) -> bool:  # noqa: B006 (a cache)
    """True for the library's own files: ``autograd/`` and the ``nn/`` shipped beside it,
    whose frames are skipped so the origin names the user's line that built the model."""
    found = _cache.get(filename)
    if found is None:
        path = os.path.abspath(filename)
        nn_dir = os.path.join(os.path.dirname(os.path.dirname(_PACKAGE)), "nn") + os.sep
        found = _cache[filename] = path.startswith(_PACKAGE) or path.startswith(nn_dir)
    return found


def _record(node: Value) -> None:
    """Anomaly mode's creation hook: store where, outside this package, ``node`` was made."""
    frame: Any = sys._getframe(1)
    try:
        while frame is not None and _inside(frame.f_code.co_filename):
            frame = frame.f_back
        if frame is not None:
            meta(node).origin = _where(frame.f_code.co_filename, frame.f_lineno)
    finally:
        del frame  # never keep a frame: it would tie the graph to the call stack


def _finite(x: Any) -> bool:
    return math.isfinite(x if type(x) is float else float(x))


def _check(node: Value, child: Value, partial: Any, contribution: Any) -> None:
    """Anomaly mode's backward check: raise on the first non-finite contribution."""
    if _finite(contribution):
        return
    c, local = float(contribution), float(partial)
    kind = "nan" if math.isnan(c) else "inf"
    inputs = ", ".join(f"{k.data:.6g}" for k in node.children)
    cause = (f"the local derivative of {node.op} is {local:.6g} at these inputs"
             if not math.isfinite(local) else
             f"the upstream gradient is not finite or too large (local derivative {local:.6g})")
    lines = [
        f"backward: {kind} in the gradient of {describe_node(child)} from op {node.op!r} "
        f"({describe_node(node)}, value {node.data:.6g}, inputs [{inputs}])",
        f"  cause: {cause}; contribution {c:.6g}",
        f"  {describe_node(node)} was created at {_origin(node)}",
    ]
    if child._fn is not None or child.label:
        lines.append(f"  {describe_node(child)} was created at {_origin(child)}")
    raise FloatingPointError("\n".join(lines))


def _origin(node: Value) -> str:
    meta = node._meta
    origin = meta.origin if meta is not None else None
    return origin or "(unknown: created before detect_anomaly was on)"


class detect_anomaly(contextlib.ContextDecorator):
    """Context manager (and decorator) turning on anomaly mode; nests, restores on exit.

    While on, nodes record their creation line and backward raises
    ``FloatingPointError`` at the first NaN/inf gradient contribution.
    """

    def __init__(self) -> None:
        self._saved: list[tuple[Any, Any]] = []

    def __enter__(self) -> detect_anomaly:
        self._saved.append(set_anomaly(_record, _check))
        return self

    def __exit__(self, *exc: object) -> None:
        set_anomaly(*self._saved.pop())
