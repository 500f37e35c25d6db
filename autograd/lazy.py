"""Names a package exports but imports on first use (PEP 562), so ``import autograd`` is
the engine alone and the tools, with numpy or graphviz under them, load when asked for.

A package lists them in ``_LAZY`` (name -> ``".module"`` or ``".module:attribute"``,
relative to it, or ``".module:"`` for the module itself) and answers
``__getattr__``/``__dir__`` with :func:`load` and the table.
"""

from __future__ import annotations

from collections.abc import Mapping
from importlib import import_module
from typing import Any

from .errors import MissingDependency

# The packages `pip install scalar-autograd` brings that the engine itself does without.
_REQUIRED_BY_TOOLS = {"numpy": "numpy", "graphviz": "graphviz", "tqdm": "tqdm"}


def load(package: str, table: Mapping[str, str], name: str) -> Any:
    """What ``table`` names for ``name``, imported now. AttributeError for a name not in
    it (as for any missing attribute); MissingDependency naming the package to install
    when the tool needs numpy, graphviz or tqdm and it is not there."""
    where = table.get(name)
    if where is None:
        raise AttributeError(f"module {package!r} has no attribute {name!r}")
    module, colon, attribute = where.partition(":")
    try:
        found = import_module(module, package)
    except ModuleNotFoundError as err:
        missing = as_missing_dependency(err, f"{package}.{name}")
        if missing is None:
            raise
        raise missing from err
    if colon and not attribute:
        return found
    return getattr(found, attribute or name)


def as_missing_dependency(err: ModuleNotFoundError, who: str) -> MissingDependency | None:
    """The error to show when ``who`` failed to import numpy, graphviz or tqdm (which
    ``pip install scalar-autograd`` brings and the engine does without); else None."""
    missing = (err.name or "").partition(".")[0]
    if missing not in _REQUIRED_BY_TOOLS:
        return None
    return MissingDependency(
        f"{who} needs {missing}, which is not installed (the engine, the stepper, "
        f"gradcheck and draw_text do without it); install it with: "
        f"pip install {_REQUIRED_BY_TOOLS[missing]}")
