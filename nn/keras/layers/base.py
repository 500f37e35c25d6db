"""``Layer``: the protocol every Keras layer follows, so a model needs no layer kind.

A layer is built once its input shape is known (``build(input_shape)``, shapes with
Keras' leading ``None`` for the batch), then ``call(inputs, training, noise)`` maps one
sample -- a flat list of ``Value``s in row-major order of the input shape -- to the
next. What a model, its files and its summary need is asked of the layer: ``weights``
(its parameters), ``get_weights``/``set_weights`` (numpy arrays), ``count_params``,
``compute_output_shape``, ``get_config``/``from_config``, ``trainable``, ``name``.
A layer that draws random numbers in training (``Dropout``) says how many per sample
(``noise_size``) and how to draw them (``draw_noise``): the trainer's engine draws them
and passes them in, so a compiled program never holds a random number of its own.
Subclasses register themselves by class name (:mod:`.registry`).

>>> from nn.keras.layers import Dense
>>> layer = Dense(3, activation="relu", seed=0)
>>> layer.build((None, 2))
>>> layer.output_shape, [w.shape for w in layer.get_weights()], layer.count_params()
((None, 3), [(2, 3), (3,)], 9)
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from typing import Any

import numpy as np

from autograd import Value
from autograd.errors import ConfigError

from ...layers import as_inputs, check_count
from ...module import Module
from .registry import register

__all__ = ["Layer", "Shape", "as_shape", "size_of"]

Shape = tuple[Any, ...]  # Keras' shape: (None, d1, d2, ...), None for the batch


def as_shape(shape: Any, where: str) -> Shape:
    """A per-sample shape (``(n,)``, ``(28, 28)`` or a bare int) as Keras' ``(None, ...)``."""
    dims = (shape,) if isinstance(shape, int) and not isinstance(shape, bool) else shape
    try:
        dims = tuple(dims)
    except TypeError:
        raise ConfigError(f"{where}: input_shape must be a tuple of ints such as (4,), "
                          f"got {shape!r}") from None
    if not dims:
        raise ConfigError(f"{where}: input_shape must have at least one dimension, got ()")
    return (None, *(check_count(d, "each input_shape dimension", where) for d in dims))


def size_of(shape: Shape) -> int:
    """Numbers per sample of a ``(None, ...)`` shape."""
    return math.prod(shape[1:])


def _snake(name: str) -> str:
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name).lower()


class Layer(Module):
    """Base class of Keras' layers: shapes, weights, config and the call on one sample.

    Subclasses give ``call`` (and, if they hold weights, ``build`` and ``weight_shapes``);
    everything else has a default that works for a layer without weights.
    """

    output_activation = "linear"  # what a loss may fuse into the output (softmax, sigmoid)
    _config_keys: tuple[str, ...] = ()  # constructor arguments that fix the computation
    _weight_names: tuple[str, ...] = ()  # what get_weights' arrays are, for messages

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        register(cls)

    def __init__(self, *, name: str | None = None, trainable: bool = True,
                 input_shape: Any = None, input_dim: int | None = None,
                 batch_input_shape: Any = None, dtype: Any = None, **unknown: Any) -> None:
        kind = type(self).__name__
        if unknown:
            raise ConfigError(f"{kind}: unknown argument(s) {', '.join(sorted(unknown))}")
        if name is not None and (not isinstance(name, str) or not name):
            raise ConfigError(f"{kind}: name must be a non-empty str, got {name!r}")
        if dtype not in (None, "float32", "float64"):
            raise ConfigError(f"{kind}: dtype must be 'float32' or 'float64' (the model's "
                              f"compile(dtype=) sets it), got {dtype!r}")
        if batch_input_shape is not None:
            input_shape = tuple(batch_input_shape)[1:]
        if input_dim is not None:
            input_shape = (check_count(input_dim, "input_dim", kind),)
        self.name = name
        self._trainable = bool(trainable)
        self._declared = None if input_shape is None else as_shape(input_shape, kind)
        self._input_shape: Shape | None = None
        self._output_shape: Shape | None = None

    # -- shapes ------------------------------------------------------------------------

    @property
    def built(self) -> bool:
        """True once ``build`` has run (its input shape is known)."""
        return self._input_shape is not None

    @property
    def declared_input_shape(self) -> Shape | None:
        """The ``input_shape=`` given to the constructor, as ``(None, ...)``."""
        return self._declared

    @property
    def input_shape(self) -> Shape:
        """``(None, ...)``: the shape of the layer's input batch."""
        return self._need_built("input_shape", self._input_shape)

    @property
    def output_shape(self) -> Shape:
        """``(None, ...)``: the shape of the layer's output batch."""
        return self._need_built("output_shape", self._output_shape)

    def compute_output_shape(self, input_shape: Shape) -> Shape:
        """The output shape for an input shape (default: the same)."""
        return tuple(input_shape)

    def build(self, input_shape: Any, rng: Any = None) -> None:
        """Create the weights for inputs of ``input_shape`` (``(None, ...)``); ``rng`` is
        the model's generator, used by layers that draw initial weights without a seed."""
        shape = input_shape if isinstance(input_shape, tuple) and input_shape[:1] == (None,) \
            else as_shape(input_shape, self.describe())
        if self._declared is not None and self._declared != shape:
            raise ConfigError(f"{self.describe()}: input_shape says {self._declared[1:]}, "
                              f"the previous layer gives {shape[1:]}")
        self._output_shape = self.compute_output_shape(shape)
        self._input_shape = shape

    def _need_built(self, where: str, value: Any = True) -> Any:
        if not self.built:
            raise ConfigError(f"{where}: {self.describe()} is not built yet (give the model "
                              "input_shape=(...) or call fit first)")
        return value

    def describe(self) -> str:
        """``'dense_1' (Dense)``, or the repr before the layer has a name: for messages."""
        return f"layer {self.name!r} ({type(self).__name__})" if self.name else repr(self)

    # -- the computation ---------------------------------------------------------------

    @property
    def noise_size(self) -> int:
        """Random numbers per sample the layer uses in training (0: none)."""
        return 0

    def draw_noise(self, rng: np.random.Generator, n: int) -> np.ndarray:
        """``(n, noise_size)`` random numbers for ``n`` samples of one training batch."""
        return np.empty((n, 0))

    def call(self, inputs: list[Value], training: bool = False,
             noise: Sequence[Any] | None = None) -> list[Value]:
        """One sample's outputs from its inputs (flat lists of Values)."""
        raise NotImplementedError(f"{type(self).__name__} must define call(inputs, training)")

    def call_logits(self, inputs: list[Value], training: bool = False,
                    noise: Sequence[Any] | None = None) -> list[Value]:
        """The outputs before ``output_activation`` (losses fuse it in; default: ``call``)."""
        return self.call(inputs, training, noise)

    def __call__(self, x: Any, training: bool = False) -> list[Value]:
        """The layer on one sample: numbers or Values, flat, as many as the input shape
        (a layer not built yet is built for a flat row of ``len(x)``, as Keras builds on
        the first call)."""
        if not self.built and hasattr(x, "__len__") and not isinstance(x, (str, bytes)):
            self.build((None, len(x)) if self._declared is None else self._declared)
        self._need_built("call")
        return self.call(as_inputs(x, size_of(self.input_shape), self.describe()), training)

    # -- weights -----------------------------------------------------------------------

    @property
    def trainable(self) -> bool:
        """False freezes the weights: ``fit`` does not change them."""
        return self._trainable

    @trainable.setter
    def trainable(self, value: bool) -> None:
        self._trainable = bool(value)

    @property
    def weights(self) -> list[Value]:
        """Every parameter of the layer, in ``named_parameters`` order."""
        return Module.parameters(self)

    def parameters(self) -> list[Value]:
        return self.weights

    @property
    def trainable_weights(self) -> list[Value]:
        return self.weights if self.trainable else []

    @property
    def non_trainable_weights(self) -> list[Value]:
        return [] if self.trainable else self.weights

    def weight_shapes(self) -> list[tuple[int, ...]]:
        """The shapes of ``get_weights()``' arrays (default: none)."""
        return []

    def count_params_for(self, input_shape: Shape) -> int:
        """How many parameters ``build(input_shape)`` would create (without creating them)."""
        return 0

    def count_params(self) -> int:
        """How many parameters the layer holds."""
        self._need_built("count_params")
        return sum(math.prod(s) for s in self.weight_shapes())

    def get_weights(self) -> list[np.ndarray]:
        """The weights as numpy arrays of ``weight_shapes()``."""
        self._need_built("get_weights")
        return []

    def check_weights(self, weights: Sequence[Any], where: str = "set_weights") -> list[np.ndarray]:
        """``weights`` as float arrays of this layer's shapes, or a ConfigError naming them."""
        shapes = self.weight_shapes()
        if isinstance(weights, np.ndarray) or not hasattr(weights, "__len__") \
                or len(weights) != len(shapes):
            got = len(weights) if hasattr(weights, "__len__") else weights
            raise ConfigError(f"{where}: {self.describe()} takes {len(shapes)} arrays of "
                              f"shapes {shapes}, got {got!r}")
        out = []
        for i, (w, shape) in enumerate(zip(weights, shapes)):
            what = f"layer {self.name or type(self).__name__} " + (
                self._weight_names[i] if i < len(self._weight_names) else f"array {i}")
            try:
                arr = np.asarray(w, dtype=np.float64)
            except (TypeError, ValueError):
                raise ConfigError(f"{where}: {what} must be numbers") from None
            if arr.shape != shape:
                raise ConfigError(f"{where}: {what} must have shape {shape}, got {arr.shape}")
            out.append(arr)
        return out

    def set_weights(self, weights: Sequence[Any]) -> None:
        """Set the weights from arrays as ``get_weights`` gives them; checked first."""
        self._need_built("set_weights")
        self._assign(self.check_weights(weights))

    def _assign(self, arrays: list[np.ndarray]) -> None:
        """Write checked arrays into the parameters (layers with weights override this)."""

    # -- configuration -----------------------------------------------------------------

    def config(self) -> dict[str, Any]:
        """The settings that fix the computation (what two models must share to swap weights)."""
        return {key: getattr(self, key) for key in self._config_keys}

    def get_config(self) -> dict[str, Any]:
        """Keras' config: name, trainable and the constructor settings (JSON-ready)."""
        out: dict[str, Any] = {"name": self.name, "trainable": self.trainable, **self.config()}
        if self._declared is not None:
            out["input_shape"] = list(self._declared[1:])
        return out

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> Layer:
        """The layer ``get_config`` describes (not built: a model builds it)."""
        return cls(**config)

    def default_name(self) -> str:
        """The name a model gives the layer when it has none: ``dense``, ``dropout``..."""
        return _snake(type(self).__name__)

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.config().items())
        return f"{type(self).__name__}({args})"
