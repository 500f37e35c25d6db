"""Names a package exports but imports on first use (PEP 562), so ``import autograd`` is
the engine alone and the tools, with numpy or graphviz under them, load when asked for.

A package lists them in ``_LAZY`` (name -> ``".module"`` or ``".module:attribute"``,
relative to it, or ``".module:"`` for the module itself) and gets its ``__getattr__`` and
``__dir__`` from :func:`attach`.
Where a tool's package (numpy, graphviz, tqdm) is missing, its name still resolves, to an
:class:`Unavailable` that says what to install when used: ``from autograd import *`` works
in a bare venv or in Pyodide, and ``autograd.draw_dot(...)`` there names ``graphviz``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from importlib import import_module
from typing import Any

from .errors import MissingDependency

# The packages `pip install scalar-autograd` brings that the engine itself does without.
_REQUIRED_BY_TOOLS = {"numpy": "numpy", "graphviz": "graphviz", "tqdm": "tqdm"}


def attach(package: str, table: Mapping[str, str],
           namespace: Mapping[str, Any]) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """A package's ``__getattr__`` (:func:`load` over ``table``) and ``__dir__`` (its own
    names and the lazy ones): ``__getattr__, __dir__ = attach(__name__, _LAZY, globals())``."""

    def __getattr__(name: str) -> Any:
        return load(package, table, name)

    def __dir__() -> list[str]:
        return sorted({*namespace, *table})

    return __getattr__, __dir__


def load(package: str, table: Mapping[str, str], name: str) -> Any:
    """What ``table`` names for ``name``, imported now (Python keeps the module, so the next
    call is a lookup). AttributeError for a name not in the table, as for any missing
    attribute; an :class:`Unavailable` when the tool needs numpy, graphviz or tqdm and it
    is not installed."""
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
        return Unavailable(package, table, name, str(missing))
    if colon and not attribute:
        return found
    return getattr(found, attribute or name)


class Unavailable:
    """A tool whose package is not installed: calling it, or reading one of its
    attributes, raises MissingDependency naming the package (or, once it is installed,
    uses the tool)."""

    def __init__(self, package: str, table: Mapping[str, str], name: str, message: str) -> None:
        self._where = (package, table, name)
        self._message = message

    def _tool(self) -> Any:
        found = load(*self._where)
        if isinstance(found, Unavailable):
            raise MissingDependency(self._message)
        return found

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self._tool()(*args, **kwargs)

    def __getattr__(self, attribute: str) -> Any:
        if attribute.startswith("__"):  # introspection (copy, inspect, IPython) sees nothing
            raise AttributeError(attribute)
        return getattr(self._tool(), attribute)

    def __repr__(self) -> str:
        package, _, name = self._where
        return f"<{package}.{name}: not available ({self._message})>"


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

