"""Keras' models: ``Sequential`` (``compile``, ``summary``, weights as arrays, ``save``)
and ``load_model`` (training in :mod:`nn.fit`), so the classic Keras recipes run with
only their import lines changed.

>>> model = Sequential([Dense(4, activation="relu", input_shape=(2,)),
...                     Dense(1, activation="sigmoid")], seed=0)
>>> model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
>>> len(model.parameters()), model.layers[1].neurons[0].w[3].label
(17, 'layers.1.neurons.0.w.3')
>>> model.count_params(), [w.shape for w in model.get_weights()]
(17, [(2, 4), (4,), (4, 1), (1,)])
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np

from autograd import Value
from autograd.errors import AutogradError, ConfigError, ModelFileError

from ..fit.compiled import check_threads
from ..fit.trainer import Trainer
from ..layers import Neuron, as_inputs, check_name, make_rng
from ..module import Module
from ..optim import SGD, Adam, AdamW, Optimizer, RMSprop
from ..serialize import read_model_file
from ..tensor import Tensor, as_array
from . import losses as keras_losses
from . import metrics as keras_metrics
from .layers import DENSE_ACTIVATIONS, Dense, InputLayer
from .saving import check_path, make_optimizer
from .weights import Weights

__all__ = ["DENSE_ACTIVATIONS", "OPTIMIZERS", "Dense", "Sequential", "load_model"]

OPTIMIZERS: dict[str, type[Optimizer]] = {"sgd": SGD, "adam": Adam, "rmsprop": RMSprop,
                                          "adamw": AdamW}


# The public attributes the constructors set. A model whose modules have no others holds
# no parameters but its neurons' w and b, so they can be listed without Module's generic
# attribute walk (10x faster at 400k parameters; compiled calls need the list each time).
_ATTRS = {"Sequential": frozenset({"layers", "name", "seed", "optimizer", "loss", "metrics",
                                   "dtype", "history", "stop_training", "threads"}),
          "Dense": frozenset({"units", "activation", "input_dim", "name", "neurons"}),
          "Neuron": frozenset({"w", "b", "activation", "nonlin"})}


def _plain(obj: Any, cls: type) -> bool:
    """``obj`` is exactly a ``cls`` with only the attributes its constructor sets."""
    names = _ATTRS[cls.__name__]
    return type(obj) is cls and all(k.startswith("_") or k in names for k in vars(obj))


class Sequential(Weights, Trainer, Module):
    """Layers applied in order; ``compile``, then ``fit``/``evaluate``/``predict``.

    ``seed`` fixes the initial weights (and is the default for ``fit``'s shuffling).
    """

    def __init__(self, layers: Iterable[Dense | InputLayer] | None = None,
                 seed: int | None = None, name: str = "sequential") -> None:
        self.layers: list[Dense] = []
        self._input: InputLayer | None = None
        self.name = name
        self.seed = seed
        self._rng = make_rng(seed)
        self.optimizer: Optimizer | None = None
        self.loss: Any = None  # a Keras loss name or a keras.losses object
        self.metrics: list[str] = []
        self._metric_fns: dict[str, Any] = {}  # metrics computed by a function, by name
        self.dtype = np.dtype(np.float64)  # of compiled execution; compile(dtype=...)
        self.stop_training = False  # a callback sets it to end fit after this epoch
        self.threads: int | None = None  # BLAS threads of compiled execution (None: automatic)
        for layer in layers or []:
            self.add(layer)

    def parameters(self) -> list[Value]:
        """Every weight and bias, in ``Module.parameters()`` order; listed directly when the
        model holds only the plain layers built here (compiled training asks every step)."""
        if not (_plain(self, Sequential) and all(
                _plain(layer, Dense) and all(_plain(n, Neuron) for n in layer.neurons)
                for layer in self.layers)):
            return super().parameters()
        out: list[Value] = []
        for layer in self.layers:
            for n in layer.neurons:
                out += n.w
                out.append(n.b)
        return out

    def add(self, layer: Dense | InputLayer) -> None:
        """Append a layer (built now if its input width is known); an ``Input`` comes first."""
        if isinstance(layer, InputLayer):
            if self.layers or self._input is not None:
                raise ConfigError("Sequential.add: an Input must be the first entry")
            self._input = layer
            return
        if not isinstance(layer, Dense):
            raise ConfigError(f"Sequential.add: expected a Dense layer or an Input, got {layer!r}")
        if not self.layers and self._input is not None:
            if layer.input_dim not in (None, self._input.input_dim):
                raise ConfigError(f"Sequential.add: Input has {self._input.input_dim} features, "
                                  f"the first layer's input_shape says {layer.input_dim}")
            layer.input_dim = self._input.input_dim
        if layer.name is None:
            layer.name = "dense" if not self.layers else f"dense_{len(self.layers)}"
        self.layers.append(layer)
        if len(self.layers) == 1 and layer.input_dim is not None:
            self.build(layer.input_dim)
        elif len(self.layers) > 1 and self.layers[-2].built:
            layer.build(self.layers[-2].units, self._rng)
            self.label_parameters()
            if self.optimizer is not None:  # compiled before this layer: update all of them
                self.optimizer.bind(self.parameters())

    @property
    def built(self) -> bool:
        """True once every layer has its weights."""
        return bool(self.layers) and all(layer.built for layer in self.layers)

    @property
    def input_dim(self) -> int | None:
        """Features per sample, once known."""
        return self.layers[0].input_dim if self.layers else None

    def build(self, nin: int) -> None:
        """Create every layer's weights for inputs of width ``nin``."""
        if not self.layers:
            raise ConfigError("Sequential: add a layer before building the model")
        for layer in self.layers:
            if not layer.built:
                layer.build(nin, self._rng)
            nin = layer.units
        self.label_parameters()
        if self.optimizer is not None and not self.optimizer.params:
            self.optimizer.bind(self.parameters())

    def __call__(self, x: Any, training: bool | None = None) -> Any:
        """A batch (a 2-D array or a Tensor, as Keras calls a model): the outputs as a
        :class:`~nn.tensor.Tensor` (``.numpy()`` gives ``predict``'s array). One sample
        (a list or a 1-D array): its output Values, a graph to step through or draw."""
        if isinstance(x, (np.ndarray, Tensor)) and np.ndim(x) >= 2:
            return Tensor(self.predict(as_array(x), batch_size=max(len(x), 1)))
        xs = as_inputs(x, self._width("predict"), "Sequential")
        for layer in self.layers:
            xs = layer._forward(xs)
        return xs

    def _logits(self, xs: list[Value]) -> list[Value]:
        """The last layer's pre-activations (losses fuse softmax/sigmoid into them)."""
        for layer in self.layers[:-1]:
            xs = layer._forward(xs)
        return self.layers[-1]._logits(xs)

    def _width(self, where: str) -> int:
        if not self.built:
            raise ConfigError(f"{where}: the model is not built yet: give the first layer "
                              "input_shape=(n,) or call fit first")
        return self.layers[0].input_dim  # type: ignore[return-value]

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
        if optimizer.params and self.built and optimizer.params != self.parameters():
            raise ConfigError("compile: the optimizer was made for other parameters; "
                              "create it with model.parameters() or with params=None")
        self.loss = keras_losses.get(loss, "compile")
        # as logged: "acc" is "accuracy"; functions of the user's own under their names
        self.metrics, self._metric_fns = keras_metrics.resolve(metrics, "compile")
        if np.dtype(dtype) not in (np.float64, np.float32):
            raise ConfigError(f"compile: dtype must be float64 or float32, got {dtype!r}")
        self.dtype = np.dtype(dtype)
        self.threads = threads
        self.optimizer = optimizer
        if self.built and not optimizer.params:
            optimizer.bind(self.parameters())

    def config(self) -> dict[str, Any]:
        return {"layers": [layer.config() for layer in self.layers]}

    def summary(self, print_fn: Any = print) -> str:
        """A Keras-like table of layers, output shapes and parameter counts; printed, returned."""
        self._width("summary")
        rule, line = "_" * 65, "=" * 65
        rows = [f'Model: "{self.name}"', rule,
                f" {'Layer (type)':<28}{'Output Shape':<26}Param #", line]
        for layer in self.layers:
            rows.append(f" {layer.name + ' (Dense)':<28}{f'(None, {layer.units})':<26}"
                        f"{layer.count_params()}")
        total = len(self.parameters())
        rows += [line, f"Total params: {total:,}", f"Trainable params: {total:,}",
                 "Non-trainable params: 0", rule]
        text = "\n".join(rows)
        if print_fn is not None:
            print_fn(text)
        return text

    def __repr__(self) -> str:
        return f"Sequential([{', '.join(repr(layer) for layer in self.layers)}])"


def load_model(filepath: str | os.PathLike[str], compile: bool = True) -> Any:
    """The ``Sequential`` saved in ``filepath`` by ``model.save``, compiled as it was.

    A file that is not such a model raises ``ModelFileError`` saying why.
    """
    where = f"load_model({os.fspath(filepath)!r})"
    arch = read_model_file(check_path(filepath, "load_model"))["architecture"]
    if arch.get("class") != "Sequential":
        raise ModelFileError(f"{where}: the file holds a {arch.get('class')!r}, not a "
                             "Sequential (load other modules with Module.load)")
    layers = arch.get("config", {}).get("layers") if isinstance(arch.get("config"), dict) else None
    if not isinstance(layers, list) or not layers or \
            not all(isinstance(c, dict) and set(c) == {"units", "activation", "input_dim"}
                    for c in layers):
        raise ModelFileError(f"{where}: the architecture has no valid list of Dense layers")
    try:
        model = Sequential([Dense(c["units"], c["activation"], input_dim=c["input_dim"])
                            for c in layers])
        settings = arch.get("compile")
        if compile and isinstance(settings, dict):
            model.compile(optimizer=make_optimizer(settings.get("optimizer"), where),
                          loss=settings.get("loss"), metrics=settings.get("metrics"),
                          dtype=settings.get("dtype", "float64"))
    except ModelFileError:
        raise
    except (TypeError, AutogradError) as e:
        raise ModelFileError(f"{where}: {e}") from None
    if not model.built:
        raise ModelFileError(f"{where}: the first layer has no input width")
    model.load(filepath)
    return model
