"""Matrix products of Values: every output entry is one ``dot`` node, so ``X @ W`` on a
batch stays a flat graph (one node per entry, its children a row and a column).

Numbers in a product (the data ``X``) become constant leaves once per product, shared by
all the entries that read them.

>>> import numpy as np
>>> from autograd import Value
>>> W = np.array([[Value(1.0)], [Value(2.0)]], dtype=object)
>>> out = matmul(np.array([[3.0, 4.0]]), W)
>>> out.shape, out[0, 0].op, out[0, 0].data, len(out[0, 0].children)
((1, 1), 'dot', 11.0, 4)
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..engine import Value
from ..errors import ConfigError
from ..nary import dot as _dot
from .elementwise import as_operand, elementwise

__all__ = ["dot", "inner", "matmul", "outer"]

_as_value = np.frompyfunc(lambda x: x if type(x) is Value else Value(x), 1, 1)


def _values(x: Any) -> np.ndarray:
    """``x`` as an object array of Values (numbers become constant leaves)."""
    arr = np.asarray(as_operand(x))
    if arr.dtype.kind not in "biufO":
        raise ConfigError(f"matrix product: cannot multiply an array of {arr.dtype}")
    out = _as_value(arr)
    if not isinstance(out, np.ndarray):
        holder = np.empty((), dtype=object)
        holder[()] = out
        return holder
    return out


def _rows_dot(rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """out[i, j] = dot(rows[i], cols[j]) for 2-D object arrays sharing their last axis."""
    n = rows.shape[1]
    out = np.empty((rows.shape[0], cols.shape[0]), dtype=object)
    if n == 0:
        out[...] = 0.0
        return out
    row_list = [tuple(r) for r in rows]
    col_list = [tuple(c) for c in cols]
    for i, r in enumerate(row_list):
        out[i] = [_dot(r, c) for c in col_list]
    return out


def _mismatch(name: str, a: np.ndarray, b: np.ndarray, ka: int, kb: int) -> ConfigError:
    return ConfigError(f"{name}: shapes {a.shape} and {b.shape} do not align: "
                       f"{a.shape[ka]} (dim {ka % a.ndim}) != {b.shape[kb]} (dim {kb % b.ndim})")


def _scalar(x: np.ndarray) -> Any:
    return x[()] if isinstance(x, np.ndarray) and x.shape == () else x


def matmul(a: Any, b: Any) -> Any:
    """``a @ b`` with numpy's rules: 1-D operands promoted and dropped, batch dims broadcast."""
    A, B = _values(a), _values(b)
    if A.ndim == 0 or B.ndim == 0:
        raise ConfigError("matmul: an operand is a scalar; use * to scale an array")
    A2 = A[None, :] if A.ndim == 1 else A
    B2 = B[:, None] if B.ndim == 1 else B
    if A2.shape[-1] != B2.shape[-2]:
        raise _mismatch("matmul", A, B, -1, 0 if B.ndim == 1 else -2)
    try:
        batch = np.broadcast_shapes(A2.shape[:-2], B2.shape[:-2])
    except ValueError:
        raise ConfigError(f"matmul: batch dimensions of {A.shape} and {B.shape} do not "
                          "broadcast") from None
    A2 = np.broadcast_to(A2, batch + A2.shape[-2:])
    B2 = np.broadcast_to(B2, batch + B2.shape[-2:])
    out = np.empty(batch + (A2.shape[-2], B2.shape[-1]), dtype=object)
    for idx in np.ndindex(*batch):
        out[idx] = _rows_dot(A2[idx], B2[idx].T)
    if A.ndim == 1:
        out = out[..., 0, :]
    if B.ndim == 1:
        out = out[..., 0]
    return _scalar(out)


def dot(a: Any, b: Any) -> Any:
    """``np.dot``: a product for scalars, else a sum over the last axis of ``a`` and the
    second-to-last of ``b`` (the last, when ``b`` is 1-D)."""
    A, B = _values(a), _values(b)
    if A.ndim == 0 or B.ndim == 0:
        return elementwise(np.multiply, (a, b))
    kb = -2 if B.ndim >= 2 else 0
    if A.shape[-1] != B.shape[kb]:
        raise _mismatch("dot", A, B, -1, kb)
    moved = np.moveaxis(B, -2, -1) if B.ndim >= 2 else B[None, :]
    n = A.shape[-1]
    out = _rows_dot(A.reshape(-1, n), moved.reshape(-1, n))
    shape = A.shape[:-1] + (B.shape[:-2] + B.shape[-1:] if B.ndim >= 2 else ())
    return _scalar(out.reshape(shape))


def inner(a: Any, b: Any) -> Any:
    """``np.inner``: a sum over the last axes of both."""
    A, B = _values(a), _values(b)
    if A.ndim == 0 or B.ndim == 0:
        return elementwise(np.multiply, (a, b))
    if A.shape[-1] != B.shape[-1]:
        raise _mismatch("inner", A, B, -1, -1)
    n = A.shape[-1]
    out = _rows_dot(A.reshape(-1, n), B.reshape(-1, n))
    return _scalar(out.reshape(A.shape[:-1] + B.shape[:-1]))


def outer(a: Any, b: Any) -> Any:
    """``np.outer``: every entry of ``a`` (flattened) times every entry of ``b``."""
    A, B = np.asarray(as_operand(a)).ravel(), np.asarray(as_operand(b)).ravel()
    return elementwise(np.multiply, (A[:, None], B[None, :]))
