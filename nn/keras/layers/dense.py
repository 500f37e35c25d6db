"""``Dense``: a fully connected layer, ``activation(x W + b)``, on flat inputs.

A list of linear ``Neuron``s (Glorot-uniform weights, zero bias) followed by its
activation, so parameters keep the paths ``layers.<i>.neurons.<j>.w.<k>``. Its weights
read and write as Keras' arrays: the kernel ``(inputs, units)``, the bias ``(units,)``.

>>> layer = Dense(3, activation="relu", input_shape=(2,), seed=0)
>>> layer.build((None, 2))
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

from ...layers import ACTIVATIONS, Neuron, activate, check_count, check_name, make_rng
from ...module import Module
from .base import Layer, Shape
from .initializers import INITIALIZERS, draw

__all__ = ["DENSE_ACTIVATIONS", "Dense", "activation_name", "flat_width"]

DENSE_ACTIVATIONS = [*ACTIVATIONS, "softmax"]
# The public attributes the constructors set: with no others, the parameters are exactly
# the neurons' w and b
_ATTRS = frozenset({"units", "activation", "name", "neurons", "kernel_initializer"})
_NEURON = frozenset({"w", "b", "activation", "nonlin"})


def _plain(obj: Any, names: frozenset[str]) -> bool:
    return all(k.startswith("_") or k in names for k in vars(obj))
_NEURON_INITS = {"glorot_uniform": "xavier", "he_uniform": "he"}  # Neuron draws these itself
_UNSUPPORTED = ("kernel_regularizer", "bias_regularizer", "activity_regularizer",
                "kernel_constraint", "bias_constraint")


def activation_name(activation: Any, where: str) -> str:
    """A Dense activation by name; ``tf.nn.relu`` and the like (functions named as one of
    them, as older tutorials pass) are taken by their name."""
    if callable(activation) and getattr(activation, "__name__", None) in DENSE_ACTIVATIONS:
        activation = activation.__name__
    return check_name(activation or "linear", DENSE_ACTIVATIONS, "activation", where)


def flat_width(shape: Shape, where: str) -> int:
    """The width of a flat ``(None, n)`` shape, or an error that says to flatten first."""
    if len(shape) != 2:
        raise ConfigError(f"{where}: expects flat inputs (None, n), got {shape}; put "
                          "Flatten() before it")
    return shape[1]


class Dense(Layer):
    """A fully connected layer: ``activation(W x + b)``, built once its input width is known."""

    _config_keys = ("units", "activation")
    _weight_names = ("kernel", "bias")

    def __init__(self, units: int, activation: Any = None,
                 seed: int | random.Random | None = None,
                 kernel_initializer: str = "glorot_uniform", use_bias: bool = True,
                 bias_initializer: str = "zeros", **kwargs: Any) -> None:
        for key in _UNSUPPORTED:  # Keras' options that would change the arithmetic
            if kwargs.pop(key, None) is not None:
                raise ConfigError(f"Dense: {key} is not supported (leave it None)")
        super().__init__(**kwargs)
        self.units = check_count(units, "units", "Dense")
        self.activation = activation_name(activation, "Dense")
        if use_bias is not True:
            raise ConfigError("Dense: use_bias=False is not supported (every unit has a bias)")
        if bias_initializer != "zeros":
            raise ConfigError(f"Dense: bias_initializer must be 'zeros', got "
                              f"{bias_initializer!r}")
        if self._declared is not None:
            flat_width(self._declared, f"Dense({self.units})")
        self.neurons: list[Neuron] = []
        self._seed = seed
        self.kernel_initializer = check_name(kernel_initializer, list(INITIALIZERS),
                                             "kernel_initializer", "Dense")

    @property
    def output_activation(self) -> str:  # type: ignore[override]
        return self.activation

    @property
    def input_dim(self) -> int | None:
        """Features per sample, once known (from ``input_shape=`` or the previous layer)."""
        shape = self._input_shape or self._declared
        return None if shape is None else shape[1]

    def compute_output_shape(self, input_shape: Shape) -> Shape:
        flat_width(input_shape, self.describe())
        return (None, self.units)

    def count_params_for(self, input_shape: Shape) -> int:
        return self.units * (flat_width(input_shape, self.describe()) + 1)

    def build(self, input_shape: Any, rng: random.Random | None = None) -> None:
        """Create ``units`` neurons of Glorot-uniform weights and zero bias."""
        super().build(input_shape)
        nin = self.input_shape[1]
        rng = make_rng(self._seed) if self._seed is not None or rng is None else rng
        init = _NEURON_INITS.get(self.kernel_initializer)
        self.neurons = [Neuron(nin, activation="linear", init=init or "uniform", seed=rng,
                               fan_out=self.units) for _ in range(self.units)]
        if init is None:  # Keras' other initializers: drawn here, from the same generator
            for n in self.neurons:
                for p, x in zip(n.w, draw(self.kernel_initializer, rng, nin, self.units)):
                    p.data = x

    @property
    def weights(self) -> list[Value]:
        """The neurons' weights and biases, listed directly (compiled training asks every
        call) unless someone added attributes the walk of ``Module.parameters`` would find."""
        if not _plain(self, _ATTRS) or not all(type(n) is Neuron and _plain(n, _NEURON)
                                               for n in self.neurons):
            return Module.parameters(self)
        out: list[Value] = []
        for n in self.neurons:
            out += n.w
            out.append(n.b)
        return out

    def call_logits(self, inputs: list[Value], training: bool = False,
                    noise: Sequence[Any] | None = None) -> list[Value]:
        return [n._forward(inputs) for n in self.neurons]

    def call(self, inputs: list[Value], training: bool = False,
             noise: Sequence[Any] | None = None) -> list[Value]:
        return activate(self.call_logits(inputs), self.activation)

    # -- Keras' weight arrays ----------------------------------------------------------

    def weight_shapes(self) -> list[tuple[int, ...]]:
        self._need_built("weight_shapes")
        return [(self.input_shape[1], self.units), (self.units,)]

    def get_weights(self) -> list[np.ndarray]:
        """``[kernel, bias]``: the kernel ``(inputs, units)``, the bias ``(units,)``."""
        self._need_built("get_weights")
        kernel = np.array([[p.data for p in n.w] for n in self.neurons]).T
        return [kernel, np.array([n.b.data for n in self.neurons])]

    def _assign(self, arrays: list[np.ndarray]) -> None:
        kernel, bias = arrays
        for j, n in enumerate(self.neurons):
            for p, x in zip(n.w, kernel[:, j].tolist()):
                p.data = x
            n.b.data = float(bias[j])

    def get_config(self) -> dict[str, Any]:
        out = super().get_config()
        if self.kernel_initializer != "glorot_uniform":
            out["kernel_initializer"] = self.kernel_initializer
        return out

    def __repr__(self) -> str:
        return f"Dense({self.units}, activation={self.activation!r})"

