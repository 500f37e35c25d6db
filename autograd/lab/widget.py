"""The lab as a notebook widget (anywidget: JupyterLab, Notebook 7, VS Code, Colab, marimo).

One widget class for every source: a graph's :class:`~autograd.lab.state.LabState`, or a
live training view. Its traits are the page model's keys (:class:`~autograd.lab.scene.LabModel`):
``svg`` (the layout), ``scene`` (the numbers), ``position`` (the frame shown, both ways),
``values`` (each input's value, both ways), ``lr``, ``quiz`` and ``score`` (predict mode), ``hide``;
"gradient step", "check" and a live view's controls arrive as messages. Python does every
computation; ``publish(scene)`` lets other Python code (a training loop) push a scene.
Its output also carries the static page (``text/html``), which hosts with no kernel show.
"""

from __future__ import annotations

import math
from typing import Any

from ..errors import AutogradError, MissingDependency
from .page import asset, framed_page, module_source, save_lab_html
from .scene import Source, initial_model, new_score

__all__ = ["widget_class"]  # and LabWidget, made on first use

_CLASS: Any = None
_HOW = ("this is the backprop lab, a notebook widget: in Jupyter, VS Code or marimo it shows "
        "when it is a cell's value; from a script, .serve(open_browser=True) opens it in your "
        "browser and .save_html('lab.html') writes it to one offline file")


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
        """The backprop lab in a notebook cell; ``.source`` computes its numbers."""

        _esm = module_source()
        _css = asset("viewer.css")
        svg = traitlets.Unicode("").tag(sync=True)
        scene = traitlets.Dict().tag(sync=True)
        position = traitlets.Int(0).tag(sync=True)
        values = traitlets.Dict().tag(sync=True)
        lr = traitlets.Float(0.1).tag(sync=True)
        quiz = traitlets.Bool(False).tag(sync=True)
        score = traitlets.Dict().tag(sync=True)
        hide = traitlets.List(traitlets.Unicode()).tag(sync=True)

        def __init__(self, source: Source, quiz: bool = False, hide: Any = (),
                     **kwargs: Any) -> None:
            super().__init__(**kwargs)
            self.source = source
            self._syncing = False
            first = initial_model(source.scene(svg=True), quiz, hide)
            self._syncing = True
            try:
                for key, value in first.items():
                    setattr(self, key, value)
            finally:
                self._syncing = False
            self.observe(self._on_values, names="values")
            self.observe(self._on_lr, names="lr")
            self.on_msg(self._on_message)

        def __repr__(self) -> str:
            return f"<{type(self).__name__}: {self.source.title}; {_HOW}>"

        def _repr_mimebundle_(self, **kwargs: Any) -> Any:
            """anywidget's bundle plus ``text/html``: the static page of the lab as it is
            now, which a host with no kernel shows instead (an exported notebook,
            nbviewer); a host with the widget manager picks the live widget."""
            bundle = super()._repr_mimebundle_(**kwargs)
            if bundle is None:
                return None
            data, metadata = bundle
            snapshot = framed_page(self.source, quiz=self.quiz, hide=self.hide)
            return {**data, "text/html": snapshot}, metadata

        # -- Python side -------------------------------------------------------------------

        @property
        def state(self) -> Any:
            """The source (a ``LabState`` for a graph)."""
            return self.source

        @property
        def root(self) -> Any:
            return self.source.root

        @property
        def output(self) -> float:
            """The output's value now."""
            return self.source.output

        @property
        def grads(self) -> dict[str, float]:
            """Each input's gradient now, by name."""
            return self.source.grads()

        def set(self, **values: float) -> None:
            """Give inputs new values (``lab.set(x1=3)``): the page follows."""
            self.source.set_leaves(values)
            self._refresh()

        def gradient_step(self, lr: float | None = None) -> None:
            """One gradient-descent step on the trainable inputs."""
            self.source.gradient_step(lr)
            self._refresh()

        def check(self) -> dict[str, Any]:
            """The gradient check per input (also shown on the page)."""
            report = self.source.check()
            self._refresh()
            return report

        def publish(self, scene: dict[str, Any]) -> None:
            """Show a scene computed elsewhere (its layout too, when it carries one)."""
            scene = dict(scene)
            svg = scene.pop("svg", None)
            with self.hold_sync():
                if svg is not None and svg != self.svg:
                    self.svg = svg
                self.scene = scene

        def restart_quiz(self) -> None:
            """Predict mode from the first frame, with a fresh score."""
            self.score = new_score()
            self.position = 0

        def save_html(self, path: Any) -> Any:
            """The static page of the current state (no live parts; predict mode as now)."""
            return save_lab_html(self.source, path, quiz=self.quiz, hide=self.hide)

        def serve(self, open_browser: bool | None = None, port: int = 0,
                  quiet: bool = False) -> Any:
            """Serve this lab on 127.0.0.1 (random token) from a background thread; returns
            the server: ``.url`` opens the page, ``.close()`` stops it. Asked again while
            it runs (on any port, or its own), it is the same server, announced again."""
            from .server import LabServer

            running = self.__dict__.get("_lab_server")
            if running is not None and running.thread.is_alive() and not running.stopping() \
                    and port in (0, running.port):
                running.announce(open_browser, quiet)
                return running
            server = LabServer(self.source, port=port, quiz=self.quiz, hide=self.hide)
            self.__dict__["_lab_server"] = server
            return server.start(open_browser=open_browser, quiet=quiet)

        # -- the page's side ---------------------------------------------------------------

        def _refresh(self) -> None:
            self._syncing = True
            try:
                scene = self.source.scene(svg=False)
                with self.hold_sync():
                    self.scene = scene
                    self.values = {leaf["key"]: leaf["value"] for leaf in scene["leaves"]
                                   if leaf["value"] is not None and math.isfinite(leaf["value"])}
                    self.lr = scene["lr"]
            finally:
                self._syncing = False

        def _on_values(self, change: dict[str, Any]) -> None:
            if self._syncing:
                return
            now = {leaf["key"]: leaf["value"] for leaf in self.scene.get("leaves", [])}
            moved = {k: v for k, v in (change["new"] or {}).items() if now.get(k) != v}
            if moved:
                self._run("set_leaves", {"values": moved})

        def _on_lr(self, change: dict[str, Any]) -> None:
            if not self._syncing and hasattr(self.source, "lr"):
                self._run(None, None, lambda: setattr(self.source, "lr", float(change["new"])))

        def _on_message(self, _widget: Any, content: Any, _buffers: Any) -> None:
            if isinstance(content, dict) and isinstance(content.get("action"), str):
                self._run(content["action"], content.get("args"))

        def _run(self, action: str | None, args: Any, work: Any = None) -> None:
            try:
                if work is not None:
                    work()
                    scene = self.source.scene(svg=False)
                else:
                    scene = self.source.act(action, args if isinstance(args, dict) else {})
            except (AutogradError, ValueError, TypeError, ArithmeticError) as err:
                if hasattr(self.source, "message"):  # kept with the state's other numbers
                    self.source.message = f"refused: {err}"
                    self.source.version += 1
                scene = dict(self.source.scene(svg=False))
                scene["message"] = f"refused: {err}"
            if "leaves" in scene and hasattr(self.source, "values"):
                self._refresh()
            else:
                self.publish(scene)

    _CLASS = LabWidget
    return _CLASS


def __getattr__(name: str) -> Any:
    if name == "LabWidget":
        return widget_class()
    raise AttributeError(name)
