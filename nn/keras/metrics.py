"""Keras' metrics: functions, classes and names for ``compile(metrics=[...])``, and metric
functions of your own, logged under the function's name.

A metric here is a per-sample function ``fn(y_true, y_pred)`` on arrays; ``fit`` reports
its mean over the epoch, as Keras' ``MeanMetricWrapper`` does. The classes also work on
their own: ``update_state(y_true, y_pred)``, ``result()``, ``reset_state()``.

>>> m = SparseCategoricalAccuracy()
>>> m.update_state([1, 0], [[0.2, 0.8], [0.3, 0.7]])
>>> float(m.result().numpy())
0.5
>>> m.reset_state(); m.update_state([[1.0]], [[0.9]]); m.name
'sparse_categorical_accuracy'
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from autograd.errors import ConfigError

from ..fit.objectives import METRICS
from ..tensor import Tensor, as_array
from . import losses

__all__ = ["Accuracy", "BinaryAccuracy", "CategoricalAccuracy", "Mean",
           "MeanAbsoluteError", "MeanMetricWrapper", "MeanSquaredError", "Metric", "Precision",
           "Recall", "SparseCategoricalAccuracy", "SparseTopKCategoricalAccuracy",
           "TopKCategoricalAccuracy", "accuracy", "binary_accuracy", "categorical_accuracy",
           "entry", "get", "mae", "mean_absolute_error", "mean_squared_error", "mse", "resolve",
           "sparse_categorical_accuracy", "sparse_top_k_categorical_accuracy",
           "top_k_categorical_accuracy"]

MetricFn = Callable[[np.ndarray, np.ndarray], Any]


def _ids(y_true: Any) -> np.ndarray:
    ids = as_array(y_true, np.float64)
    return ids[..., 0] if ids.ndim > 1 and ids.shape[-1] == 1 else ids


def accuracy(y_true: Any, y_pred: Any) -> Tensor:
    """1 where prediction equals target exactly, 0 elsewhere (mean over the last axis)."""
    t, p = losses._pair(y_true, y_pred, "accuracy")
    return losses._per_sample((t == p).astype(np.float64))


def binary_accuracy(y_true: Any, y_pred: Any, threshold: float = 0.5) -> Tensor:
    """The share of outputs on the target's side of ``threshold`` (mean over the last axis)."""
    t, p = losses._pair(y_true, y_pred, "binary_accuracy")
    return losses._per_sample((t == (p > threshold)).astype(np.float64))


def categorical_accuracy(y_true: Any, y_pred: Any) -> Tensor:
    """1 where the largest output is the one-hot target's class."""
    t, p = as_array(y_true), as_array(y_pred)
    return Tensor((t.argmax(axis=-1) == p.argmax(axis=-1)).astype(np.float64))


def sparse_categorical_accuracy(y_true: Any, y_pred: Any) -> Tensor:
    """1 where the largest output is the integer target class."""
    return Tensor((_ids(y_true) == as_array(y_pred).argmax(axis=-1)).astype(np.float64))


def top_k_categorical_accuracy(y_true: Any, y_pred: Any, k: int = 5) -> Tensor:
    """1 where the one-hot target's class is among the ``k`` largest outputs."""
    return sparse_top_k_categorical_accuracy(as_array(y_true).argmax(axis=-1), y_pred, k)


def sparse_top_k_categorical_accuracy(y_true: Any, y_pred: Any, k: int = 5) -> Tensor:
    """1 where the integer target class is among the ``k`` largest outputs."""
    p = as_array(y_pred, np.float64)
    top = np.argsort(-p, axis=-1, kind="stable")[..., :k]
    return Tensor((top == _ids(y_true)[..., None]).any(axis=-1).astype(np.float64))


mean_squared_error = mse = losses.mean_squared_error
mean_absolute_error = mae = losses.mean_absolute_error

_FUNCTIONS: dict[str, MetricFn] = {
    "binary_accuracy": binary_accuracy, "categorical_accuracy": categorical_accuracy,
    "sparse_categorical_accuracy": sparse_categorical_accuracy,
    "top_k_categorical_accuracy": top_k_categorical_accuracy,
    "sparse_top_k_categorical_accuracy": sparse_top_k_categorical_accuracy,
    "binary_crossentropy": losses.binary_crossentropy,
    "categorical_crossentropy": losses.categorical_crossentropy,
    "sparse_categorical_crossentropy": losses.sparse_categorical_crossentropy}


class Metric:
    """A running metric: ``update_state`` per batch, ``result()``, ``reset_state()``."""

    def __init__(self, name: str | None = None, dtype: Any = None) -> None:
        self.name = name or type(self).__name__.lower()
        self.dtype = dtype
        self.reset_state()

    def reset_state(self) -> None:
        raise NotImplementedError

    def reset_states(self) -> None:
        """Keras 2's name for :meth:`reset_state`."""
        self.reset_state()

    def update_state(self, *args: Any, **kwargs: Any) -> None:
        raise NotImplementedError

    def result(self) -> Tensor:
        raise NotImplementedError

    def __call__(self, *args: Any, **kwargs: Any) -> Tensor:
        self.update_state(*args, **kwargs)
        return self.result()

    def __repr__(self) -> str:
        return f"{type(self).__name__}(name={self.name!r})"


class Mean(Metric):
    """The (weighted) mean of every value given to ``update_state(values)``."""

    def reset_state(self) -> None:
        self.total, self.count = 0.0, 0.0

    def update_state(self, values: Any, sample_weight: Any = None) -> None:  # type: ignore[override]
        v = as_array(values, np.float64)
        w = np.ones_like(v) if sample_weight is None else np.broadcast_to(
            as_array(sample_weight, np.float64).reshape(
                as_array(sample_weight).shape + (1,) * max(v.ndim - as_array(sample_weight).ndim,
                                                           0)), v.shape)
        self.total += float((v * w).sum())
        self.count += float(w.sum())

    def result(self) -> Tensor:
        return Tensor(self.total / self.count if self.count else 0.0)


class MeanMetricWrapper(Mean):
    """The mean of a per-sample function ``fn(y_true, y_pred, **kwargs)``."""

    def __init__(self, fn: MetricFn, name: str | None = None, dtype: Any = None,
                 **kwargs: Any) -> None:
        self.fn, self._fn_kwargs = fn, kwargs
        super().__init__(name or fn.__name__, dtype)

    def per_sample(self, y_true: Any, y_pred: Any) -> Any:
        """The function's values for a batch (what ``fit`` averages)."""
        return self.fn(y_true, y_pred, **self._fn_kwargs)

    def update_state(self, y_true: Any, y_pred: Any,  # type: ignore[override]
                     sample_weight: Any = None) -> None:
        super().update_state(self.per_sample(y_true, y_pred), sample_weight)


def _wrapper(fn: MetricFn, default: str, doc: str, **defaults: Any) -> type[MeanMetricWrapper]:
    def __init__(self: MeanMetricWrapper, name: str = default, dtype: Any = None,
                 **kwargs: Any) -> None:
        unknown = set(kwargs) - set(defaults)
        if unknown:
            raise ConfigError(f"{cls.__name__}: unknown argument(s) {', '.join(sorted(unknown))}")
        MeanMetricWrapper.__init__(self, fn, name, dtype, **{**defaults, **kwargs})

    cls = type(default.title().replace("_", ""), (MeanMetricWrapper,),
               {"__init__": __init__, "__doc__": doc, "__module__": __name__})
    return cls


Accuracy = _wrapper(accuracy, "accuracy", "``Accuracy()``: exact matches.")
BinaryAccuracy = _wrapper(binary_accuracy, "binary_accuracy",
                          "``BinaryAccuracy(threshold=0.5)``.", threshold=0.5)
CategoricalAccuracy = _wrapper(categorical_accuracy, "categorical_accuracy",
                               "``CategoricalAccuracy()``: one-hot targets.")
SparseCategoricalAccuracy = _wrapper(sparse_categorical_accuracy, "sparse_categorical_accuracy",
                                     "``SparseCategoricalAccuracy()``: integer targets.")
TopKCategoricalAccuracy = _wrapper(top_k_categorical_accuracy, "top_k_categorical_accuracy",
                                   "``TopKCategoricalAccuracy(k=5)``.", k=5)
SparseTopKCategoricalAccuracy = _wrapper(
    sparse_top_k_categorical_accuracy, "sparse_top_k_categorical_accuracy",
    "``SparseTopKCategoricalAccuracy(k=5)``.", k=5)
MeanSquaredError = _wrapper(mean_squared_error, "mean_squared_error", "``MeanSquaredError()``.")
MeanAbsoluteError = _wrapper(mean_absolute_error, "mean_absolute_error",
                             "``MeanAbsoluteError()``.")

class _Counts(Metric):
    """Precision and recall: ratios of true positives, counted at ``thresholds``."""

    def __init__(self, thresholds: float | None = None, name: str | None = None,
                 dtype: Any = None) -> None:
        self.thresholds = 0.5 if thresholds is None else float(thresholds)
        super().__init__(name, dtype)

    def reset_state(self) -> None:
        self.tp = self.fp = self.fn = 0.0

    def update_state(self, y_true: Any, y_pred: Any,  # type: ignore[override]
                     sample_weight: Any = None) -> None:
        t, p = losses._pair(y_true, y_pred, self.name)
        w = np.ones_like(t) if sample_weight is None else np.broadcast_to(
            as_array(sample_weight, np.float64).reshape(-1, *(1,) * (t.ndim - 1)), t.shape)
        hit, pos = p > self.thresholds, t > 0.5
        self.tp += float((w * (hit & pos)).sum())
        self.fp += float((w * (hit & ~pos)).sum())
        self.fn += float((w * (~hit & pos)).sum())


class Precision(_Counts):
    """``Precision(thresholds=0.5)``: true positives / predicted positives (on its own only)."""

    def __init__(self, thresholds: float | None = None, name: str = "precision",
                 dtype: Any = None) -> None:
        super().__init__(thresholds, name, dtype)

    def result(self) -> Tensor:
        return Tensor(self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0)


class Recall(_Counts):
    """``Recall(thresholds=0.5)``: true positives / actual positives (on its own only)."""

    def __init__(self, thresholds: float | None = None, name: str = "recall",
                 dtype: Any = None) -> None:
        super().__init__(thresholds, name, dtype)

    def result(self) -> Tensor:
        return Tensor(self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0)


def get(identifier: Any) -> Any:
    """Keras' ``metrics.get``: a name gives its function; a Metric or a function is
    returned as it is."""
    if isinstance(identifier, str):
        table = {"accuracy": accuracy, "acc": accuracy, "mse": mse, "mae": mae,
                 "mean_squared_error": mse, "mean_absolute_error": mae, **_FUNCTIONS}
        if identifier not in table:
            raise ConfigError(f"metrics.get: unknown metric {identifier!r}; valid: "
                              f"{', '.join(table)}")
        return table[identifier]
    if isinstance(identifier, Metric) or callable(identifier):
        return identifier
    raise ConfigError(f"metrics.get: expected a name, a Metric or a function, got "
                      f"{identifier!r}")


def entry(identifier: Any, where: str = "compile") -> tuple[str, MetricFn | None]:
    """``(name, per-sample function)`` for one entry of ``metrics=[...]``; the function is
    None for the names training computes itself from the loss ("accuracy", "mae"...)."""
    if isinstance(identifier, str):
        if identifier in METRICS:
            return METRICS[identifier], None
        if identifier in _FUNCTIONS:
            return identifier, _FUNCTIONS[identifier]
        raise ConfigError(f"{where}: unknown metric {identifier!r}; valid: "
                          f"{', '.join([*METRICS, *_FUNCTIONS])}, a keras.metrics class, or a "
                          "function fn(y_true, y_pred) of your own")
    if isinstance(identifier, type) and issubclass(identifier, Metric):
        identifier = identifier()
    if isinstance(identifier, MeanMetricWrapper):
        return identifier.name, identifier.per_sample
    if isinstance(identifier, Metric):
        raise ConfigError(f"{where}: {type(identifier).__name__} works on its own "
                          "(update_state, result) but not in compile(metrics=...): training "
                          "reports means of per-sample values")
    if callable(identifier) and hasattr(identifier, "__name__"):
        return identifier.__name__, _user(identifier)
    raise ConfigError(f"{where}: a metric must be a name, a keras.metrics class or instance, "
                      f"or a function fn(y_true, y_pred); got {identifier!r}")


def _user(fn: Callable[..., Any]) -> MetricFn:
    """A metric function of the user's own, given Tensors as Keras gives it tensors."""
    @functools.wraps(fn)
    def call(y_true: np.ndarray, y_pred: np.ndarray) -> Any:
        return fn(Tensor(y_true), Tensor(y_pred))
    return call


def resolve(metrics: Sequence[Any] | None, where: str) -> tuple[list[str], dict[str, MetricFn]]:
    """The logged names of ``metrics`` (in order, no repeats) and the functions of those that
    training does not compute itself."""
    if isinstance(metrics, (str, dict)) or (metrics is not None and
                                             not isinstance(metrics, (list, tuple))):
        raise ConfigError(f"{where}: metrics must be a list, e.g. metrics=[{metrics!r}]")
    names: list[str] = []
    fns: dict[str, MetricFn] = {}
    for item in metrics or []:
        name, fn = entry(item, where)
        if name not in names:
            names.append(name)
        if fn is not None:
            fns[name] = fn
    return names, fns
