"""Keras' ``load_model`` and what ``save`` shares with it: the file name check and the
optimizer read back from a file.

The file holds the architecture, the compile settings and every weight; loading it runs
no code. A file is checked before anything is built: the architecture it declares
(read from the file's head, before the weights) must fit a budget of layers and
parameters, the file's size must suit that architecture, and its weights must be as many
as the architecture has. Keras' binary formats (``.keras``, ``.h5``) are refused by name,
with the fix, rather than written as JSON under a name that promises something else.
"""

from __future__ import annotations

import os
import warnings
from typing import Any

from autograd.errors import AutogradError, ModelFileError

from ..optim import Optimizer
from ..serialize import file_limit, read_model_file, read_model_head, short
from .layers.base import Shape, as_shape
from .layers.registry import layer_class
from .optimizers import optimizer_classes

__all__ = ["MAX_LAYERS", "MAX_PARAMS", "check_path", "load_model", "make_optimizer"]

_BINARY = (".keras", ".h5", ".hdf5")
MAX_PARAMS = 5_000_000  # Values: about 1 GB of memory on the scalar engine
MAX_LAYERS = 100_000
_PATH_BYTES = 48  # a parameter's path and number on its line of the file, generously


def check_path(path: str | bytes | os.PathLike[Any], where: str) -> str | os.PathLike[str]:
    """``path`` (a bytes path decoded as ``open`` would), unless its name promises one of
    Keras' binary formats."""
    if isinstance(path, bytes):
        path = os.fsdecode(path)
    name = os.fspath(path)
    if not isinstance(name, str):
        raise ModelFileError(f"{where}: the path must be a str, bytes or os.PathLike, "
                             f"got {path!r}")
    if name.lower().endswith(_BINARY):
        stem = name[: name.rfind(".")]
        raise ModelFileError(f"{where}: {name!r} names Keras' binary format; nn writes models "
                             f"as JSON: use a .json name such as {stem + '.json'!r}")
    return path  # type: ignore[return-value]


def make_optimizer(config: Any, where: str) -> Optimizer:
    """An optimizer from ``Optimizer.get_config()``'s output (known classes only)."""
    table = optimizer_classes()
    if not isinstance(config, dict) or config.get("class") not in table \
            or not isinstance(config.get("config"), dict):
        raise ModelFileError(f"{where}: unknown optimizer {short(config)}; known: "
                             f"{', '.join(table)}")
    cls = table[config["class"]]
    try:
        with warnings.catch_warnings():  # a Keras 2 spelling was warned about when it was made
            warnings.simplefilter("ignore", DeprecationWarning)
            return cls(**config["config"])
    except (TypeError, AutogradError) as e:
        raise ModelFileError(f"{where}: bad settings for {config['class']}: {e}") from None


# -- the architecture, checked before anything is built -------------------------------------


def keras_config(arch: dict[str, Any], where: str) -> dict[str, Any]:
    """The Sequential's Keras config in a model file (files of only Dense layers written
    before layers had classes are read too)."""
    if arch.get("class") != "Sequential":
        raise ModelFileError(f"{where}: the file holds a {short(arch.get('class'))}, not a "
                             "Sequential (load other modules with Module.load)")
    config = arch.get("keras_config")
    if isinstance(config, dict):
        return config
    old = arch.get("config", {}).get("layers") if isinstance(arch.get("config"), dict) else None
    if not isinstance(old, list) or not old or \
            not all(isinstance(c, dict) and set(c) == {"units", "activation", "input_dim"}
                    for c in old):
        raise ModelFileError(f"{where}: the architecture has no valid list of layers")
    return {"name": "sequential", "input_shape": [old[0]["input_dim"]],
            "layers": [{"class_name": "Dense",
                        "config": {"units": c["units"], "activation": c["activation"]}}
                       for c in old]}


class _Plan:
    """What an architecture would build: its layers and parameters, counted, not made."""

    def __init__(self, where: str, max_params: int, max_layers: int) -> None:
        self.where, self.max_params, self.max_layers = where, max_params, max_layers
        self.layers = self.params = 0

    def walk(self, config: Any, shape: Shape | None, path: str) -> Shape | None:
        """Count a Sequential config's layers and parameters; returns its output shape."""
        entries = config.get("layers") if isinstance(config, dict) else None
        if not isinstance(entries, list):
            raise ModelFileError(f"{self.where}: {path} has no list of layers")
        if config.get("input_shape") is not None:
            shape = self.shape(config["input_shape"], path)
        for i, entry in enumerate(entries):
            here = f"{path}layer {i}"
            self.layers += 1
            if self.layers > self.max_layers:
                raise ModelFileError(f"{self.where}: the architecture declares more than "
                                     f"{self.max_layers:,} layers")
            if not isinstance(entry, dict) or not isinstance(entry.get("config"), dict):
                raise ModelFileError(f"{self.where}: {here} is not "
                                     "{'class_name': ..., 'config': {...}}")
            cfg = entry["config"]
            if entry.get("class_name") == "Sequential":
                shape = self.walk(cfg, shape, f"{here} (Sequential): ")
                continue
            try:
                layer = layer_class(entry.get("class_name"), here).from_config(dict(cfg))
            except (TypeError, ValueError, AutogradError) as e:
                raise ModelFileError(f"{self.where}: {here} ({short(entry.get('class_name'))}): "
                                     f"{e}") from None
            if shape is None and layer.declared_input_shape is not None:
                shape = layer.declared_input_shape
            if shape is None:
                raise ModelFileError(f"{self.where}: {here} has no input shape")
            try:
                self.params += layer.count_params_for(shape)
                shape = layer.compute_output_shape(shape)
            except (ValueError, AutogradError) as e:
                raise ModelFileError(f"{self.where}: {here}: {e}") from None
            if self.params > self.max_params:
                raise ModelFileError(
                    f"{self.where}: the architecture declares {count_text(self.params)} "
                    f"parameters or more (by {cut(layer.describe())} on inputs "
                    f"{cut(shape_text(shape))}), beyond the budget of {self.max_params:,}; "
                    "pass max_params= to load a model this large")
        return shape

    def shape(self, dims: Any, where: str) -> Shape:
        if not isinstance(dims, list) or len(dims) > 8:
            raise ModelFileError(f"{self.where}: {where}input_shape must be a short list of "
                                 f"ints, got {short(dims)}")
        try:
            return as_shape(dims, self.where)
        except AutogradError as e:
            raise ModelFileError(str(e)) from None


def shape_text(shape: Shape | None) -> str:
    return "?" if shape is None else str(shape)


def cut(text: str, limit: int = 60) -> str:
    """``text`` cut to ``limit`` characters, for messages about hostile content."""
    return text if len(text) <= limit else text[:limit - 3] + "..."


def count_text(n: int) -> str:
    """``1,234`` for a count a person reads; ``about 10^300`` for one beyond reason."""
    return f"{n:,}" if n < 10**18 else f"about 10^{len(str(n)) - 1}"


def load_model(filepath: str | bytes | os.PathLike[str], compile: bool = True,
               custom_objects: Any = None, safe_mode: bool = True,
               max_params: int = MAX_PARAMS, max_layers: int = MAX_LAYERS) -> Any:
    """The ``Sequential`` saved in ``filepath`` by ``model.save``, compiled as it was.

    A file that is not such a model, or declares a model beyond ``max_params`` parameters
    or ``max_layers`` layers, raises ``ModelFileError`` saying why, before any model is
    built. ``custom_objects`` are refused: a file never names code to run.
    """
    path = check_path(filepath, "load_model")
    where = f"load_model({os.fspath(path)!r})"
    if custom_objects:
        raise ModelFileError(f"{where}: custom_objects are not supported (a model file names "
                             "only this library's layers)")
    arch, size = read_model_head(path)
    config = keras_config(arch, where)
    plan = _Plan(where, max_params, max_layers)
    if plan.walk(config, None, "") is None:
        raise ModelFileError(f"{where}: the first layer has no input shape")
    limit = file_limit(arch, ()) + 4 * _PATH_BYTES * plan.params
    if size > limit:
        raise ModelFileError(f"{where}: the file is {size:,} bytes, far larger than a model "
                             f"of {plan.params:,} parameters (at most {limit:,} bytes)")
    doc = read_model_file(path, limit)
    if doc["architecture"] != arch:
        raise ModelFileError(f"{where}: the file changed while it was read")
    if len(doc["state"]) != plan.params:
        raise ModelFileError(f"{where}: the architecture has {plan.params:,} parameters, "
                             f"the file holds {len(doc['state']):,} weights")
    sequential = layer_class("Sequential", where)
    try:
        model = sequential.from_config(config)
        settings = arch.get("compile")
        if compile and isinstance(settings, dict):
            model.compile(optimizer=make_optimizer(settings.get("optimizer"), where),
                          loss=settings.get("loss"), metrics=settings.get("metrics"),
                          dtype=settings.get("dtype", "float64"))
    except ModelFileError:
        raise
    except (TypeError, ValueError, AutogradError) as e:
        raise ModelFileError(f"{where}: {e}") from None
    if not model.built:
        raise ModelFileError(f"{where}: the first layer has no input shape")
    try:
        model.load_state_dict(doc["state"])
    except ModelFileError as e:
        raise ModelFileError(f"{where}: {e}") from None
    return model
