"""Keras' ``model.save(path)`` and ``load_model(path)``, as one JSON file (never pickle).

The file holds the architecture, the compile settings and every weight; loading it runs
no code. Keras' binary formats (``.keras``, ``.h5``) are refused by name, with the fix,
rather than written as JSON under a name that promises something else.
"""

from __future__ import annotations

import os
from typing import Any

from autograd.errors import AutogradError, ModelFileError

from ..optim import SGD, Adam, AdamW, Optimizer, RMSprop
from ..serialize import read_model_file

__all__ = ["check_path", "load_model", "make_optimizer"]

_BINARY = (".keras", ".h5", ".hdf5")


def check_path(path: str | os.PathLike[str], where: str) -> str | os.PathLike[str]:
    """``path``, unless its name promises one of Keras' binary formats."""
    name = os.fspath(path)
    if name.lower().endswith(_BINARY):
        stem = name[: name.rfind(".")]
        raise ModelFileError(f"{where}: {name!r} names Keras' binary format; nn writes models "
                             f"as JSON: use a .json name such as {stem + '.json'!r}")
    return path


def _optimizers() -> dict[str, type[Optimizer]]:
    from . import optimizers as keras_optimizers  # their class names are prefixed "keras."

    table: dict[str, type[Optimizer]] = {c.__name__: c for c in (SGD, RMSprop, Adam, AdamW)}
    table.update({f"keras.{name}": getattr(keras_optimizers, name)
                  for name in keras_optimizers.__all__})
    return table


def make_optimizer(config: Any, where: str) -> Optimizer:
    """An optimizer from ``Optimizer.get_config()``'s output (known classes only)."""
    table = _optimizers()
    if not isinstance(config, dict) or config.get("class") not in table \
            or not isinstance(config.get("config"), dict):
        raise ModelFileError(f"{where}: unknown optimizer {config!r}; known: {', '.join(table)}")
    cls = table[config["class"]]
    try:
        return cls(**config["config"])
    except (TypeError, AutogradError) as e:
        raise ModelFileError(f"{where}: bad settings for {config['class']}: {e}") from None


def load_model(filepath: str | os.PathLike[str], compile: bool = True) -> Any:
    """The ``Sequential`` saved in ``filepath`` by ``model.save``, compiled as it was.

    A file that is not such a model raises ``ModelFileError`` saying why.
    """
    from .layers import Dense
    from .models import Sequential

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
