"""``Dropout``: in training, each input is zeroed with probability ``rate`` and the rest
scaled by ``1 / (1 - rate)`` (inverted dropout); in ``predict`` and ``evaluate`` it
passes its inputs through unchanged.

The masks are random inputs of the computation, drawn per batch by ``fit``'s engine
(``draw_noise``), so the compiled program and the scalar graphs use the same masks.

>>> import numpy as np
>>> layer = Dropout(0.5)
>>> layer.build((None, 4))
>>> layer.draw_noise(np.random.default_rng(0), 2)
array([[2., 0., 0., 0.],
       [2., 2., 2., 2.]])
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from autograd import Value
from autograd.errors import ConfigError

from .base import Layer, size_of

__all__ = ["Dropout"]


class Dropout(Layer):
    """``Dropout(rate)``: zero a fraction ``rate`` of the inputs while training."""

    _config_keys = ("rate",)

    def __init__(self, rate: float, noise_shape: Any = None, seed: int | None = None,
                 **kwargs: Any) -> None:
        super().__init__(**kwargs)
        if isinstance(rate, bool) or not isinstance(rate, (int, float)) or not 0 <= rate < 1:
            raise ConfigError(f"Dropout: rate must be a number in [0, 1), got {rate!r}")
        if noise_shape is not None:
            raise ConfigError("Dropout: noise_shape is not supported (one mask entry per input)")
        self.rate = float(rate)
        self.seed = seed
        self._generator = None if seed is None else np.random.default_rng(seed)

    @property
    def noise_size(self) -> int:
        return size_of(self.input_shape) if self.rate > 0 else 0

    def draw_noise(self, rng: np.random.Generator, n: int) -> np.ndarray:
        """Masks of 0 and ``1 / (1 - rate)``, one row per sample."""
        gen = self._generator or rng
        keep = gen.random((n, self.noise_size)) >= self.rate
        return keep * (1.0 / (1.0 - self.rate))

    def call(self, inputs: list[Value], training: bool = False,
             noise: Sequence[Any] | None = None) -> list[Value]:
        if not training or noise is None or not self.rate:
            return inputs
        return [x * m for x, m in zip(inputs, noise)]

    def get_config(self) -> dict[str, Any]:
        out = super().get_config()
        if self.seed is not None:
            out["seed"] = self.seed
        return out
