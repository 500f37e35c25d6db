"""``nn.keras.layers``: Keras' layers for dense networks, each a :class:`Layer` in a file of
its own here, found by the registry when this package is imported.

Any other Keras layer (``Conv2D``, ``LSTM``...) is one clear error naming the layers that
exist (an ``ImportError``), from ``layers.Conv2D`` and from ``from nn.keras.layers import
Conv2D`` alike.

>>> from nn.keras import layers
>>> [layers.Flatten(), layers.Dropout(0.2), layers.Dense(10, activation="softmax")][1]
Dropout(rate=0.2)
"""

from __future__ import annotations

import importlib
import pkgutil
from typing import Any

from .activation import Activation, ReLU, Softmax
from .base import Layer
from .dense import DENSE_ACTIVATIONS, Dense
from .dropout import Dropout
from .flatten import Flatten
from .input_layer import Input, InputLayer
from .registry import LAYERS, UnknownLayerError, unknown_layer

__all__ = ["DENSE_ACTIVATIONS", "Activation", "Dense", "Dropout", "Flatten", "Input",
           "InputLayer", "Layer", "ReLU", "Softmax", "UnknownLayerError"]

for _module in pkgutil.iter_modules(__path__):  # a layer in a new file registers itself
    importlib.import_module(f"{__name__}.{_module.name}")


def __getattr__(name: str) -> Any:
    """Layers found by the registry; any other Keras layer gets an error saying what is."""
    if name in LAYERS:
        return LAYERS[name]
    error = unknown_layer(name, "nn.keras.layers")
    if not name[:1].isupper():  # not a class name: tools probing attributes (hasattr)
        raise AttributeError(str(error))
    raise error


def __dir__() -> list[str]:
    return sorted({*globals(), *LAYERS})
