"""``Input``/``InputLayer``: the shape of one sample, the first entry of a ``Sequential``.

>>> Input(shape=(28, 28))
InputLayer(shape=(28, 28))
"""

from __future__ import annotations

from typing import Any

from autograd.errors import ConfigError

from .base import Layer

__all__ = ["Input", "InputLayer"]


class InputLayer(Layer):
    """The input of a model: its per-sample shape, nothing to compute or train."""

    def __init__(self, shape: Any = None, name: str | None = None, **kwargs: Any) -> None:
        given = shape if shape is not None else kwargs.pop("input_shape", None)
        if "batch_shape" in kwargs:
            batch = kwargs.pop("batch_shape")
            given = None if batch is None else tuple(batch)[1:]
        if given is None:
            raise ConfigError("Input: give shape=(n,) (the shape of one sample)")
        super().__init__(name=name, input_shape=given, **kwargs)
        self.build(self._declared)

    @property
    def shape(self) -> tuple[int, ...]:
        """The shape of one sample."""
        return self.input_shape[1:]

    def call(self, inputs: list[Any], training: bool = False, noise: Any = None) -> list[Any]:
        return inputs

    def get_config(self) -> dict[str, Any]:
        return {"name": self.name, "shape": list(self.shape)}

    def __repr__(self) -> str:
        return f"InputLayer(shape={self.shape})"


def Input(shape: Any = None, name: str | None = None, **kwargs: Any) -> InputLayer:  # noqa: N802
    """``keras.Input(shape=(n,))``: the first entry of ``Sequential([...])``."""
    return InputLayer(shape, name, **kwargs)
