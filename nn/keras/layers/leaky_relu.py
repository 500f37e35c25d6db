"""``LeakyReLU``: ``x`` where positive, ``negative_slope * x`` elsewhere (Keras' default
slope 0.3; Keras 2's ``alpha=`` is the same number).

>>> layer = LeakyReLU(negative_slope=0.1)
>>> layer.build((None, 2))
>>> [v.data for v in layer([2.0, -3.0])]
[2.0, -0.30000000000000004]
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from autograd import Value
from autograd.errors import ConfigError

from .base import Layer

__all__ = ["LeakyReLU"]


class LeakyReLU(Layer):
    """``LeakyReLU(negative_slope=0.3)``: no weights; the slope is fixed, not learned."""

    _config_keys = ("negative_slope",)

    def __init__(self, negative_slope: float = 0.3, alpha: float | None = None,
                 **kwargs: Any) -> None:
        super().__init__(**kwargs)
        slope = negative_slope if alpha is None else alpha
        if isinstance(slope, bool) or not isinstance(slope, (int, float)) or not slope >= 0:
            raise ConfigError(f"LeakyReLU: negative_slope must be a number >= 0, got {slope!r}")
        self.negative_slope = float(slope)

    def call(self, inputs: list[Value], training: bool = False,
             noise: Sequence[Any] | None = None) -> list[Value]:
        return [x.leaky_relu(self.negative_slope) for x in inputs]
