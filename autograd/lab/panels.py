"""The lab's panels, listed once: a panel is a Python method that computes its data and a
JavaScript file that draws it.

A source shows panel ``NAME`` by having a method ``panel_NAME()`` that returns the panel's
JSON-ready data (or None: not shown now); ``static/<script>`` draws it with
``registerPanel("NAME", (el, data, api) => ...)``, where ``api.drawing`` is the graph's
drawing API and ``api.send(action, args)`` asks Python to act. The script becomes part of the
one front-end module every host loads (:func:`autograd.lab.page.module_source`).
"""

from __future__ import annotations

from typing import Any

__all__ = ["PANELS", "panels_of"]

PANELS: dict[str, str] = {  # name -> the file of static/ that draws it
    "check": "panel_check.js",  # the gradient check table (LabState.panel_check)
    "live": "live.js",  # a training run: curves, boundary, layers (LiveSource.panel_live)
}


def panels_of(source: Any) -> dict[str, Any]:
    """Every listed panel the source has data for now, by name."""
    out = {}
    for name in PANELS:
        method = getattr(source, f"panel_{name}", None)
        data = method() if callable(method) else None
        if data is not None:
            out[name] = data
    return out
