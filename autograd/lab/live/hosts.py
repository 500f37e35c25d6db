"""Where the live view shows: the lab's local server (a browser tab) or a notebook widget.

Both hosts receive a new scene from the training thread after each redraw. The server
runs in a background thread, so a script keeps training in its own; the widget is the
lab's viewer with the live panels added (its page actions, like the server's, only ask
the training loop to pause, step or pick).
"""

from __future__ import annotations

import threading
from typing import Any

from ...errors import MissingDependency
from ..page import asset, viewer_script
from .source import LiveSource
from .watch import Watcher

__all__ = ["in_notebook", "serve", "widget"]


def in_notebook() -> bool:
    """True inside a Jupyter kernel (a widget can be displayed)."""
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    return shell is not None and hasattr(shell, "kernel")


def serve(watcher: Watcher, open_browser: bool | None = None, quiet: bool = False,
          port: int = 0) -> Any:
    """Serve the live view on 127.0.0.1 (random token) from a background thread; returns
    the running ``LabServer`` (``.url``, ``.stop()``)."""
    from ..server import LabServer

    source = LiveSource(watcher)
    server = LabServer(source, port=port)
    watcher.hosts.append(lambda run: server.publish(source.scene(svg=False)))
    thread = threading.Thread(target=server.run, name="autograd-live-server", daemon=True,
                              kwargs={"open_browser": open_browser, "quiet": quiet})
    thread.start()
    server.thread = thread
    return server


_WIDGET: Any = None


def widget(watcher: Watcher) -> Any:
    """A notebook widget showing the live view (needs anywidget)."""
    global _WIDGET
    if _WIDGET is None:
        try:
            import anywidget
            import traitlets
        except ImportError as err:
            raise MissingDependency(f"the live widget needs anywidget ({err.name} is missing); "
                                    "install it with: pip install scalar-autograd[lab]") from None

        class LiveWidget(anywidget.AnyWidget):
            """The lab viewer with live training panels, synced with the training loop."""

            _esm = "\n".join([viewer_script(), asset("live.js"), asset("boot_widget.js")])
            _css = asset("viewer.css")
            svg = traitlets.Unicode("").tag(sync=True)
            scene = traitlets.Dict().tag(sync=True)
            values = traitlets.Dict().tag(sync=True)
            position = traitlets.Int(0).tag(sync=True)

            def __init__(self, source: LiveSource, **kwargs: Any) -> None:
                super().__init__(**kwargs)
                self.source = source
                self.publish(source.scene(svg=True))
                self.on_msg(self._on_message)

            def publish(self, scene: dict[str, Any]) -> None:
                """Show a new scene (its layout too, when it carries one)."""
                svg = scene.pop("svg", None)
                if svg is not None and svg != self.svg:
                    self.svg = svg
                self.scene = scene

            def _on_message(self, _w: Any, content: Any, _buffers: Any) -> None:
                if isinstance(content, dict) and isinstance(content.get("action"), str):
                    try:
                        self.publish(self.source.act(content["action"], content.get("args")))
                    except (ValueError, TypeError) as err:
                        scene = self.source.scene(svg=False)
                        scene["panels"]["live"]["message"] = f"refused: {err}"
                        self.publish(scene)

        _WIDGET = LiveWidget
    source = LiveSource(watcher)
    w = _WIDGET(source)
    watcher.hosts.append(lambda run: w.publish(source.scene(svg=False)))
    return w
