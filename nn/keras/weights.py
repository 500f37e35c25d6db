"""Keras' weight arrays and files for ``Sequential``: ``count_params``, ``get_weights``/
``set_weights`` (each layer's kernel ``(inputs, units)`` then its bias), and ``save``,
``save_weights``, ``load_weights`` as one JSON file that ``load_model`` reads back.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any

import numpy as np

from autograd.errors import ConfigError

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

    def count_params(self) -> int:
        """Every weight and bias of every layer."""
        self._width("count_params")
        return sum(layer.count_params() for layer in self.layers)

    def get_weights(self) -> list[np.ndarray]:
        """Keras' list of arrays: each layer's kernel ``(inputs, units)`` then its bias."""
        self._width("get_weights")
        return [w for layer in self.layers for w in layer.get_weights()]

    def set_weights(self, weights: Sequence[Any]) -> None:
        """Set every layer from a ``get_weights()`` list; all shapes are checked first."""
        self._width("set_weights")
        if isinstance(weights, np.ndarray) or len(weights) != 2 * len(self.layers):
            got = len(weights) if hasattr(weights, "__len__") else weights
            raise ConfigError(f"set_weights: this model takes {2 * len(self.layers)} arrays "
                              f"(kernel and bias per layer), got {got!r}")
        for i, layer in enumerate(self.layers):  # check all before changing any
            layer.check_weights(weights[2 * i:2 * i + 2], layer.name)
        for i, layer in enumerate(self.layers):
            layer.set_weights(weights[2 * i:2 * i + 2])

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write the model (architecture, compile settings, weights) as one JSON file."""
        super().save(check_path(path, "save"))  # type: ignore[misc]

    def save_weights(self, path: str | os.PathLike[str]) -> None:
        """Keras' name for :meth:`save`: the weights are in the same JSON file."""
        self.save(path)

    def load_weights(self, path: str | os.PathLike[str]) -> Any:
        """Load weights saved by ``save`` into this model of the same architecture."""
        self.load(check_path(path, "load_weights"))  # type: ignore[attr-defined]
        return self

    def architecture(self) -> dict[str, Any]:
        """Class, config and, once compiled, the compile settings (for ``load_model``)."""
        arch = super().architecture()  # type: ignore[misc]
        if self.optimizer is not None and self.loss is not None:
            arch["compile"] = {"optimizer": self.optimizer.get_config(),
                               "loss": serialize(self.loss), "metrics": list(self.metrics),
                               "dtype": self.dtype.name}
        return arch
