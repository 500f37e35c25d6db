"""``Activation``, ``Softmax`` and ``ReLU``: an activation as a layer of its own.

>>> Activation("tanh").output_activation, Softmax().output_activation
('tanh', 'softmax')
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from autograd import Value
from autograd.errors import ConfigError

from ...layers import activate
from .base import Layer, Shape
from .dense import activation_name, flat_width

__all__ = ["Activation", "ReLU", "Softmax"]


class Activation(Layer):
    """``Activation("relu")``: apply a named activation to every input."""

    _config_keys = ("activation",)

    def __init__(self, activation: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.activation = activation_name(activation, "Activation")

    @property
    def output_activation(self) -> str:  # type: ignore[override]
        return self.activation

    def compute_output_shape(self, input_shape: Shape) -> Shape:
        if self.activation == "softmax":  # over the last axis: one flat row per sample
            flat_width(input_shape, self.describe())
        return tuple(input_shape)

    def call_logits(self, inputs: list[Value], training: bool = False,
                    noise: Sequence[Any] | None = None) -> list[Value]:
        return inputs

    def call(self, inputs: list[Value], training: bool = False,
             noise: Sequence[Any] | None = None) -> list[Value]:
        return activate(inputs, self.activation)


class Softmax(Activation):
    """``Softmax()``: probabilities over the last axis of flat inputs."""

    _config_keys = ()

    def __init__(self, axis: int = -1, **kwargs: Any) -> None:
        if axis != -1:
            raise ConfigError(f"Softmax: only axis=-1 is supported, got {axis!r}")
        super().__init__("softmax", **kwargs)


class ReLU(Activation):
    """``ReLU()``: ``max(x, 0)``; Keras' ``max_value``/``negative_slope``/``threshold``
    are supported at their defaults only."""

    _config_keys = ()

    def __init__(self, max_value: float | None = None, negative_slope: float = 0.0,
                 threshold: float = 0.0, **kwargs: Any) -> None:
        for name, value, default in (("max_value", max_value, None),
                                     ("negative_slope", negative_slope, 0.0),
                                     ("threshold", threshold, 0.0)):
            if value != default:
                raise ConfigError(f"ReLU: {name}={value!r} is not supported (only "
                                  f"{default!r}); use LeakyReLU for a negative slope")
        super().__init__("relu", **kwargs)


