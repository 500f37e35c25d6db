"""What Keras' ``model.save(path)`` and ``load_model(path)`` share: the file name check and
the optimizer read back from a file (``load_model`` itself builds a model: :mod:`.models`).

The file holds the architecture, the compile settings and every weight; loading it runs
no code. Keras' binary formats (``.keras``, ``.h5``) are refused by name, with the fix,
rather than written as JSON under a name that promises something else.
"""

from __future__ import annotations

import os
import warnings
from typing import Any

from autograd.errors import AutogradError, ModelFileError

from ..optim import SGD, Adam, AdamW, Optimizer, RMSprop

__all__ = ["check_path", "make_optimizer"]

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
        with warnings.catch_warnings():  # a Keras 2 spelling was warned about when it was made
            warnings.simplefilter("ignore", DeprecationWarning)
            return cls(**config["config"])
    except (TypeError, AutogradError) as e:
        raise ModelFileError(f"{where}: bad settings for {config['class']}: {e}") from None
