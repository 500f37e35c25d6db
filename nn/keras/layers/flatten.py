"""``Flatten``: any per-sample shape, e.g. ``(28, 28)`` images, as one flat row.

>>> layer = Flatten()
>>> layer.build((None, 28, 28))
>>> layer.output_shape
(None, 784)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from autograd import Value
from autograd.errors import ConfigError

from .base import Layer, Shape, size_of

__all__ = ["Flatten"]


class Flatten(Layer):
    """Row-major flattening (C order, as numpy's ``reshape``): no weights."""

    def __init__(self, data_format: str | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        if data_format not in (None, "channels_last"):
            raise ConfigError(f"Flatten: data_format must be 'channels_last', got "
                              f"{data_format!r}")

    def compute_output_shape(self, input_shape: Shape) -> Shape:
        return (None, size_of(input_shape))

    def call(self, inputs: list[Value], training: bool = False,
             noise: Sequence[Any] | None = None) -> list[Value]:
        return inputs  # one sample is already a flat list in row-major order
