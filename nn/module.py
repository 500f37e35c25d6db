"""``Module``: the base of every network -- parameters by path, state, save and load.

A module's parameters are the ``Value``s found in its public attributes: a ``Value``, a
sub-module, or a list of either, walked in attribute order. Their paths name them
(``layers.0.neurons.3.w.5``) and, once the outermost constructor returns, every
parameter's ``label`` is its path, so graphs, gradcheck reports and errors name them.

>>> from autograd import Value
>>> class Line(Module):
...     def __init__(self):
...         self.w, self.b = Value(2.0), Value(0.5)
...     def __call__(self, x):
...         return self.w * x + self.b
>>> line = Line()
>>> [name for name, _ in line.named_parameters()], line.w.label
(['w', 'b'], 'w')
>>> line.state_dict()
{'w': 2.0, 'b': 0.5}
"""

from __future__ import annotations

import functools
import json
import numbers
import os
from collections.abc import Mapping
from typing import Any

from autograd import Value
from autograd.errors import ModelFileError

from .serialize import file_limit, finite_state, read_model_file, save_model_file, short

__all__ = ["Module"]


def _collect(obj: Any, path: str | None, out: list[Any]) -> None:
    """Append obj's parameters to ``out``: ``(path, value)`` pairs, or values if path is None."""
    if isinstance(obj, Value):
        out.append(obj if path is None else (path, obj))
    elif isinstance(obj, Module):
        for name, attr in vars(obj).items():
            if not name.startswith("_"):
                _collect(attr, None if path is None else (f"{path}.{name}" if path else name), out)
    elif isinstance(obj, (list, tuple)):
        for i, item in enumerate(obj):
            _collect(item, None if path is None else (f"{path}.{i}" if path else str(i)), out)


class Module:
    """Base class: ``parameters()``, ``zero_grad()``, ``state_dict()``, ``save``/``load``."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        """Wrap each subclass's ``__init__`` so parameters are labelled once it returns."""
        super().__init_subclass__(**kwargs)
        init = cls.__dict__.get("__init__")
        if init is None:
            return

        @functools.wraps(init)
        def __init__(self: Module, *args: Any, **kw: Any) -> None:
            depth = self.__dict__.get("_init_depth", 0)
            self.__dict__["_init_depth"] = depth + 1
            try:
                init(self, *args, **kw)
            finally:
                self.__dict__["_init_depth"] = depth
            if depth == 0:  # the outermost constructor: the paths are final now
                self.label_parameters()

        cls.__init__ = __init__  # type: ignore[method-assign]

    def __call__(self, *args: Any) -> Any:
        raise NotImplementedError(f"{type(self).__name__} must define __call__ (its forward pass)")

    # -- parameters --------------------------------------------------------------------

    def parameters(self) -> list[Value]:
        """Every parameter, in a fixed order (attribute order, then list order)."""
        out: list[Value] = []
        _collect(self, None, out)
        return out

    def named_parameters(self) -> list[tuple[str, Value]]:
        """``(path, value)`` for every parameter, e.g. ``('layers.0.neurons.3.w.5', v)``."""
        out: list[tuple[str, Value]] = []
        _collect(self, "", out)
        return out

    def label_parameters(self) -> None:
        """Set each parameter's ``label`` to its path (done for you after construction)."""
        for name, p in self.named_parameters():
            p.label = name

    def zero_grad(self) -> None:
        """Reset every parameter's ``.grad`` to 0 (gradients accumulate otherwise)."""
        for p in self.parameters():
            p.grad = 0.0

    # -- architecture and state ------------------------------------------------------------

    def config(self) -> dict[str, Any]:
        """The constructor arguments that fix the architecture (not the seed or init)."""
        return {}

    def architecture(self) -> dict[str, Any]:
        """Class name and config, as stored in a model file and checked on load."""
        return json.loads(json.dumps({"class": type(self).__name__, "config": self.config()}))

    def file_config(self, arch: Mapping[str, Any]) -> Any:
        """The config a model file's architecture holds, in today's layout (a subclass
        reads the layouts of older files here)."""
        return arch.get("config")

    def state_dict(self) -> dict[str, float]:
        """Parameter path -> value, in parameter order."""
        return {name: p.data for name, p in self.named_parameters()}

    def load_state_dict(self, state: Mapping[str, Any]) -> None:
        """Set every parameter from ``state``: exactly this model's keys, numbers only.

        Everything is checked before anything is assigned: on error the model is unchanged.
        """
        if not isinstance(state, Mapping):
            raise ModelFileError(
                f"load_state_dict expects a dict of path -> number, got {type(state).__name__}")
        named = self.named_parameters()
        names = {name for name, _ in named}
        missing = [name for name, _ in named if name not in state]
        extra = [key for key in state if key not in names]
        if missing or extra:
            parts = [f"state has {len(state)} entries, this {type(self).__name__} has "
                     f"{len(named)} parameters"]
            if missing:
                parts.append(f"missing {_some(missing)}")
            if extra:
                parts.append(f"unexpected {_some(extra)}")
            raise ModelFileError("load_state_dict: " + "; ".join(parts))
        values = []
        for name, _ in named:
            x = state[name]
            if isinstance(x, bool) or not isinstance(x, numbers.Real):
                raise ModelFileError(
                    f"load_state_dict: parameter {name!r} must be a number, "
                    f"got {short(x)} ({type(x).__name__})")
            try:
                values.append(float(x))
            except (OverflowError, ValueError):
                raise ModelFileError(f"load_state_dict: parameter {name!r} is {short(x)}, "
                                     "beyond the range of a float") from None
        finite_state(dict(zip((name for name, _ in named), values)), "load_state_dict")
        for (_, p), x in zip(named, values):
            p.data = x

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write architecture and parameters as JSON, atomically (never pickle).

        A NaN/inf parameter is refused with ``ModelFileError`` (strict JSON has no such
        number); the file gets the permissions ``open()`` would give it.
        """
        save_model_file(path, self.architecture(), self.state_dict())

    def load(self, path: str | os.PathLike[str]) -> Module:
        """Load parameters saved by ``save`` in place; returns ``self``.

        Anything wrong -- a missing, corrupt, truncated or hostile file (a FIFO, a device,
        one far larger than this architecture needs, NaN/inf numbers), or one of another
        architecture -- raises ``ModelFileError`` naming the problem, and the model is left
        unchanged.
        """
        mine, named = self.architecture(), self.named_parameters()
        doc = read_model_file(path, file_limit(mine, (name for name, _ in named)))
        theirs = doc["architecture"]
        if theirs.get("class") != mine["class"]:
            raise ModelFileError(
                f"model file {os.fspath(path)!r} holds a {short(theirs.get('class'))}, "
                f"this model is a {mine['class']!r}")
        if self.file_config(theirs) != mine["config"]:
            raise ModelFileError(
                f"model file {os.fspath(path)!r} is another architecture: "
                f"file {_describe(theirs)}, model {_describe(mine)}")
        try:
            self.load_state_dict(doc["state"])
        except ModelFileError as e:
            raise ModelFileError(f"model file {os.fspath(path)!r}: {e}") from None
        return self


def _some(keys: list[str], limit: int = 3) -> str:
    shown = ", ".join(short(k) for k in keys[:limit])
    return f"{len(keys)} key(s): {shown}" + (", ..." if len(keys) > limit else "")


def _describe(arch: Mapping[str, Any], limit: int = 200) -> str:
    config = arch.get("config")
    if not isinstance(config, Mapping):
        text = f"{arch.get('class')}({config!r})"
    else:
        args = ", ".join(f"{k}={v!r}" for k, v in config.items())
        text = f"{arch.get('class')}({args})"
    return text if len(text) <= limit else text[:limit - 3] + "..."
