"""Keras' ``Sequential``: layers in order, ``compile``, ``summary``, weights as arrays and
files (training in :mod:`nn.fit`; ``load_model`` in :mod:`.loading`).

Everything it does with a layer goes through the :class:`~nn.keras.layers.Layer`
protocol, so any layer -- another ``Sequential`` too -- can be one of its entries.

>>> model = Sequential([Dense(4, activation="relu", input_shape=(2,)),
...                     Dense(1, activation="sigmoid")], seed=0)
>>> model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
>>> len(model.parameters()), model.layers[1].neurons[0].w[3].label
(17, 'layers.1.neurons.0.w.3')
>>> model.count_params(), [w.shape for w in model.get_weights()]
(17, [(2, 4), (4,), (4, 1), (1,)])
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np

from autograd import Value
from autograd.errors import ConfigError

from ..fit.compiled import check_threads
from ..fit.trainer import Trainer
from ..layers import as_inputs, check_name, make_rng
from ..optim import Optimizer
from ..tensor import Tensor, as_array
from . import losses as keras_losses
from . import metrics as keras_metrics
from .layers import DENSE_ACTIVATIONS, Dense, InputLayer, Layer
from .layers.base import Shape, as_shape, size_of
from .layers.registry import layer_class
from .optimizers import OPTIMIZERS
from .saving import load_model
from .summary import summary_text
from .weights import Weights

__all__ = ["DENSE_ACTIVATIONS", "OPTIMIZERS", "Dense", "Sequential", "load_model"]


class Sequential(Weights, Trainer, Layer):
    """Layers applied in order; ``compile``, then ``fit``/``evaluate``/``predict``.

    ``seed`` fixes the initial weights (and is the default for ``fit``'s shuffling and
    dropout masks).
    """

    def __init__(self, layers: Iterable[Layer] | None = None, seed: int | None = None,
                 name: str | None = "sequential", trainable: bool = True) -> None:
        super().__init__(name=name, trainable=trainable)
        self.layers: list[Layer] = []
        self._input: InputLayer | None = None
        self._taken: set[str] = set()  # the layers' names
        self._counts: dict[str, int] = {}  # default name -> how many layers were given it
        self._members: set[int] = set()  # ids of the layers, to refuse one added twice
        self.seed = seed
        self._rng = make_rng(seed)
        self.optimizer: Optimizer | None = None
        self._bound: list[Value] | None = None  # what compile bound the optimizer to
        self.loss: Any = None  # a Keras loss name or a keras.losses object
        self.metrics: list[str] = []
        self._metric_fns: dict[str, Any] = {}  # metrics computed by a function, by name
        self.dtype = np.dtype(np.float64)  # of compiled execution; compile(dtype=...)
        self.stop_training = False  # a callback sets it to end fit after this epoch
        self.threads: int | None = None  # BLAS threads of compiled execution (None: automatic)
        if isinstance(layers, Layer) or (layers is not None and not hasattr(layers, "__iter__")):
            raise ConfigError(f"Sequential: layers must be a list of layers, got {layers!r}")
        for layer in layers or []:
            self.add(layer)

    # -- the layers ----------------------------------------------------------------------

    def add(self, layer: Layer) -> None:
        """Append a layer (built now if its input shape is known); an ``Input`` comes first.

        Only the new layer is built and labelled: adding n layers takes time linear in n.
        """
        if isinstance(layer, InputLayer):
            if self.layers or self._input is not None:
                raise ConfigError("Sequential.add: an Input must be the first entry")
            self._input = layer
            return
        if not isinstance(layer, Layer):
            raise ConfigError(f"Sequential.add: expected a layer (Dense, Dropout, Flatten...) "
                              f"or an Input, got {layer!r}")
        if layer is self or id(layer) in self._members:
            raise ConfigError(f"Sequential.add: {layer.describe()} is already in this model")
        self._name(layer)
        shape = self._shape_for_next(layer)
        self.layers.append(layer)
        self._members.add(id(layer))
        if shape is None:
            return
        if layer.built:
            if layer.input_shape != shape:
                raise ConfigError(f"Sequential.add: {layer.describe()} was built for inputs "
                                  f"{layer.input_shape}, the previous layer gives {shape}")
        else:
            layer.build(shape, self._rng)
        self._label(len(self.layers) - 1)
        if self.optimizer is not None:  # compiled before this layer: update all of them
            self._bind()

    def _name(self, layer: Layer) -> None:
        """Give the layer Keras' default name (``dense``, ``dense_1``...) if it has none or
        its default one is taken; a name the user chose twice is refused."""
        base = layer.default_name()
        if layer.name is not None and layer.name in self._taken and layer.name != base:
            raise ConfigError(f"Sequential.add: there is already a layer named {layer.name!r}; "
                              "layer names in a model must be unique")
        if layer.name is None or layer.name in self._taken or layer.name == self.name:
            count = self._counts.get(base, 0)
            name = base if count == 0 else f"{base}_{count}"
            while name in self._taken or name == self.name:
                count += 1
                name = f"{base}_{count}"
            self._counts[base] = count + 1
            layer.name = name
        self._taken.add(layer.name)

    def _shape_for_next(self, layer: Layer) -> Shape | None:
        """The input shape of a layer appended now, if it is known."""
        if not self.layers:
            given = self._input.input_shape if self._input is not None else None
            declared = layer.declared_input_shape if not layer.built else layer.input_shape
            if given is not None and declared is not None and declared != given:
                raise ConfigError(f"Sequential.add: Input has shape {given[1:]}, "
                                  f"{layer.describe()} says input_shape={declared[1:]}")
            return given or declared
        last = self.layers[-1]
        return last.output_shape if last.built else None

    def _label(self, i: int) -> None:
        """Label layer ``i``'s parameters with their paths in this model."""
        for name, p in self.layers[i].named_parameters():
            p.label = f"layers.{i}.{name}"

    def get_layer(self, name: str | None = None, index: int | None = None) -> Layer:
        """The layer called ``name`` (or at ``index``), as in Keras."""
        if index is not None:
            try:
                return self.layers[index]
            except (IndexError, TypeError):
                raise ConfigError(f"get_layer: index {index!r} is out of range for "
                                  f"{len(self.layers)} layers") from None
        for layer in self.layers:
            if layer.name == name:
                return layer
        raise ConfigError(f"get_layer: no layer named {name!r}; the layers are "
                          f"{', '.join(repr(layer.name) for layer in self.layers) or 'none'}")

    def pop(self) -> Layer:
        """Remove the last layer and return it (Keras' ``model.pop()``)."""
        if not self.layers:
            raise ConfigError("pop: the model has no layers")
        layer = self.layers.pop()
        self._members.discard(id(layer))
        self._taken.discard(layer.name)  # type: ignore[arg-type]
        self.__dict__.pop("_runner", None)
        if self.optimizer is not None and self.built:
            self._bind()
        return layer

    # -- shapes and building -------------------------------------------------------------

    @property
    def built(self) -> bool:  # type: ignore[override]
        """True once every layer has its weights."""
        return bool(self.layers) and all(layer.built for layer in self.layers)

    @property
    def input_shape(self) -> Shape:  # type: ignore[override]
        self._width("input_shape")
        return self.layers[0].input_shape

    @property
    def output_shape(self) -> Shape:  # type: ignore[override]
        self._width("output_shape")
        return self.layers[-1].output_shape

    @property
    def declared_input_shape(self) -> Shape | None:  # type: ignore[override]
        if self._input is not None:
            return self._input.input_shape
        return self.layers[0].declared_input_shape if self.layers else self._declared

    @property
    def input_dim(self) -> int | None:
        """Numbers per sample, once known."""
        return size_of(self.layers[0].input_shape) if self.built else None

    @property
    def output_size(self) -> int:
        """Numbers per sample of the output."""
        return size_of(self.output_shape)

    def compute_output_shape(self, input_shape: Shape) -> Shape:
        for layer in self.layers:
            input_shape = layer.compute_output_shape(input_shape)
        return input_shape

    def count_params_for(self, input_shape: Shape) -> int:
        total = 0
        for layer in self.layers:
            total += layer.count_params_for(input_shape)
            input_shape = layer.compute_output_shape(input_shape)
        return total

    def build(self, input_shape: Any = None, rng: Any = None) -> None:
        """Create every layer's weights for inputs of ``input_shape`` (``(None, ...)``, a
        per-sample shape or a width)."""
        if not self.layers:
            raise ConfigError("Sequential: add a layer before building the model")
        if input_shape is None:
            input_shape = self.declared_input_shape
            if input_shape is None:
                raise ConfigError("Sequential.build: give input_shape, e.g. (None, 4)")
        shape = input_shape if isinstance(input_shape, tuple) and input_shape[:1] == (None,) \
            else as_shape(input_shape, "Sequential.build")
        rng = self._rng if rng is None else rng
        for i, layer in enumerate(self.layers):
            if not layer.built:
                layer.build(shape, rng)
            elif layer.input_shape != shape:
                raise ConfigError(f"Sequential.build: {layer.describe()} was built for inputs "
                                  f"{layer.input_shape}, the previous layer gives {shape}")
            shape = layer.output_shape
            self._label(i)
        if self.optimizer is not None and not self.optimizer.params:
            self._bind()

    def _width(self, where: str) -> int:
        if not self.built:
            raise ConfigError(f"{where}: the model is not built yet: give the first layer "
                              "input_shape=(n,) or call fit first")
        return size_of(self.layers[0].input_shape)

    # -- the computation -----------------------------------------------------------------

    @property
    def noise_size(self) -> int:  # type: ignore[override]
        return sum(layer.noise_size for layer in self.layers)

    def draw_noise(self, rng: np.random.Generator, n: int) -> np.ndarray:
        parts = [layer.draw_noise(rng, n) for layer in self.layers if layer.noise_size]
        return np.hstack(parts) if parts else np.empty((n, 0))

    @property
    def output_activation(self) -> str:  # type: ignore[override]
        return self.layers[-1].output_activation

    def _run(self, xs: list[Value], training: bool, noise: Sequence[Any] | None,
             logits: bool) -> list[Value]:
        at = 0
        last = len(self.layers) - 1
        for i, layer in enumerate(self.layers):
            k = layer.noise_size if noise is not None else 0
            mine = noise[at:at + k] if k else None
            at += k
            xs = (layer.call_logits if logits and i == last else layer.call)(xs, training, mine)
        return xs

    def call(self, inputs: list[Value], training: bool = False,
             noise: Sequence[Any] | None = None) -> list[Value]:
        return self._run(inputs, training, noise, logits=False)

    def call_logits(self, inputs: list[Value], training: bool = False,
                    noise: Sequence[Any] | None = None) -> list[Value]:
        return self._run(inputs, training, noise, logits=True)

    def __call__(self, x: Any, training: bool | None = None) -> Any:
        """A batch (an array or a Tensor of samples, as Keras calls a model): the outputs as
        a :class:`~nn.tensor.Tensor` (``.numpy()`` gives ``predict``'s array). One sample
        (a list, or an array of the input shape): its output Values, a graph to step
        through or draw."""
        rank = len(self.input_shape) if self.built else 2
        if isinstance(x, (np.ndarray, Tensor)) and np.ndim(x) >= 2 and np.ndim(x) == rank:
            if training:
                raise ConfigError("model(x, training=True) on a batch: training-only layers "
                                  "(Dropout) act inside fit; call model(x) for outputs")
            return Tensor(self.predict(as_array(x), batch_size=max(len(x), 1)))
        return self.call(as_inputs(np.ravel(x) if isinstance(x, np.ndarray) else x,
                                   self._width("predict"), "Sequential"), bool(training))

    def _logits(self, xs: list[Value]) -> list[Value]:
        """The last layer's pre-activations (losses fuse softmax/sigmoid into them)."""
        return self.call_logits(xs)

    # -- compile -------------------------------------------------------------------------

    def compile(self, optimizer: str | Optimizer | type[Optimizer] = "rmsprop",
                loss: Any = None, metrics: Sequence[Any] | None = None,
                dtype: Any = "float64", threads: int | None = None) -> None:
        """Choose the optimizer (name, class or instance), the loss (a name or a
        :mod:`nn.keras.losses` object) and the metrics (names, :mod:`nn.keras.metrics`
        objects or functions ``fn(y_true, y_pred)`` of your own).

        ``dtype`` is the precision of compiled execution: "float64" (the default) gives the
        scalar engine's numbers; "float32" trades that exact match for speed. ``threads``
        is the number of BLAS threads compiled execution uses; None (the default) picks
        one per core the load average leaves idle, at the start of each fit/evaluate/predict.
        """
        check_threads(threads, "compile")
        if isinstance(optimizer, str):
            check_name(optimizer.lower(), list(OPTIMIZERS), "optimizer", "compile")
            optimizer = OPTIMIZERS[optimizer.lower()]
        if isinstance(optimizer, type) and issubclass(optimizer, Optimizer):
            optimizer = optimizer(None)
        if not isinstance(optimizer, Optimizer):
            raise ConfigError(f"compile: optimizer must be one of {', '.join(OPTIMIZERS)}, an "
                              f"Optimizer class or instance, got {optimizer!r}")
        if optimizer.params and self.built and optimizer.params != self.trainable_weights:
            raise ConfigError("compile: the optimizer was made for other parameters; "
                              "create it with model.parameters() or with params=None")
        self.loss = keras_losses.resolve(loss, "compile")
        if self.layers:
            keras_losses.check_logits(self.loss, self.output_activation)
        # as logged: "acc" is "accuracy"; functions of the user's own under their names
        self.metrics, self._metric_fns = keras_metrics.resolve(metrics, "compile")
        if np.dtype(dtype) not in (np.float64, np.float32):
            raise ConfigError(f"compile: dtype must be float64 or float32, got {dtype!r}")
        self.dtype = np.dtype(dtype)
        self.threads = threads
        self.optimizer = optimizer
        self._bound = optimizer.params if optimizer.params else None
        if self.built and not optimizer.params:
            self._bind()

    @property
    def metrics_names(self) -> list[str]:
        """The names of ``evaluate``'s numbers, in order: "loss", then each metric's."""
        return ["loss", *self.metrics]

    # -- configuration -------------------------------------------------------------------

    def config(self) -> dict[str, Any]:
        """What fixes the computation: each layer's class and settings, in order."""
        return {"layers": [{"class": type(layer).__name__, "config": layer.config()}
                           for layer in self.layers]}

    def get_config(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name, "trainable": self.trainable,
                               "layers": [{"class_name": type(layer).__name__,
                                           "config": layer.get_config()}
                                          for layer in self.layers]}
        shape = self.declared_input_shape
        if self.built:
            shape = self.input_shape
        if shape is not None:
            out["input_shape"] = list(shape[1:])
        return out

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> Sequential:
        """The model ``get_config`` describes, built if it names its input shape."""
        if not isinstance(config, dict) or not isinstance(config.get("layers"), list):
            raise ConfigError("Sequential.from_config: expected a dict with a 'layers' list")
        model = cls(name=config.get("name", "sequential"), trainable=config.get("trainable", True))
        for i, entry in enumerate(config["layers"]):
            if not isinstance(entry, dict) or not isinstance(entry.get("config"), dict):
                raise ConfigError(f"Sequential.from_config: layer {i} is not "
                                  "{'class_name': ..., 'config': {...}}")
            kind = layer_class(entry.get("class_name"), f"Sequential.from_config layer {i}")
            model.add(kind.from_config(dict(entry["config"])))
        if config.get("input_shape") is not None and model.layers and not model.built:
            model.build(tuple(config["input_shape"]))
        return model

    # -- what people print ----------------------------------------------------------------

    def summary(self, line_length: int | None = None, positions: Any = None,
                print_fn: Any = None, **kwargs: Any) -> None:
        """Print Keras' table of layers, output shapes and parameter counts (returns None).

        ``print_fn`` receives the text instead of ``print`` (as Keras, one call per line).
        """
        self._width("summary")
        for line in summary_text(self).splitlines():
            (print_fn or print)(line)

    def predict_classes(self, x: Any, batch_size: int | None = None,
                        verbose: int | str = 0) -> np.ndarray:
        """Keras 2's class ids: the argmax of ``predict`` (one unit: ``> 0.5``)."""
        warnings.warn("predict_classes is deprecated (removed in Keras 2.6): use "
                      "np.argmax(model.predict(x), axis=-1), or (model.predict(x) > 0.5)"
                      ".astype('int32') for one sigmoid unit", DeprecationWarning, stacklevel=2)
        out = self.predict(x, batch_size=batch_size, verbose=verbose)
        if out.shape[-1] == 1:
            return (out > 0.5).astype("int32")
        return out.argmax(axis=-1)

    def __repr__(self) -> str:
        return f"Sequential([{', '.join(repr(layer) for layer in self.layers)}])"
