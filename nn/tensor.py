"""``Tensor``: the array-like that ``model(x_batch)``, losses and metrics return, as
TensorFlow's eager tensors do, so tutorial lines ending in ``.numpy()`` run.

It is a thin, read-only wrapper over a numpy array: arithmetic and comparisons give
Tensors, ``np.asarray(t)`` and ``float(t)`` give numbers, ``t.numpy()`` the array (a
numpy scalar for a 0-d tensor, as TensorFlow).

>>> t = Tensor([[1.0, 2.0], [3.0, 4.0]])
>>> t.shape, (t * 2).numpy().tolist(), float(t.numpy().sum())
((2, 2), [[2.0, 4.0], [6.0, 8.0]], 10.0)
>>> Tensor(0.5)
<Tensor: shape=(), dtype=float64, numpy=0.5>
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np

__all__ = ["Tensor", "as_array"]


def as_array(x: Any, dtype: Any = None) -> np.ndarray:
    """``x`` (a Tensor, array, list or number) as a numpy array."""
    if isinstance(x, Tensor):
        x = x._array
    return np.asarray(x, dtype=dtype)


def _binary(op: Callable[[Any, Any], Any], reflected: bool = False) -> Any:
    def method(self: Tensor, other: Any) -> Tensor:
        a, b = self._array, as_array(other)
        return Tensor(op(b, a) if reflected else op(a, b))
    return method


class Tensor:
    """A numpy array in TensorFlow's eager-tensor clothes (``.numpy()``, ``.shape``)."""

    __slots__ = ("_array",)
    __array_priority__ = 100  # numpy defers ``array + tensor`` to Tensor's reflected ops

    def __init__(self, value: Any, dtype: Any = None) -> None:
        array = np.array(as_array(value, dtype))
        array.flags.writeable = False
        self._array = array

    def numpy(self) -> Any:
        """The values as a numpy array (a writable copy); a numpy scalar for shape ()."""
        return self._array[()] if self._array.ndim == 0 else self._array.copy()

    @property
    def shape(self) -> tuple[int, ...]:
        return self._array.shape

    @property
    def dtype(self) -> np.dtype:
        return self._array.dtype

    @property
    def ndim(self) -> int:
        return self._array.ndim

    def __array__(self, dtype: Any = None, copy: Any = None) -> np.ndarray:
        return self._array.astype(dtype) if dtype is not None else self._array.copy()

    def __len__(self) -> int:
        return len(self._array)

    def __iter__(self) -> Iterator[Tensor]:
        return (Tensor(row) for row in self._array)

    def __getitem__(self, index: Any) -> Tensor:
        return Tensor(self._array[as_array(index) if isinstance(index, Tensor) else index])

    def __float__(self) -> float:
        return float(self._array)

    def __int__(self) -> int:
        return int(self._array)

    def __bool__(self) -> bool:
        return bool(self._array)

    def __format__(self, spec: str) -> str:
        return format(self._array[()] if self._array.ndim == 0 else self._array, spec)

    def __repr__(self) -> str:
        body = np.array2string(self._array, separator=", ") if self._array.ndim else \
            repr(self._array[()].item())
        return f"<Tensor: shape={self.shape}, dtype={self.dtype}, numpy={body}>"

    def __neg__(self) -> Tensor:
        return Tensor(-self._array)

    def __abs__(self) -> Tensor:
        return Tensor(np.abs(self._array))

    __add__, __radd__ = _binary(operator.add), _binary(operator.add, True)
    __sub__, __rsub__ = _binary(operator.sub), _binary(operator.sub, True)
    __mul__, __rmul__ = _binary(operator.mul), _binary(operator.mul, True)
    __truediv__, __rtruediv__ = _binary(operator.truediv), _binary(operator.truediv, True)
    __pow__, __rpow__ = _binary(operator.pow), _binary(operator.pow, True)
    __matmul__, __rmatmul__ = _binary(operator.matmul), _binary(operator.matmul, True)
    __lt__, __le__ = _binary(operator.lt), _binary(operator.le)
    __gt__, __ge__ = _binary(operator.gt), _binary(operator.ge)
    __eq__, __ne__ = _binary(operator.eq), _binary(operator.ne)  # type: ignore[assignment]
    __hash__ = None  # type: ignore[assignment]  # elementwise ==, as numpy and TensorFlow
