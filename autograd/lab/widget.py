"""The lab as a notebook widget (anywidget: JupyterLab, Notebook 7, VS Code, Colab).

The widget ships the viewer's ``viewer.js``/``viewer.css`` and syncs with its
:class:`~autograd.lab.state.LabState`: traits ``svg`` (the layout, once), ``scene`` (the
numbers), ``values`` (each input's value, both ways), ``position`` (the frame shown, both
ways) and ``lr``; "gradient step" and "check" arrive as messages. Python does every
computation; ``publish(scene)`` lets other Python code (a training loop) push a scene.
"""

from __future__ import annotations

import math
from typing import Any

from ..errors import AutogradError, MissingDependency
from .page import asset, save_lab_html, viewer_module
from .state import LabState

__all__ = ["widget_class"]  # and LabWidget, made on first use

_CLASS: Any = None


def widget_class() -> Any:
    """The widget class, defined on first use so that ``import autograd`` never imports
    anywidget (``MissingDependency`` says how to install it)."""
    global _CLASS
    if _CLASS is not None:
        return _CLASS
    try:
        import anywidget
        import traitlets
    except ImportError as err:
        raise MissingDependency(f"the lab widget needs anywidget ({err.name} is missing); "
                                "install it with: pip install scalar-autograd[lab]") from None

    class LabWidget(anywidget.AnyWidget):
        """The backprop lab in a notebook cell; ``.state`` holds the numbers."""

        _esm = viewer_module()
        _css = asset("viewer.css")
        svg = traitlets.Unicode("").tag(sync=True)
        scene = traitlets.Dict().tag(sync=True)
        values = traitlets.Dict().tag(sync=True)
        position = traitlets.Int(0).tag(sync=True)
        lr = traitlets.Float(0.1).tag(sync=True)

        def __init__(self, state: LabState, **kwargs: Any) -> None:
            super().__init__(**kwargs)
            self.state = state
            self._syncing = False
            self.svg = state.layout.svg
            self._refresh()
            self.position = len(state.frames) - 1
            self.observe(self._on_values, names="values")
            self.observe(self._on_lr, names="lr")
            self.on_msg(self._on_message)

        # -- Python side -------------------------------------------------------------------

        @property
        def root(self) -> Any:
            return self.state.root

        @property
        def output(self) -> float:
            """The output's value now."""
            return self.state.output

        @property
        def grads(self) -> dict[str, float]:
            """Each input's gradient now, by name."""
            return self.state.grads()

        def set(self, **values: float) -> None:
            """Give inputs new values (``lab.set(x1=3)``): the page follows."""
            self.state.set_leaves(values)
            self._refresh()

        def gradient_step(self, lr: float | None = None) -> None:
            """One gradient-descent step on the trainable inputs."""
            self.state.gradient_step(lr)
            self._refresh()

        def check(self) -> dict[str, Any]:
            """The gradient check per input (also shown on the page)."""
            report = self.state.check()
            self._refresh()
            return report

        def publish(self, scene: dict[str, Any]) -> None:
            """Show a scene computed elsewhere (same keys as ``LabState.scene(svg=False)``)."""
            self.scene = scene

        def save_html(self, path: Any) -> Any:
            """The static page of the current state (no live parts)."""
            return save_lab_html(self.state, path)

        # -- the page's side ---------------------------------------------------------------

        def _refresh(self) -> None:
            self._syncing = True
            try:
                self.scene = self.state.scene(svg=False)
                self.values = {k: v for k, v in self.state.values().items() if math.isfinite(v)}
                self.lr = self.state.lr
            finally:
                self._syncing = False

        def _on_values(self, change: dict[str, Any]) -> None:
            if self._syncing:
                return
            now = self.state.values()
            moved = {k: v for k, v in (change["new"] or {}).items() if now.get(k) != v}
            self._run(lambda: self.state.set_leaves(moved) if moved else None)

        def _on_lr(self, change: dict[str, Any]) -> None:
            if not self._syncing:
                self._run(lambda: setattr(self.state, "lr", float(change["new"])))

        def _on_message(self, _widget: Any, content: Any, _buffers: Any) -> None:
            if isinstance(content, dict) and isinstance(content.get("action"), str):
                self._run(lambda: self.state.act(content["action"], content.get("args")))

        def _run(self, work: Any) -> None:
            try:
                work()
            except (AutogradError, ValueError, TypeError, ArithmeticError) as err:
                self.state.message = f"refused: {err}"
                self.state.version += 1
            self._refresh()

    _CLASS = LabWidget
    return _CLASS


def __getattr__(name: str) -> Any:
    if name == "LabWidget":
        return widget_class()
    raise AttributeError(name)
