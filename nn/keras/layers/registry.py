"""The one table of Keras layers by class name: every ``Layer`` subclass enters it when its
class is created, so a new layer is one class in one file, found by ``nn.keras.layers``,
``load_model`` and the error for a layer that does not exist.
"""

from __future__ import annotations

from typing import Any

from autograd.errors import ConfigError

__all__ = ["LAYERS", "UnknownLayerError", "layer_class", "public_layers", "register",
           "unknown_layer"]

LAYERS: dict[str, type] = {}


class UnknownLayerError(ConfigError, ImportError):
    """A Keras layer this library does not have (raised by ``from nn.keras.layers import
    Conv2D`` as well, with the message intact)."""


def register(cls: type) -> None:
    """Enter one of this library's layer classes under its name (private ``_Name`` ones
    and the user's own subclasses stay out: a model file names only these)."""
    if not cls.__name__.startswith("_") and cls.__module__.startswith("nn."):
        LAYERS[cls.__name__] = cls


def public_layers() -> list[str]:
    """The layer names a user can ask for, sorted."""
    return sorted(LAYERS)


def unknown_layer(name: str, where: str) -> UnknownLayerError:
    """The error for a layer that is not here: what exists, and what to do instead."""
    hint = ""
    if name in ("Reshape",):
        hint = " (Flatten turns any input shape into a flat row)"
    elif name.startswith(("Conv", "MaxPool", "AveragePool", "GlobalAverage", "GlobalMax")):
        hint = " (no convolutions: Flatten the images, then Dense layers)"
    elif name in ("LSTM", "GRU", "SimpleRNN", "Embedding", "Bidirectional"):
        hint = " (no sequence layers: this engine trains dense networks)"
    return UnknownLayerError(f"{where} has no {name}: the layers are "
                             f"{', '.join(public_layers())}{hint}")


def layer_class(name: Any, where: str) -> type:
    """The layer class called ``name``, or an ``UnknownLayerError`` listing the known ones."""
    if not isinstance(name, str) or name not in LAYERS:
        raise unknown_layer(str(name), where)
    return LAYERS[name]
