"""``Neuron``, ``Layer``, ``MLP``: micrograd's networks, plus activations, inits and seeds.

Same constructors and call semantics as micrograd (hidden ReLU, linear output; an MLP
returns a ``Value`` for one output, else a list), with ``activation=``, ``init=`` and
``seed=``. A neuron is one flat ``dot`` node plus the bias: fast, and easy to read.

>>> model = MLP(2, [3, 1], seed=0)
>>> model
MLP of [Layer of [ReLUNeuron(2), ReLUNeuron(2), ReLUNeuron(2)], Layer of [LinearNeuron(3)]]
>>> y = model([1.0, -2.0])
>>> len(model.parameters()), y.data == model([1.0, -2.0]).data
(13, True)
>>> model.layers[1].neurons[0].w[2].label
'layers.1.neurons.0.w.2'
"""

from __future__ import annotations

import math
import numbers
import random
from collections.abc import Sequence
from typing import Any

from autograd import Value, dot
from autograd.engine import as_real
from autograd.errors import ConfigError, InputTypeError

from .losses import softmax
from .module import Module

__all__ = ["ACTIVATIONS", "INITS", "Layer", "MLP", "Neuron", "activate", "as_inputs", "make_rng"]

ACTIVATIONS: dict[str, Any] = {
    "relu": Value.relu, "tanh": Value.tanh, "sigmoid": Value.sigmoid,
    "leaky_relu": Value.leaky_relu, "softplus": Value.softplus, "linear": None,
}
_TITLES = {"relu": "ReLU", "tanh": "Tanh", "sigmoid": "Sigmoid", "leaky_relu": "LeakyReLU",
           "softplus": "Softplus", "linear": "Linear"}
INITS = ("uniform", "xavier", "he")


def check_name(name: Any, valid: Sequence[str], what: str, where: str) -> str:
    """``name`` if it is one of ``valid``, else a ConfigError listing the valid names."""
    if not isinstance(name, str) or name not in valid:
        raise ConfigError(f"{where}: unknown {what} {name!r}; valid: {', '.join(valid)}")
    return name


def check_count(n: Any, what: str, where: str) -> int:
    """``n`` as an int if it is a positive integer (numpy's too), else a ConfigError."""
    if isinstance(n, bool) or not isinstance(n, numbers.Integral) or n < 1:
        raise ConfigError(f"{where}: {what} must be a positive int, got {n!r}")
    return int(n)


def make_rng(seed: int | random.Random | None) -> random.Random:
    """The generator weights are drawn from: Python's global ``random`` when ``seed`` is
    None (so ``random.seed(n)`` reproduces micrograd's weights), a private one seeded
    from an int (the global state is then neither used nor changed), or the one given.
    """
    if seed is None:
        return random._inst  # the generator behind random.uniform, random.seed...
    if isinstance(seed, random.Random):
        return seed
    if isinstance(seed, int) and not isinstance(seed, bool):
        return random.Random(seed)
    raise ConfigError(f"seed must be an int, a random.Random or None, got {seed!r}")


def init_weights(rng: random.Random, init: str, nin: int, fan_out: int) -> list[float]:
    """``nin`` weights: micrograd's U(-1, 1), Glorot ("xavier") or He uniform."""
    if init == "uniform":
        limit = 1.0
    elif init == "xavier":
        limit = math.sqrt(6.0 / (nin + fan_out))
    else:
        limit = math.sqrt(6.0 / nin)
    return [rng.uniform(-limit, limit) for _ in range(nin)]


def activate(zs: list[Value], activation: str) -> list[Value]:
    """Apply an activation (a name in ACTIVATIONS, or "softmax") to a layer's pre-activations."""
    if activation == "softmax":
        return softmax(zs)
    f = ACTIVATIONS[activation]
    return zs if f is None else [f(z) for z in zs]


def as_inputs(x: Any, n: int, where: str) -> list[Value]:
    """``x`` (numbers or Values, a list, tuple or 1-D array) as ``n`` Values, checked once."""
    if isinstance(x, Value) or isinstance(x, numbers.Real):
        x = [x]
    elif isinstance(x, (str, bytes)) or not hasattr(x, "__len__"):
        raise InputTypeError(f"{where}: expects a list of {n} numbers, got {x!r}")
    if len(x) != n:
        raise ConfigError(f"{where}: expects {n} inputs, got {len(x)}")
    return [v if isinstance(v, Value) else Value(as_real(v, f"{where} input")) for v in x]


class Neuron(Module):
    """One unit: ``activation(w . x + b)``; ``nonlin=False`` (or "linear") leaves it linear."""

    def __init__(self, nin: int, nonlin: bool = True, activation: str | None = None,
                 init: str = "uniform", seed: int | random.Random | None = None,
                 fan_out: int = 1) -> None:
        check_count(nin, "nin", "Neuron")
        if activation is None:
            activation = "relu" if nonlin else "linear"
        check_name(activation, list(ACTIVATIONS), "activation", "Neuron")
        check_name(init, INITS, "init", "Neuron")
        rng = make_rng(seed)
        self.w = [Value(w) for w in init_weights(rng, init, nin, fan_out)]
        self.b = Value(0.0)
        self.activation = activation
        self.nonlin = activation != "linear"
        self._act = ACTIVATIONS[activation]

    def __call__(self, x: Any) -> Value:
        return self._forward(as_inputs(x, len(self.w), "Neuron"))

    def _forward(self, xs: list[Value]) -> Value:
        out = dot(self.w, xs) + self.b
        act = self._act
        return out if act is None else act(out)

    def config(self) -> dict[str, Any]:
        return {"nin": len(self.w), "activation": self.activation}

    def __repr__(self) -> str:
        return f"{_TITLES[self.activation]}Neuron({len(self.w)})"


class Layer(Module):
    """``nout`` neurons reading the same inputs; keyword arguments go to each ``Neuron``."""

    def __init__(self, nin: int, nout: int, **kwargs: Any) -> None:
        check_count(nout, "nout", "Layer")
        rng = make_rng(kwargs.pop("seed", None))
        self.neurons = [Neuron(nin, seed=rng, fan_out=nout, **kwargs) for _ in range(nout)]

    def __call__(self, x: Any) -> Value | list[Value]:
        out = self._forward(as_inputs(x, len(self.neurons[0].w), "Layer"))
        return out[0] if len(out) == 1 else out

    def _forward(self, xs: list[Value]) -> list[Value]:
        return [n._forward(xs) for n in self.neurons]

    def config(self) -> dict[str, Any]:
        first = self.neurons[0]
        return {"nin": len(first.w), "nout": len(self.neurons), "activation": first.activation}

    def __repr__(self) -> str:
        return f"Layer of [{', '.join(str(n) for n in self.neurons)}]"


class MLP(Module):
    """A stack of layers: ``activation`` on the hidden ones, a linear last layer."""

    def __init__(self, nin: int, nouts: Sequence[int], activation: str = "relu",
                 init: str = "uniform", seed: int | random.Random | None = None) -> None:
        check_count(nin, "nin", "MLP")
        if isinstance(nouts, (int, str)) or not nouts:
            raise ConfigError(f"MLP: nouts must be a non-empty list of layer sizes, got {nouts!r}")
        check_name(activation, list(ACTIVATIONS), "activation", "MLP")
        rng = make_rng(seed)
        sizes = [nin] + [check_count(n, "layer size", "MLP") for n in nouts]
        last = len(nouts) - 1
        self.layers = [
            Layer(sizes[i], sizes[i + 1], activation=activation if i < last else "linear",
                  init=init, seed=rng)
            for i in range(len(nouts))
        ]

    def __call__(self, x: Any) -> Value | list[Value]:
        xs = as_inputs(x, len(self.layers[0].neurons[0].w), "MLP")
        for layer in self.layers:
            xs = layer._forward(xs)
        return xs[0] if len(xs) == 1 else xs

    def config(self) -> dict[str, Any]:
        first = self.layers[0].config()
        hidden = self.layers[0].neurons[0].activation if len(self.layers) > 1 else "relu"
        return {"nin": first["nin"], "nouts": [len(layer.neurons) for layer in self.layers],
                "activation": hidden}

    def __repr__(self) -> str:
        return f"MLP of [{', '.join(str(layer) for layer in self.layers)}]"
