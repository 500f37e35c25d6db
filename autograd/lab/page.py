"""The viewer's front end (HTML, CSS, JS shipped in the package) assembled into one page.

``static_page(state)`` is the self-contained file (``save_backward_animation``, ``autograd
graph -o x.html``, ``save_lab_html``): every frame precomputed, no network, no CDN.
The local server serves the same page with its own boot script, and the notebook
widget ships the same ``viewer.js`` and ``viewer.css`` (see :func:`viewer_module`).
"""

from __future__ import annotations

import html
import json
import os
import re
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..viz.render import write_atomic

if TYPE_CHECKING:
    from .state import LabState

__all__ = ["asset", "page", "save_lab_html", "script_json", "static_page", "viewer_module",
           "viewer_script"]

_SLOT = re.compile(r"\{\{(TITLE|CSS|JS|DATA|BOOT)\}\}")
_PARTS = ("viewer_draw.js", "viewer_side.js", "viewer.js")  # the drawing, the side, the timeline


def asset(name: str) -> str:
    """One file of the front end (``viewer.js``, ``viewer.css``...), as text."""
    return resources.files("autograd.lab").joinpath("static", name).read_text(encoding="utf-8")


def viewer_script() -> str:
    """The viewer's JavaScript: its three parts, in order (they share one ``AgLab``)."""
    return "\n".join(asset(name) for name in _PARTS)


def script_json(data: Any) -> str:
    """JSON that is safe inside ``<script type="application/json">`` (no ``</script>``)."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def page(title: str, data: Any, boot: str, scripts: tuple[str, ...] = ()) -> str:
    """The viewer page: its CSS and JS inline (plus extra ``scripts``, e.g. panels), ``data``
    as JSON, then the ``boot`` script."""
    js = "\n".join([viewer_script(), *(asset(name) for name in scripts)])
    slots = {"TITLE": html.escape(title), "CSS": asset("viewer.css"), "JS": js,
             "DATA": script_json(data), "BOOT": asset(boot)}
    return _SLOT.sub(lambda m: slots[m.group(1)], asset("page.html"))


def static_page(state: LabState) -> str:
    """The self-contained file: the whole timeline, nothing live."""
    scene = state.scene()
    scene["live"] = False
    return page(state.title, scene, "boot_static.js")


def save_lab_html(state: LabState, path: str | os.PathLike[str]) -> Path:
    """Write the static page to ``path`` (atomically)."""
    return write_atomic(path, static_page(state).encode("utf-8"))


def viewer_module() -> str:
    """The viewer's script as an ES module for anywidget: ``render`` mounts the viewer on the
    widget's element, wired to the widget model (see :mod:`autograd.lab.widget`)."""
    return viewer_script() + "\n" + asset("boot_widget.js")
