"""Keras' layers: ``Dense``, and ``Input`` to give a ``Sequential`` its input width.

A ``Dense`` layer is a list of linear ``Neuron``s (Glorot-uniform weights, zero bias)
followed by its activation, so parameters keep the paths ``layers.<i>.neurons.<j>.w.<k>``.
Its weights read and write as Keras' arrays: the kernel ``(inputs, units)``, the bias
``(units,)``.

>>> layer = Dense(3, activation="relu", input_shape=(2,), seed=0)
>>> layer.build(2)
>>> [w.shape for w in layer.get_weights()], layer.count_params()
([(2, 3), (3,)], 9)
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import Any

import numpy as np

from autograd import Value
from autograd.errors import ConfigError

from ..layers import ACTIVATIONS, Neuron, activate, as_inputs, check_count, check_name, make_rng
from ..module import Module

__all__ = ["DENSE_ACTIVATIONS", "Dense", "Input", "InputLayer"]

DENSE_ACTIVATIONS = [*ACTIVATIONS, "softmax"]
_INITIALIZERS = {"glorot_uniform": "xavier", "he_uniform": "he"}


def _width(shape: Any, where: str) -> int:
    """The feature count of a flat input shape ``(n,)`` (or a bare int)."""
    dims = (shape,) if isinstance(shape, int) else tuple(shape)
    if len(dims) != 1:
        raise ConfigError(f"{where}: input_shape must be (n,) for flat inputs, got {shape!r} "
                          "(reshape images to rows first: X.reshape(len(X), -1))")
    return check_count(dims[0], "input width", where)


class InputLayer:
    """The input of a ``Sequential``: its width, nothing to train (``keras.Input``)."""

    def __init__(self, shape: Sequence[int] | int | None = None, name: str | None = None,
                 input_shape: Sequence[int] | int | None = None) -> None:
        given = shape if shape is not None else input_shape
        if given is None:
            raise ConfigError("Input: give shape=(n,)")
        self.input_dim = _width(given, "Input")
        self.name = name

    def __repr__(self) -> str:
        return f"Input(shape=({self.input_dim},))"


def Input(shape: Sequence[int] | int | None = None, name: str | None = None) -> InputLayer:  # noqa: N802
    """``keras.Input(shape=(n,))``: the first entry of ``Sequential([...])``."""
    return InputLayer(shape, name)


class Dense(Module):
    """A fully connected layer: ``activation(W x + b)``, built once its input width is known."""

    def __init__(self, units: int, activation: str | None = None,
                 input_shape: Sequence[int] | int | None = None, input_dim: int | None = None,
                 seed: int | random.Random | None = None, name: str | None = None,
                 kernel_initializer: str = "glorot_uniform") -> None:
        self.units = check_count(units, "units", "Dense")
        self.activation = check_name(activation or "linear", DENSE_ACTIVATIONS, "activation",
                                     "Dense")
        if input_shape is not None:
            input_dim = _width(input_shape, "Dense")
        self.input_dim = None if input_dim is None else check_count(input_dim, "input_dim", "Dense")
        self.name = name
        self.neurons: list[Neuron] = []
        self._seed = seed
        self._init = _INITIALIZERS[check_name(kernel_initializer, list(_INITIALIZERS),
                                              "kernel_initializer", "Dense")]

    @property
    def built(self) -> bool:
        """True once the weights exist (the input width is known)."""
        return bool(self.neurons)

    def build(self, nin: int, rng: random.Random | None = None) -> None:
        """Create ``units`` neurons of ``nin`` Glorot-uniform weights and zero bias."""
        if self.input_dim is not None and self.input_dim != nin:
            raise ConfigError(f"Dense({self.units}): input_shape says {self.input_dim} inputs, "
                              f"the previous layer gives {nin}")
        rng = make_rng(self._seed) if self._seed is not None or rng is None else rng
        self.input_dim = nin
        self.neurons = [Neuron(nin, activation="linear", init=self._init, seed=rng,
                               fan_out=self.units) for _ in range(self.units)]

    def __call__(self, x: Any) -> list[Value]:
        if not self.built:
            raise ConfigError(f"Dense({self.units}) is not built: give input_shape=(n,)")
        return self._forward(as_inputs(x, self.input_dim, "Dense"))

    def _logits(self, xs: list[Value]) -> list[Value]:
        return [n._forward(xs) for n in self.neurons]

    def _forward(self, xs: list[Value]) -> list[Value]:
        return activate(self._logits(xs), self.activation)

    # -- Keras' weight arrays ----------------------------------------------------------

    def _need_built(self, where: str) -> None:
        if not self.built:
            raise ConfigError(f"{where}: {self!r} is not built yet (give input_shape=(n,) "
                              "or call fit first)")

    def count_params(self) -> int:
        """Weights plus biases: ``units * (inputs + 1)``."""
        self._need_built("count_params")
        return self.units * (self.input_dim + 1)  # type: ignore[operator]

    def get_weights(self) -> list[np.ndarray]:
        """``[kernel, bias]``: the kernel ``(inputs, units)``, the bias ``(units,)``."""
        self._need_built("get_weights")
        kernel = np.array([[p.data for p in n.w] for n in self.neurons]).T
        return [kernel, np.array([n.b.data for n in self.neurons])]

    def set_weights(self, weights: Sequence[Any]) -> None:
        """Set ``[kernel, bias]`` as ``get_weights`` gives them; shapes are checked first."""
        self._need_built("set_weights")
        kernel, bias = self.check_weights(weights, self.name or repr(self))
        for j, n in enumerate(self.neurons):
            for p, x in zip(n.w, kernel[:, j].tolist()):
                p.data = x
            n.b.data = float(bias[j])

    def check_weights(self, weights: Sequence[Any], where: str) -> tuple[np.ndarray, np.ndarray]:
        """``weights`` as a float kernel and bias of this layer's shapes, or a ConfigError."""
        if isinstance(weights, np.ndarray) or len(weights) != 2:
            raise ConfigError(f"set_weights: layer {where} takes [kernel, bias], got "
                              f"{len(weights) if hasattr(weights, '__len__') else weights!r} "
                              "arrays")
        shapes = ((self.input_dim, self.units), (self.units,))
        out = []
        for name, w, shape in zip(("kernel", "bias"), weights, shapes):
            try:
                arr = np.asarray(w, dtype=np.float64)
            except (TypeError, ValueError):
                raise ConfigError(f"set_weights: layer {where} {name} must be numbers") from None
            if arr.shape != shape:
                raise ConfigError(f"set_weights: layer {where} {name} must have shape {shape}, "
                                  f"got {arr.shape}")
            out.append(arr)
        return out[0], out[1]

    def config(self) -> dict[str, Any]:
        return {"units": self.units, "activation": self.activation, "input_dim": self.input_dim}

    def __repr__(self) -> str:
        return f"Dense({self.units}, activation={self.activation!r})"


def __getattr__(name: str) -> Any:
    """A Keras layer that is not here gets an error saying what is, and what to do."""
    if name.startswith("__"):
        raise AttributeError(name)
    hint = (" (reshape the data instead: X.reshape(len(X), -1))" if name in ("Flatten", "Reshape")
            else "")
    raise AttributeError(f"nn.keras.layers has no {name}: the layers are Dense and Input"
                         f"{hint}")
