"""Keras' losses: classes (``SparseCategoricalCrossentropy(from_logits=True)``...) and
lowercase functions, usable as ``compile(loss=...)`` and callable on arrays.

Called on arrays, a loss gives Keras' numbers as a :class:`~nn.tensor.Tensor`
(``.numpy()``): a function gives one value per sample, a class instance their mean
(Keras' ``sum_over_batch_size``). Probabilities that are not logits are clipped to
``[1e-7, 1 - 1e-7]`` as Keras does. In ``compile`` the same loss is built as a graph by
:mod:`nn.objectives`; a loss function of your own cannot be, and is refused.

>>> loss_fn = SparseCategoricalCrossentropy(from_logits=True)
>>> round(float(loss_fn([0, 1], [[2.0, 0.0], [0.0, 0.0]]).numpy()), 6)
0.410038
>>> mean_squared_error([[0.0, 1.0]], [[1.0, 1.0]]).numpy().tolist()
[0.5]
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

import numpy as np

from autograd.errors import ConfigError

from ..fit.objectives import LOSSES
from ..tensor import Tensor, as_array

__all__ = ["BinaryCrossentropy", "CategoricalCrossentropy", "Loss", "MAE", "MSE",
           "MeanAbsoluteError", "MeanSquaredError", "SparseCategoricalCrossentropy",
           "binary_crossentropy", "categorical_crossentropy", "check_logits", "deserialize",
           "get", "mae", "mean_absolute_error", "mean_squared_error", "mse", "resolve",
           "serialize", "sparse_categorical_crossentropy"]

_EPS = 1e-7  # Keras' epsilon: probabilities are clipped to [eps, 1 - eps]
_REDUCTIONS = ("sum_over_batch_size", "auto", "mean", "sum", "none", None)


def _pair(y_true: Any, y_pred: Any, where: str) -> tuple[np.ndarray, np.ndarray]:
    """Targets and predictions as float arrays of the same rank (Keras squeezes a trailing 1)."""
    t = as_array(y_true, np.float64)
    p = as_array(y_pred, np.float64)
    if t.ndim == p.ndim + 1 and t.shape[-1] == 1:
        t = t[..., 0]
    elif p.ndim == t.ndim + 1 and p.shape[-1] == 1:
        p = p[..., 0]
    if t.shape != p.shape:
        raise ConfigError(f"{where}: y_true has shape {t.shape}, y_pred {p.shape}; they must match")
    return t, p


def _per_sample(values: np.ndarray) -> Tensor:
    return Tensor(values.mean(axis=-1) if values.ndim else values)


def mean_squared_error(y_true: Any, y_pred: Any) -> Tensor:
    """Mean of ``(y_pred - y_true) ** 2`` over the last axis: one value per sample."""
    t, p = _pair(y_true, y_pred, "mean_squared_error")
    return _per_sample((p - t) ** 2)


def mean_absolute_error(y_true: Any, y_pred: Any) -> Tensor:
    """Mean of ``|y_pred - y_true|`` over the last axis: one value per sample."""
    t, p = _pair(y_true, y_pred, "mean_absolute_error")
    return _per_sample(np.abs(p - t))


def binary_crossentropy(y_true: Any, y_pred: Any, from_logits: bool = False,
                        label_smoothing: float = 0.0, axis: int = -1) -> Tensor:
    """Logistic loss, mean over the last axis. From logits ``z``:
    ``max(z, 0) - z*y + log(1 + exp(-|z|))``; from probabilities, clipped."""
    t, p = _pair(y_true, y_pred, "binary_crossentropy")
    t = t * (1.0 - label_smoothing) + 0.5 * label_smoothing
    if from_logits:
        values = np.maximum(p, 0) - p * t + np.log1p(np.exp(-np.abs(p)))
    else:
        q = np.clip(p, _EPS, 1 - _EPS)
        values = -(t * np.log(q) + (1 - t) * np.log(1 - q))
    return _per_sample(np.moveaxis(values, axis, -1) if values.ndim else values)


def _log_probs(p: np.ndarray, from_logits: bool, axis: int) -> np.ndarray:
    if from_logits:
        top = p.max(axis=axis, keepdims=True)
        return p - top - np.log(np.exp(p - top).sum(axis=axis, keepdims=True))
    return np.log(np.clip(p / p.sum(axis=axis, keepdims=True), _EPS, 1 - _EPS))


def categorical_crossentropy(y_true: Any, y_pred: Any, from_logits: bool = False,
                             label_smoothing: float = 0.0, axis: int = -1) -> Tensor:
    """``-sum(y_true * log softmax(y_pred))`` per sample (probabilities: normalized, clipped)."""
    t, p = _pair(y_true, y_pred, "categorical_crossentropy")
    if p.ndim == 0:
        raise ConfigError("categorical_crossentropy: y_pred needs a class axis")
    k = p.shape[axis]
    t = t * (1.0 - label_smoothing) + label_smoothing / k
    return Tensor(-(t * _log_probs(p, from_logits, axis)).sum(axis=axis))


def sparse_categorical_crossentropy(y_true: Any, y_pred: Any, from_logits: bool = False,
                                    axis: int = -1) -> Tensor:
    """Categorical cross-entropy with integer class ids ``0..k-1`` as targets."""
    p = as_array(y_pred, np.float64)
    ids = as_array(y_true)
    if p.ndim == 0:
        raise ConfigError("sparse_categorical_crossentropy: y_pred needs a class axis")
    if ids.ndim == p.ndim and ids.shape[-1] == 1:
        ids = ids[..., 0]
    p = np.moveaxis(p, axis, -1)
    k = p.shape[-1]
    if ids.shape != p.shape[:-1]:
        raise ConfigError(f"sparse_categorical_crossentropy: y_true has shape {ids.shape}, "
                          f"y_pred {p.shape}: expected one class id per row")
    if ids.size and (not np.all(np.isfinite(ids.astype(float))) or
                     np.any(ids != np.round(ids)) or ids.min() < 0 or ids.max() >= k):
        raise ConfigError(f"sparse_categorical_crossentropy: class ids must be integers "
                          f"0..{k - 1}, got {ids.ravel()[:8].tolist()}")
    logp = _log_probs(p, from_logits, -1)
    return Tensor(-np.take_along_axis(logp, ids.astype(np.intp)[..., None], -1)[..., 0])


mse = MSE = mean_squared_error
mae = MAE = mean_absolute_error


class Loss:
    """A loss object: ``loss(y_true, y_pred, sample_weight=None)`` reduces the per-sample
    values of ``fn`` (``reduction``: "sum_over_batch_size" as Keras, "sum", or "none")."""

    fn: Callable[..., Tensor]

    def __init__(self, reduction: str | None = "sum_over_batch_size", name: str | None = None,
                 **kwargs: Any) -> None:
        if reduction not in _REDUCTIONS:
            raise ConfigError(f"{type(self).__name__}: unknown reduction {reduction!r}; valid: "
                              "sum_over_batch_size, sum, none")
        self.reduction = reduction
        fn = getattr(self, "fn", None)
        self.name = name or (fn.__name__ if fn is not None else type(self).__name__.lower())
        self._kwargs = kwargs

    def call(self, y_true: Any, y_pred: Any) -> Any:
        """The per-sample values; a subclass of your own overrides this (arrays in and out)."""
        return self.fn(y_true, y_pred, **self._kwargs)

    @property
    def from_logits(self) -> bool:
        """True when predictions are logits (softmax/sigmoid is applied inside the loss)."""
        return bool(self._kwargs.get("from_logits", False))

    def __call__(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> Tensor:
        values = as_array(self.call(y_true, y_pred), np.float64)
        if sample_weight is not None:
            weights = as_array(sample_weight, np.float64)
            values = values * weights.reshape(weights.shape + (1,) * (values.ndim - weights.ndim))
        if self.reduction in ("none", None):
            return Tensor(values)
        total = values.sum()
        return Tensor(total if self.reduction == "sum" else total / max(values.size, 1))

    def compile_check(self, where: str) -> None:
        """Refuse settings that training does not build into the loss graph."""
        if self.reduction not in ("sum_over_batch_size", "auto", "mean"):
            raise ConfigError(f"{where}: {type(self).__name__}(reduction={self.reduction!r}) "
                              "is not supported in training; leave reduction at its default")
        defaults = {"from_logits": self.from_logits, "label_smoothing": 0.0, "axis": -1}
        extra = {k: v for k, v in self._kwargs.items() if v != defaults[k]}
        if extra:
            raise ConfigError(f"{where}: {type(self).__name__} with "
                              f"{', '.join(f'{k}={v!r}' for k, v in extra.items())} is not "
                              "supported in training")

    def get_config(self) -> dict[str, Any]:
        return {"name": self.name, "reduction": self.reduction, **self._kwargs}

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> Loss:
        return cls(**config)

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self._kwargs.items())
        return f"{type(self).__name__}({args})"


class MeanSquaredError(Loss):
    """``MeanSquaredError()``: the mean of ``(y_pred - y_true) ** 2``."""

    fn = staticmethod(mean_squared_error)

    def __init__(self, reduction: str | None = "sum_over_batch_size",
                 name: str = "mean_squared_error") -> None:
        super().__init__(reduction, name)


class MeanAbsoluteError(Loss):
    """``MeanAbsoluteError()``: the mean of ``|y_pred - y_true|``."""

    fn = staticmethod(mean_absolute_error)

    def __init__(self, reduction: str | None = "sum_over_batch_size",
                 name: str = "mean_absolute_error") -> None:
        super().__init__(reduction, name)


class BinaryCrossentropy(Loss):
    """``BinaryCrossentropy(from_logits=False, label_smoothing=0.0)``."""

    fn = staticmethod(binary_crossentropy)

    def __init__(self, from_logits: bool = False, label_smoothing: float = 0.0,
                 axis: int = -1, reduction: str | None = "sum_over_batch_size",
                 name: str = "binary_crossentropy") -> None:
        super().__init__(reduction, name, from_logits=bool(from_logits),
                         label_smoothing=float(label_smoothing), axis=axis)


class CategoricalCrossentropy(Loss):
    """``CategoricalCrossentropy(from_logits=False, label_smoothing=0.0)``: one-hot targets."""

    fn = staticmethod(categorical_crossentropy)

    def __init__(self, from_logits: bool = False, label_smoothing: float = 0.0,
                 axis: int = -1, reduction: str | None = "sum_over_batch_size",
                 name: str = "categorical_crossentropy") -> None:
        super().__init__(reduction, name, from_logits=bool(from_logits),
                         label_smoothing=float(label_smoothing), axis=axis)


class SparseCategoricalCrossentropy(Loss):
    """``SparseCategoricalCrossentropy(from_logits=False)``: integer class ids as targets."""

    fn = staticmethod(sparse_categorical_crossentropy)

    def __init__(self, from_logits: bool = False, reduction: str | None = "sum_over_batch_size",
                 name: str = "sparse_categorical_crossentropy", axis: int = -1) -> None:
        super().__init__(reduction, name, from_logits=bool(from_logits), axis=axis)


_CLASSES: dict[str, type[Loss]] = {cls.__name__: cls for cls in (
    MeanSquaredError, MeanAbsoluteError, BinaryCrossentropy, CategoricalCrossentropy,
    SparseCategoricalCrossentropy)}
_FUNCTIONS = {f.__name__: f for f in (mean_squared_error, mean_absolute_error,
                                      binary_crossentropy, categorical_crossentropy,
                                      sparse_categorical_crossentropy)}
_NAMES = {**_FUNCTIONS, "mse": mse, "mae": mae, "MSE": mse, "MAE": mae}


def get(identifier: Any) -> Any:
    """Keras' ``losses.get``: a name gives its function, a config its Loss; a Loss or a
    function is returned as it is."""
    if isinstance(identifier, str):
        if identifier not in _NAMES:
            raise ConfigError(f"losses.get: unknown loss {identifier!r}; valid: "
                              f"{', '.join(_NAMES)}")
        return _NAMES[identifier]
    if isinstance(identifier, dict):
        return deserialize(identifier, "losses.get")
    if isinstance(identifier, Loss) or callable(identifier):
        return identifier
    raise ConfigError(f"losses.get: expected a name, a config, a Loss or a function, got "
                      f"{identifier!r}")


def resolve(identifier: Any, where: str = "compile") -> str | Loss:
    """What ``compile(loss=...)`` keeps: a Keras loss name, or a Loss instance.

    Takes a name ("mse", "sparse_categorical_crossentropy"...), one of this module's
    functions or classes, a Loss instance, or a saved config (:func:`serialize`).
    """
    if identifier is None:
        raise ConfigError(f"{where}: give a loss, one of {', '.join(LOSSES)}")
    if isinstance(identifier, str):
        if identifier not in LOSSES:
            raise ConfigError(f"{where}: unknown loss {identifier!r}; valid: {', '.join(LOSSES)}")
        return identifier
    if isinstance(identifier, dict):
        return deserialize(identifier, where)
    if isinstance(identifier, type) and issubclass(identifier, Loss) and identifier in \
            _CLASSES.values():
        return identifier()
    if type(identifier) in _CLASSES.values():
        identifier.compile_check(where)
        return identifier
    name = getattr(identifier, "__name__", None)
    if name in _FUNCTIONS and _FUNCTIONS[name] is identifier:
        return name
    raise ConfigError(
        f"{where}: loss {identifier!r} is not one of Keras' losses this package builds as a "
        f"graph (a loss function of your own is not supported); use one of "
        f"{', '.join(LOSSES)} or {', '.join(_CLASSES)}")


def check_logits(loss: str | Loss, activation: str) -> None:
    """Warn, as Keras does, when a loss told ``from_logits=True`` gets the outputs of a
    softmax or sigmoid (probabilities, not logits): the model still trains, worse."""
    if isinstance(loss, Loss) and loss.from_logits and activation in ("softmax", "sigmoid"):
        warnings.warn(f"{loss.name} received from_logits=True, but the model's output comes "
                      f"from a {activation} and so is not logits. Was this intended? (Use a "
                      "linear last layer, or from_logits=False.)", UserWarning, stacklevel=3)


def serialize(loss: str | Loss) -> str | dict[str, Any]:
    """A loss as JSON-ready data: its name, or ``{"class_name", "config"}``."""
    if isinstance(loss, str):
        return loss
    return {"class_name": type(loss).__name__, "config": loss.get_config()}


def deserialize(config: dict[str, Any], where: str = "deserialize") -> Loss:
    """The Loss that :func:`serialize` described; anything else is a ConfigError."""
    cls = _CLASSES.get(config.get("class_name"))  # type: ignore[arg-type]
    settings = config.get("config", {})
    if cls is None or not isinstance(settings, dict):
        raise ConfigError(f"{where}: not a saved Keras loss: {config!r}")
    try:
        loss = cls.from_config(settings)
    except TypeError as e:
        raise ConfigError(f"{where}: bad settings for {cls.__name__}: {e}") from None
    loss.compile_check(where)
    return loss
