"""What ``fit``, ``evaluate`` and ``predict`` are given, checked before any work is done.

Data must be real numbers (not complex, not text), finite, within the range of the dtype
the model computes in, and not empty; targets must suit the loss (class ids in range,
one-hot or probability rows). Each failure is one clear error naming the verb, the
array, the row and the value, rather than a NaN model or a numpy traceback later.

>>> as_table([[1, 2], [3, 4]], "fit").dtype
dtype('float64')
>>> check_rows(as_table([[1.0, 2e39]], "fit"), "fit", dtype=np.float32)  # doctest: +ELLIPSIS
Traceback (most recent call last):
  ...
autograd.errors.ConfigError: fit: X row 0 holds 2e+39 (column 1), beyond float32's range ...
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np

from autograd.errors import ConfigError, InputTypeError

from .objectives import loss_kind

__all__ = ["DataChecks", "as_table", "check_flag", "check_int", "check_rows", "check_targets",
           "check_verbose", "split_validation"]

_ROW_SUM_TOLERANCE = 1e-5
  # one-hot or probability rows, as float32 arithmetic gives them


def as_table(X: Any, where: str, name: str = "X") -> np.ndarray:
    """``X`` as a float array (float32 kept as is), or a clear error for ragged rows,
    complex numbers, text or integers too large for a float."""
    if isinstance(X, np.ndarray) and X.dtype in (np.float32, np.float64):
        return X
    try:
        kind = np.asarray(X).dtype.kind
    except (TypeError, ValueError):
        kind = "O"  # ragged rows: reported below
    if kind == "c":
        raise InputTypeError(f"{where}: {name} holds complex numbers; give real numbers "
                             f"(e.g. {name}.real)")
    if kind in "USV":
        raise InputTypeError(f"{where}: {name} must hold numbers only, got text or bytes")
    try:
        return np.asarray(X, dtype=float)
    except OverflowError:
        raise ConfigError(f"{where}: {name} holds an integer too large for a float") from None
    except (TypeError, ValueError) as e:
        lengths = {len(r) for r in X if hasattr(r, "__len__")} if hasattr(X, "__iter__") else set()
        if len(lengths) > 1:
            raise ConfigError(f"{where}: {name} rows have different lengths "
                              f"{sorted(lengths)}") from None
        raise InputTypeError(f"{where}: {name} must hold numbers only ({e})") from None


def check_rows(arr: np.ndarray, where: str, name: str = "X", dtype: Any = np.float64) -> None:
    """Samples present, every entry finite and within ``dtype``'s range."""
    if arr.ndim >= 1 and len(arr) == 0:
        raise ConfigError(f"{where}: {name} is empty (0 samples)")
    if arr.ndim == 2 and arr.shape[1] == 0:
        raise ConfigError(f"{where}: {name} rows are empty (0 features)")
    flat = arr.reshape(len(arr), -1) if arr.ndim >= 1 else arr.reshape(1, 1)
    finite = np.isfinite(flat)
    if not finite.all():
        row, col = np.argwhere(~finite)[0]
        raise ConfigError(f"{where}: {name} row {row} holds NaN or inf "
                          f"({flat[row, col]} in column {col})")
    limit = float(np.finfo(dtype).max)
    if np.dtype(dtype) != np.float64 and (big := np.abs(flat) > limit).any():
        row, col = np.argwhere(big)[0]
        raise ConfigError(f"{where}: {name} row {row} holds {flat[row, col]:g} (column {col}), "
                          f"beyond {np.dtype(dtype).name}'s range (±{limit:.2g}); "
                          'compile(dtype="float64") or scale the data')


def check_targets(kind: str, units: int, y: Any, n: int, where: str,
                  dtype: Any = np.float64) -> np.ndarray:
    """``y`` checked against the loss and the output width: one row of ``units`` per sample
    (class labels become one-hot rows)."""
    arr = as_table(y, where, "y")
    if arr.ndim == 0 or len(arr) != n:
        raise ConfigError(f"{where}: y has {arr.size if arr.ndim == 0 else len(arr)} "
                          f"samples, X has {n}")
    check_rows(arr, where, "y", dtype)
    if kind == "sparse":
        arr = arr[:, 0] if arr.ndim == 2 and arr.shape[1] == 1 else arr
        if arr.ndim != 1:
            raise ConfigError(f"{where}: sparse_categorical_crossentropy needs one class "
                              f"index per sample, got y of shape {arr.shape} (for one-hot "
                              "rows use categorical_crossentropy)")
        bad = np.flatnonzero((arr != np.round(arr)) | (arr < 0) | (arr >= units))
        if bad.size:
            raise ConfigError(f"{where}: label {arr[bad[0]]:g} at index {bad[0]} is not a "
                              f"class of the {units} output units (0..{units - 1})")
        return np.eye(units)[arr.astype(int)]  # one-hot: labels become target leaves
    if arr.ndim == 1 and units == 1:
        arr = arr[:, None]
    if arr.ndim == 1 and kind == "categorical":
        raise ConfigError(f"{where}: categorical_crossentropy needs one-hot rows of {units}; "
                          "for class indices use sparse_categorical_crossentropy, or "
                          "one-hot them with nn.keras.utils.to_categorical(y)")
    if arr.ndim != 2 or arr.shape[1] != units:
        raise ConfigError(f"{where}: y must have shape ({n}, {units}) for {units} output "
                          f"units, got {arr.shape}")
    if kind == "binary" and ((arr < 0) | (arr > 1)).any():
        raise ConfigError(f"{where}: binary_crossentropy targets must be in [0, 1]")
    if kind == "categorical":
        _check_distributions(arr, where)
    return np.ascontiguousarray(arr, dtype=np.float64)


def _check_distributions(arr: np.ndarray, where: str) -> None:
    """Rows of categorical targets are one-hot or probabilities: in [0, 1], summing to 1."""
    bad = np.flatnonzero((arr < 0).any(axis=1) | (arr > 1).any(axis=1)
                         | (np.abs(arr.sum(axis=1) - 1.0) > _ROW_SUM_TOLERANCE))
    if bad.size:
        row = arr[bad[0]]
        shown = ", ".join(f"{v:.4g}" for v in row[:12]) + (", ..." if len(row) > 12 else "")
        raise ConfigError(f"{where}: categorical_crossentropy needs one-hot or probability "
                          f"rows (entries in [0, 1] summing to 1); y row {bad[0]} is "
                          f"[{shown}] (sum {row.sum():g})")


def check_int(value: Any, name: str, where: str, low: int) -> int:
    """An integer ``>= low`` (numpy integers too, never a bool) as a Python int."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral) \
            or value < low:
        raise ConfigError(f"{where}: {name} must be an int >= {low}, got {value!r}")
    return int(value)


def check_flag(value: Any, name: str, where: str) -> bool:
    """``True`` or ``False`` (numpy's too); anything else, such as ``"no"``, is refused."""
    if not isinstance(value, (bool, np.bool_)):
        raise ConfigError(f"{where}: {name} must be True or False, got {value!r}")
    return bool(value)


def check_verbose(verbose: Any, where: str) -> int:
    """Keras' verbosity: 0 silent, 1 progress (a bar, or a line per epoch in a log), 2 one
    line per epoch; ``"auto"`` is 1."""
    if verbose == "auto":
        return 1
    if isinstance(verbose, (bool, np.bool_)) or verbose not in (0, 1, 2):
        raise ConfigError(f"{where}: verbose must be 0 (silent), 1 (progress bar) or 2 "
                          f"(one line per epoch), got {verbose!r}")
    return int(verbose)


def split_validation(X: np.ndarray, Y: np.ndarray, fraction: Any,
                     where: str) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Keras' ``validation_split``: the last ``fraction`` of the samples, before shuffling."""
    if isinstance(fraction, (bool, np.bool_)) or not isinstance(fraction, numbers.Real) \
            or not 0 < fraction < 1:
        raise ConfigError(f"{where}: validation_split must be a number in [0, 1), "
                          f"got {fraction!r}")
    cut = int(len(X) * (1.0 - float(fraction)))
    if cut == 0 or cut == len(X):
        raise ConfigError(f"{where}: validation_split={fraction!r} of {len(X)} samples leaves "
                          f"{'no training' if cut == 0 else 'no validation'} samples")
    return X[:cut], Y[:cut], X[cut:], Y[cut:]


class DataChecks:
    """Mixed into ``Sequential``: its data as checked arrays (building it from the first X)."""

    layers: list[Any]
    loss: str | None
    dtype: np.dtype
    built: bool
    build: Any
    input_shape: tuple[Any, ...]
    output_size: int

    def _inputs(self, X: Any, where: str, dtype: Any = np.float64) -> np.ndarray:
        """``X`` checked against the model's input shape, one flat row per sample."""
        arr = as_table(X, where)
        check_rows(arr, where, "X", dtype)
        if arr.ndim < 2:
            hint = " (wrap a single sample in a list: [x])" if arr.ndim == 1 else ""
            raise ConfigError(f"{where}: X must be 2-D (samples, features) or more (samples, "
                              f"*shape), got shape {arr.shape}{hint}")
        if not self.built:
            self.build((None, *arr.shape[1:]))
        want = self.input_shape[1:]
        if arr.shape[1:] != want:
            first = self.layers[0].describe()
            if arr.ndim == 2 and len(want) == 1:
                raise ConfigError(f"{where}: X has {arr.shape[1]} features per sample, the "
                                  f"model expects {want[0]} (input_shape={want}, {first})")
            hint = (" (flatten each sample: X.reshape(len(X), -1), or start the model with "
                    "Flatten())" if len(want) == 1 else "")
            raise ConfigError(f"{where}: X has samples of shape {arr.shape[1:]}, the model "
                              f"expects {want} (input_shape={want}, {first}){hint}")
        return np.ascontiguousarray(arr.reshape(len(arr), -1))

    def _targets(self, y: Any, n: int, where: str, dtype: Any = np.float64) -> np.ndarray:
        return check_targets(self._kind(where), self.output_size, y, n, where, dtype)

    def _data(self, x: Any, y: Any, compiled: bool, where: str) -> tuple[np.ndarray, np.ndarray]:
        dtype = self.dtype if compiled else np.float64
        X = self._inputs(x, where, dtype)
        return X, self._targets(y, len(X), where, dtype)

    def _kind(self, where: str) -> str:
        if self.loss is None:
            raise ConfigError(f"{where}: call compile(optimizer, loss, metrics) first")
        return loss_kind(self.loss)
