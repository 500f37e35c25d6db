"""``ValueArray``: a numpy array of Values, so numpy code builds one scalar graph.

``np_values(W, "W")`` gives an object array of leaves labelled ``W[i,j]``; numpy calls
on it come here (``__array_ufunc__``, ``__array_function__``) and are answered from the
tables of :mod:`.elementwise`, :mod:`.linalg`, :mod:`.reduce` and :mod:`.functions`;
results stay ``ValueArray``s. ``np_grads`` reads the ``.grad`` of every entry back.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ..engine import Value
from ..errors import InputTypeError
from . import linalg, reduce
from .elementwise import DATA, ELEMENTWISE, as_numbers, as_operand, elementwise
from .functions import IMPLEMENTED, MOVING, plain_options, unsupported
from .tape import record

__all__ = ["ValueArray", "np_grads", "np_values"]

_REDUCED = {"add": "sum", "maximum": "max", "minimum": "min", "fmax": "max", "fmin": "min",
            "multiply": "prod"}
_REDUCE: dict[str, Callable[..., Any]] = {
    "add": reduce.reduce_sum, "maximum": reduce.reduce_max, "minimum": reduce.reduce_min,
    "fmax": reduce.reduce_max, "fmin": reduce.reduce_min, "multiply": reduce.reduce_prod,
}


def _wrap(result: Any) -> Any:
    """Object arrays come back as ValueArrays; Values and plain arrays as they are."""
    if isinstance(result, np.ndarray) and result.dtype == object:
        return result.view(ValueArray)
    if isinstance(result, (list, tuple)):
        return type(result)(_wrap(r) for r in result)
    return result


def _holds_values(x: Any) -> bool:
    return type(x) is Value or (isinstance(x, np.ndarray) and x.dtype == object)


def _link(inputs: tuple[Any, ...], result: Any) -> Any:
    """The one array of Values an element-wise result was computed from, if just one."""
    held = [x for x in inputs if _holds_values(x)]
    if len(held) == 1 and np.shape(held[0]) == np.shape(result):
        return as_operand(held[0])
    return None


def _store(result: Any, out: tuple[Any, ...], name: str) -> Any:
    """Write a result into ``out=`` (which must hold objects: a float array would drop
    every Value's graph)."""
    (target,) = out
    if not (isinstance(target, np.ndarray) and target.dtype == object):
        kind = getattr(target, "dtype", type(target).__name__)
        raise InputTypeError(
            f"np.{name}: out= is a {kind} array, which would keep only the numbers and lose "
            "the graph; create it with np_values(...) or dtype=object, or use the result")
    target.view(np.ndarray)[...] = result
    return target


class ValueArray(np.ndarray):
    """An object array of ``Value``s on which numpy's math builds the graph.

    Supported: ``+ - * / ** @``, ``.T``, indexing, broadcasting, the ufuncs of
    :data:`~autograd.arrays.elementwise.ELEMENTWISE` and the functions of
    :mod:`~autograd.arrays.functions`; anything else raises ``InputTypeError`` naming it.
    A plain array's own method (``X.dot(W)``) never reaches this class: numpy's object loop
    then builds a chain of ``*`` and ``+`` (right gradients, a longer graph); ``X @ W`` and
    ``np.dot(X, W)`` give one ``dot`` node per entry. A lone Value on the left (``v * W``)
    is refused by ``Value``; write ``W * v``.
    """

    def __array_ufunc__(self, ufunc: np.ufunc, method: str, *inputs: Any, **kwargs: Any) -> Any:
        name = ufunc.__name__
        out = kwargs.pop("out", None)
        for option in ("casting", "order", "subok"):
            kwargs.pop(option, None)
        if method == "reduce" and name in _REDUCE:
            axis, keepdims = kwargs.pop("axis", 0), kwargs.pop("keepdims", False)
            initial = kwargs.pop("initial", np._NoValue)
            plain_options(name, kwargs.pop("dtype", None), None, kwargs.pop("where", True))
            if kwargs:
                raise InputTypeError(f"np.{name}.reduce: options {sorted(kwargs)} are not "
                                     "supported on Values")
            extra = {} if initial is np._NoValue or name != "add" else {"initial": initial}
            result = _REDUCE[name](inputs[0], axis, keepdims, **extra)
            link, name = None, _REDUCED[name]
            options = {"axis": axis, "keepdims": keepdims}
        elif method != "__call__":
            raise unsupported(f"np.{name}.{method}")
        else:
            plain_options(name, kwargs.pop("dtype", None), None, kwargs.pop("where", True))
            if kwargs:
                raise InputTypeError(f"np.{name}: options {sorted(kwargs)} are not supported "
                                     "on Values")
            options = {}
            if name in DATA:
                return ufunc(*[as_numbers(as_operand(x)) for x in inputs])
            if name == "matmul":
                result, link = linalg.matmul(*inputs), None
            elif name in ELEMENTWISE:
                result = elementwise(ufunc, inputs)
                link = _link(inputs, result)
            else:
                raise unsupported(f"np.{name}")
        if out is not None:
            result = _store(result, out, name)
        record(name, result, link, inputs, options)
        return _wrap(result)

    def __array_function__(self, func: Callable[..., Any], types: Any, args: Any,
                           kwargs: Any) -> Any:
        impl = IMPLEMENTED.get(func)
        if impl is not None:
            result = impl(*args, **kwargs)
            record(func.__name__, result, None, args, kwargs)
            return _wrap(result)
        if func in MOVING:
            return _wrap(super().__array_function__(func, types, args, kwargs))
        module = "np.linalg." if func.__module__.endswith("linalg") else "np."
        raise unsupported(module + func.__name__)

    # Python operators go straight to the ufuncs, so a lone Value on the right works too
    # (numpy itself refuses Values: they set ``__array_ufunc__ = None``).
    def _op(ufunc: np.ufunc, reflected: bool = False, inplace: bool = False
            ) -> Callable[[ValueArray, Any], Any]:
        def op(self: ValueArray, other: Any) -> Any:
            other = as_operand(other) if type(other) is Value else other
            if inplace:
                return self.__array_ufunc__(ufunc, "__call__", self, other, out=(self,))
            args = (other, self) if reflected else (self, other)
            return self.__array_ufunc__(ufunc, "__call__", *args)
        return op

    __add__, __radd__, __iadd__ = _op(np.add), _op(np.add, True), _op(np.add, inplace=True)
    __sub__, __rsub__ = _op(np.subtract), _op(np.subtract, True)
    __isub__ = _op(np.subtract, inplace=True)
    __mul__, __rmul__ = _op(np.multiply), _op(np.multiply, True)
    __imul__ = _op(np.multiply, inplace=True)
    __truediv__, __rtruediv__ = _op(np.true_divide), _op(np.true_divide, True)
    __itruediv__ = _op(np.true_divide, inplace=True)
    __pow__, __rpow__ = _op(np.power), _op(np.power, True)
    __matmul__, __rmatmul__ = _op(np.matmul), _op(np.matmul, True)
    __lt__, __le__ = _op(np.less), _op(np.less_equal)
    __gt__, __ge__ = _op(np.greater), _op(np.greater_equal)
    del _op

    def dot(self, other: Any, out: Any = None) -> Any:  # type: ignore[override]
        """``a.dot(b)``, as ``np.dot(a, b)``."""
        plain_options("dot", None, out)
        return self.__array_function__(np.dot, (), (self, other), {})

    def var(self, *args: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        """``a.var()``, as ``np.var(a)``."""
        return self.__array_function__(np.var, (), (self, *args), kwargs)

    def std(self, *args: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        """``a.std()``, as ``np.std(a)``."""
        return self.__array_function__(np.std, (), (self, *args), kwargs)


def _label(name: str, index: tuple[int, ...]) -> str:
    return f"{name}[{','.join(map(str, index))}]" if index else name


def np_values(array: Any, label: str = "W") -> ValueArray:
    """A ``ValueArray`` of leaves holding ``array``'s numbers, labelled ``W[i,j]``.

    >>> W = np_values(np.array([[0.5, -1.0]]), label="W")
    >>> W.shape, W[0, 1].label, W[0, 1].data
    ((1, 2), 'W[0,1]', -1.0)
    """
    if type(label) is not str:
        raise InputTypeError(f"np_values: label must be a str, got {label!r}")
    arr = np.asarray(array)
    if arr.dtype == object or arr.dtype.kind not in "iuf":
        raise InputTypeError(f"np_values: expects an array of real numbers, got dtype "
                             f"{arr.dtype} (shape {arr.shape})")
    out = np.empty(arr.shape, dtype=object)
    for index in np.ndindex(*arr.shape):
        out[index] = Value(float(arr[index]), label=_label(label, index))
    return out.view(ValueArray)


def np_grads(values: Any) -> np.ndarray:
    """The ``.grad`` of every entry of an array of Values, as a float array of its shape.

    >>> W = np_values(np.array([1.0, 2.0]), "W")
    >>> (W * W).sum().backward()
    >>> np_grads(W)
    array([2., 4.])
    """
    arr = np.asarray(values, dtype=object) if not isinstance(values, np.ndarray) else values
    out = np.empty(arr.shape, dtype=float)
    for index in np.ndindex(*arr.shape):
        v = arr[index]
        if type(v) is not Value:
            raise InputTypeError(f"np_grads: entry {list(index)} is {v!r} "
                                 f"({type(v).__name__}), not a Value")
        out[index] = v.grad
    return out
