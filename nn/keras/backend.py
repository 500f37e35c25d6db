"""``keras.backend`` as beginner material calls it: settings (``epsilon``, ``floatx``,
``image_data_format``, ``clear_session``) and the array functions metric functions of
one's own are written with (``K.sum``, ``K.round``, ``K.clip``...), on numpy.

The functions take arrays or :class:`~nn.tensor.Tensor` and return Tensors. The
settings are per process, as in Keras; ``floatx`` is the dtype of arrays made here
(training's precision is ``compile(dtype=...)``).

>>> epsilon()
1e-07
>>> float(sum(round(clip(Tensor([0.2, 0.7, 1.6]), 0, 1))))
2.0
"""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd.errors import ConfigError

from ..tensor import Tensor, as_array

__all__ = ["Tensor", "abs", "argmax", "backend", "cast", "clear_session", "clip", "constant",
           "epsilon", "equal", "exp", "floatx", "image_data_format", "log", "max", "maximum",
           "mean", "min", "minimum", "ones", "round", "set_epsilon", "set_floatx",
           "set_image_data_format", "sqrt", "square", "std", "sum", "zeros"]

_settings: dict[str, Any] = {"epsilon": 1e-7, "floatx": "float32",
                             "image_data_format": "channels_last"}
_FLOATS = ("float16", "float32", "float64")


def backend() -> str:
    """The name of the array library underneath: numpy."""
    return "numpy"


def epsilon() -> float:
    """The fuzz factor Keras adds to denominators and clips probabilities with (1e-7)."""
    return float(_settings["epsilon"])


def set_epsilon(value: float) -> None:
    """Change :func:`epsilon` (a positive number)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 < value < 1:
        raise ConfigError(f"set_epsilon: expected a number in (0, 1), got {value!r}")
    _settings["epsilon"] = float(value)


def floatx() -> str:
    """The default float type's name ("float32", as Keras)."""
    return str(_settings["floatx"])


def set_floatx(value: str) -> None:
    """Set :func:`floatx`: "float16", "float32" or "float64"."""
    if value not in _FLOATS:
        raise ConfigError(f"set_floatx: expected one of {', '.join(_FLOATS)}, got {value!r}")
    _settings["floatx"] = value


def image_data_format() -> str:
    """Where image channels go: "channels_last" (Keras' default)."""
    return str(_settings["image_data_format"])


def set_image_data_format(value: str) -> None:
    """Set :func:`image_data_format`: "channels_last" or "channels_first"."""
    if value not in ("channels_last", "channels_first"):
        raise ConfigError("set_image_data_format: expected 'channels_last' or "
                          f"'channels_first', got {value!r}")
    _settings["image_data_format"] = value


def clear_session() -> None:
    """Keras frees its global graph here; models on the scalar engine hold no global state,
    so there is nothing to free (it runs, so tutorials that call it run)."""


def _axis(fn: Any) -> Any:
    def reduce(x: Any, axis: int | None = None, keepdims: bool = False) -> Tensor:
        return Tensor(fn(as_array(x), axis=axis, keepdims=keepdims))
    reduce.__name__ = fn.__name__
    reduce.__doc__ = f"numpy's ``{fn.__name__}`` over ``axis`` (all by default), as a Tensor."
    return reduce


def _elementwise(fn: Any, name: str) -> Any:
    def apply(x: Any) -> Tensor:
        return Tensor(fn(as_array(x)))
    apply.__name__ = name
    apply.__doc__ = f"Elementwise ``{name}``, as a Tensor."
    return apply


sum = _axis(np.sum)  # noqa: A001  (Keras' names)
mean = _axis(np.mean)
max = _axis(np.max)  # noqa: A001
min = _axis(np.min)  # noqa: A001
std = _axis(np.std)
abs = _elementwise(np.abs, "abs")  # noqa: A001
round = _elementwise(np.round, "round")  # noqa: A001
square = _elementwise(np.square, "square")
sqrt = _elementwise(np.sqrt, "sqrt")
exp = _elementwise(np.exp, "exp")
log = _elementwise(np.log, "log")


def clip(x: Any, min_value: float, max_value: float) -> Tensor:
    """Values limited to ``[min_value, max_value]``."""
    return Tensor(np.clip(as_array(x), min_value, max_value))


def argmax(x: Any, axis: int = -1) -> Tensor:
    """Index of the largest value along ``axis`` (the last by default, as Keras)."""
    return Tensor(np.argmax(as_array(x), axis=axis))


def equal(x: Any, y: Any) -> Tensor:
    """Elementwise ``x == y`` (booleans)."""
    return Tensor(as_array(x) == as_array(y))


def maximum(x: Any, y: Any) -> Tensor:
    """Elementwise maximum."""
    return Tensor(np.maximum(as_array(x), as_array(y)))


def minimum(x: Any, y: Any) -> Tensor:
    """Elementwise minimum."""
    return Tensor(np.minimum(as_array(x), as_array(y)))


def cast(x: Any, dtype: Any) -> Tensor:
    """``x`` converted to ``dtype`` ("float32", "int64", ...)."""
    return Tensor(as_array(x).astype(dtype))


def constant(value: Any, dtype: Any = None) -> Tensor:
    """A Tensor of ``value`` (floats in :func:`floatx` unless ``dtype`` says otherwise)."""
    array = as_array(value)
    if dtype is None and array.dtype.kind == "f":
        dtype = floatx()
    return Tensor(array, dtype)


def zeros(shape: Any, dtype: Any = None) -> Tensor:
    """A Tensor of zeros in :func:`floatx`."""
    return Tensor(np.zeros(shape, dtype or floatx()))


def ones(shape: Any, dtype: Any = None) -> Tensor:
    """A Tensor of ones in :func:`floatx`."""
    return Tensor(np.ones(shape, dtype or floatx()))
