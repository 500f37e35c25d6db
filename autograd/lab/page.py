"""The lab's front end, shipped in the package: ONE ES module and its CSS, and the page that
holds them.

:func:`module_source` is the one place the module's files are listed: the notebook widget
ships it as its ``_esm``; the static file (``save_lab_html``, ``save_backward_animation``,
``autograd graph -o x.html``) and the local server's page inline it, with the data, in
:func:`page`. Every host renders the same ``render({model, el})``; the pages give it a small
model of their own (``static/viewer_hosts.js``). No network, no CDN.
"""

from __future__ import annotations

import html
import json
import os
import re
from collections.abc import Sequence
from importlib import resources
from pathlib import Path
from typing import Any

from ..viz.render import write_atomic
from .panels import PANELS
from .scene import Source, initial_model

__all__ = ["MODULE_PARTS", "asset", "framed_page", "module_source", "page", "save_lab_html",
           "script_json", "static_page"]

_SLOT = re.compile(r"\{\{(TITLE|CSS|MODULE|DATA)\}\}")
# the panels' files go in just before viewer.js
MODULE_PARTS = ("viewer_base.js", "viewer_draw.js", "viewer_side.js", "viewer_quiz.js",
                "viewer_link.js", "viewer.js", "viewer_hosts.js")


def asset(name: str) -> str:
    """One file of the front end (``viewer.js``, ``viewer.css``...), as text."""
    return resources.files("autograd.lab").joinpath("static", name).read_text(encoding="utf-8")


def module_source() -> str:
    """The front-end module: its parts and every panel's drawing, in one module scope,
    ending in ``export default {render}``."""
    parts = list(MODULE_PARTS)
    at = parts.index("viewer.js")
    parts[at:at] = list(PANELS.values())
    return "\n".join(f"/* --- {name} --- */\n{asset(name)}" for name in parts)


def script_json(data: Any) -> str:
    """JSON that is safe inside ``<script type="application/json">`` (no ``</script>``)."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def page(title: str, data: dict[str, Any]) -> str:
    """The viewer page: its CSS and module inline, ``data`` (``{"model": LabModel}``, plus
    ``"token"`` when a server answers) as JSON."""
    slots = {"TITLE": html.escape(title), "CSS": asset("viewer.css"), "MODULE": module_source(),
             "DATA": script_json(data)}
    return _SLOT.sub(lambda m: slots[m.group(1)], asset("page.html"))


def static_page(source: Source, quiz: bool = False, hide: Sequence[str] = ()) -> str:
    """The self-contained file: the whole timeline, nothing live (``quiz``: open in predict
    mode; the answers are checked in the page; ``hide``: controls not shown)."""
    scene = dict(source.scene(svg=True))
    scene["live"] = False
    return page(source.title, {"model": initial_model(scene, quiz, hide)})


def framed_page(source: Source, quiz: bool = False, hide: Sequence[str] = (),
                height: int = 620) -> str:
    """The static page as one ``<iframe srcdoc>``: what a notebook output carries beside the
    live widget, so an exported notebook (HTML, nbviewer) still shows the lab and steps
    through it with no kernel. Sandboxed: scripts run, the notebook's page is out of reach."""
    text = static_page(source, quiz, hide).replace("&", "&amp;").replace('"', "&quot;")
    return (f'<iframe class="ag-snapshot" title="{html.escape(source.title)}" '
            f'sandbox="allow-scripts" style="width:100%;height:{int(height)}px;border:0" '
            f'srcdoc="{text}"></iframe>')


def save_lab_html(source: Source, path: str | os.PathLike[str], quiz: bool = False,
                  hide: Sequence[str] = ()) -> Path:
    """Write the static page to ``path`` (atomically)."""
    return write_atomic(path, static_page(source, quiz, hide).encode("utf-8"))
