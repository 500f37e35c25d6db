"""Keras' weights and files for ``Sequential``: which weights train (``trainable``, the
optimizer bound to them), ``count_params``, ``get_weights``/
``set_weights`` (each layer's arrays, in order, as its ``weight_shapes()`` says), and
``save``, ``save_weights``, ``load_weights`` as one JSON file that ``load_model`` reads.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any

import numpy as np

from autograd import Value
from autograd.errors import ConfigError

from .layers.base import Layer
from .losses import serialize
from .saving import check_path

__all__ = ["Weights"]


class Weights:
    """Mixed into ``Sequential``: its layers' weights as Keras' arrays, and its files."""

    layers: list[Any]
    optimizer: Any
    loss: Any
    metrics: list[str]
    dtype: np.dtype
    _width: Any  # Sequential's check that the model is built
    get_config: Any
    name: str | None
    _trainable: bool
    _bound: list[Value] | None

    # -- which weights, and which of them train -------------------------------------------

    @property
    def weights(self) -> list[Value]:  # type: ignore[override]
        out: list[Value] = []
        for layer in self.layers:
            out += layer.weights
        return out

    def weights_and_trainable(self) -> tuple[list[Value], list[Value]]:
        """Every weight and the trainable ones, from one listing of the layers: a compiled
        ``fit`` needs both for ~400k weights, and the second is the first when nothing is
        frozen (then the very same list)."""
        every: list[Value] = []
        frozen = not self.trainable
        for layer in self.layers:
            every += layer.weights
            frozen = frozen or _freezes(layer)
        return every, (self.trainable_weights if frozen else every)

    @property
    def trainable(self) -> bool:  # type: ignore[override]
        return self._trainable

    @trainable.setter
    def trainable(self, value: bool) -> None:
        self._trainable = bool(value)

    @property
    def trainable_weights(self) -> list[Value]:  # type: ignore[override]
        if not self.trainable:
            return []
        out: list[Value] = []
        for layer in self.layers:
            out += layer.trainable_weights
        return out

    @property
    def non_trainable_weights(self) -> list[Value]:  # type: ignore[override]
        if not self.trainable:
            return self.weights
        out: list[Value] = []
        for layer in self.layers:
            out += layer.non_trainable_weights
        return out

    def weight_shapes(self) -> list[tuple[int, ...]]:
        return [s for layer in self.layers for s in layer.weight_shapes()]

    def _bind(self) -> None:
        """Bind the optimizer to the trainable weights (again, after ``trainable`` changed)."""
        assert self.optimizer is not None
        weights = self.trainable_weights
        if not weights and self.weights:
            raise ConfigError(f"{self.name}: every weight is frozen (trainable=False), so "
                              "there is nothing to train; set trainable=True on a layer")
        self.optimizer.bind(weights)
        self._bound = self.optimizer.params

    def _check_optimizer(self, where: str, wanted: list[Value]) -> None:
        """Before fit: rebind an optimizer compile bound, if the trainable weights (``wanted``,
        as ``weights_and_trainable`` lists them) changed."""
        if self.optimizer is None:
            raise ConfigError(f"{where}: call compile(optimizer, loss, metrics) first")
        if self.optimizer.params == wanted:
            return
        if self._bound is not None and self.optimizer.params is self._bound:
            self._bind()
            return
        raise ConfigError(f"{where}: the optimizer is bound to other parameters than the "
                          "model's trainable weights; compile the model again with it")

    # -- Keras' arrays ---------------------------------------------------------------

    def count_params(self) -> int:
        """Every weight and bias of every layer."""
        self._width("count_params")
        return sum(layer.count_params() for layer in self.layers)

    def get_weights(self) -> list[np.ndarray]:
        """Keras' list of arrays: each layer's (a Dense's kernel ``(inputs, units)`` then
        its bias), in layer order."""
        self._width("get_weights")
        return [w for layer in self.layers for w in layer.get_weights()]

    def set_weights(self, weights: Sequence[Any]) -> None:
        """Set every layer from a ``get_weights()`` list; all shapes are checked first."""
        self._width("set_weights")
        counts = [len(layer.weight_shapes()) for layer in self.layers]
        if isinstance(weights, np.ndarray) or not hasattr(weights, "__len__") \
                or len(weights) != sum(counts):
            got = len(weights) if hasattr(weights, "__len__") else weights
            raise ConfigError(f"set_weights: this model takes {sum(counts)} arrays "
                              f"({', '.join(self._shapes_text())}), got {got!r}")
        parts, at = [], 0
        for layer, k in zip(self.layers, counts):  # check all before changing any
            parts.append(layer.check_weights(weights[at:at + k]))
            at += k
        for layer, arrays in zip(self.layers, parts):
            layer._assign(arrays)

    def _shapes_text(self) -> list[str]:
        return [f"{layer.name}: {layer.weight_shapes()}" for layer in self.layers
                if layer.weight_shapes()]

    def save(self, filepath: str | bytes | os.PathLike[str], overwrite: bool = True,
             **kwargs: Any) -> None:
        """Write the model (architecture, compile settings, weights) as one JSON file."""
        path = check_path(filepath, "save")
        if not overwrite and os.path.exists(path):
            raise ConfigError(f"save: {os.fspath(path)!r} exists and overwrite=False")
        super().save(path)  # type: ignore[misc]

    def save_weights(self, filepath: str | bytes | os.PathLike[str], overwrite: bool = True,
                     **kwargs: Any) -> None:
        """Keras' name for :meth:`save`: the weights are in the same JSON file."""
        self.save(filepath, overwrite)

    def load_weights(self, filepath: str | bytes | os.PathLike[str], **kwargs: Any) -> Any:
        """Load weights saved by ``save`` into this model of the same architecture."""
        self.load(check_path(filepath, "load_weights"))  # type: ignore[attr-defined]
        return self

    def file_config(self, arch: Any) -> Any:
        """A file's layer settings; files of only Dense layers written before layers had
        classes (``{"units", "activation", "input_dim"}`` each) read as today's."""
        config = arch.get("config")
        old = config.get("layers") if isinstance(config, dict) else None
        if isinstance(old, list) and old and all(
                isinstance(c, dict) and set(c) == {"units", "activation", "input_dim"}
                for c in old):
            return {"layers": [{"class": "Dense", "config": {"units": c["units"],
                                                            "activation": c["activation"]}}
                               for c in old]}
        return config

    def architecture(self) -> dict[str, Any]:
        """Class, the layers' settings, Keras' config (names, trainable) and, once compiled,
        the compile settings (for ``load_model``)."""
        arch = super().architecture()  # type: ignore[misc]
        arch["keras_config"] = _json(self.get_config())
        if self.optimizer is not None and self.loss is not None:
            arch["compile"] = {"optimizer": self.optimizer.get_config(),
                               "loss": serialize(self.loss), "metrics": list(self.metrics),
                               "dtype": self.dtype.name}
        return arch


def _json(obj: Any) -> Any:
    """Tuples as lists, as the file holds them (so a read-back config compares equal)."""
    if isinstance(obj, dict):
        return {k: _json(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_json(v) for v in obj]
    return obj


def _freezes(layer: Any) -> bool:
    """True if some weight of ``layer`` does not train: the layer or a layer inside it is
    frozen, or its class lists its trainable weights its own way."""
    if isinstance(layer, Weights):
        return not layer.trainable or any(_freezes(inner) for inner in layer.layers)
    return not layer.trainable or type(layer).trainable_weights is not Layer.trainable_weights

