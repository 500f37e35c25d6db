"""Where the live view shows: the lab's local server (a browser tab) or a notebook widget.

Both hosts receive a new scene from the training thread after each redraw. The server
runs in a background thread, so a script keeps training in its own; the widget is the
lab's one widget showing the live source (its page actions, like the server's, only ask
the training loop to pause, step or pick).
"""

from __future__ import annotations

from typing import Any

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
          port: int = 0, wait: bool = False) -> Any:
    """Serve the live view on 127.0.0.1 (random token) from a background thread; returns
    the running ``LabServer`` (``.url``, ``.close()``). ``wait=True``: return only once a
    page has opened, so training starts under the learner's eyes."""
    from ..server import LabServer

    source = LiveSource(watcher)
    server = LabServer(source, port=port)
    watcher.hosts.append(lambda run: server.publish(source.scene(svg=False)))
    server.start(open_browser=open_browser, quiet=quiet)
    if wait:
        print("waiting for the page to open before training starts (open the URL above; "
              "Ctrl-C stops)", flush=True)
        try:
            server.wait_for_page()
        except KeyboardInterrupt:
            server.close()
            raise
    return server


def widget(watcher: Watcher) -> Any:
    """The lab's notebook widget showing the live view (needs anywidget)."""
    from ..widget import widget_class

    source = LiveSource(watcher)
    w = widget_class()(source)
    watcher.hosts.append(lambda run: w.publish(source.scene(svg=False)))
    return w
