"""What the classroom site runs in the browser, in Pyodide: the lab's state for the site's
expression, on the layout laid out when the site was written (no Graphviz there), with
actions in and scenes out as JSON text. Standard library and the engine only."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from ..errors import AutogradError
from .layout import Layout
from .state import LabState

__all__ = ["site_state", "start"]


def site_state(spec: dict[str, Any]) -> LabState:
    """The lab's state from a site's spec: ``expr``, ``values``, ``lr`` and ``layout``."""
    return LabState.from_expression(spec["expr"], spec["values"], lr=spec.get("lr", 0.1),
                                     layout=Layout.from_json(spec["layout"]))


def start(spec_text: str) -> Callable[[str], str]:
    """Open the site's lab; returns ``act(request) -> scene``, both JSON text (a request
    is ``{"action": NAME, "args": {...}}``; a refused one comes back as the scene's
    message, as the notebook widget shows it)."""
    state = site_state(json.loads(spec_text))

    def act(request_text: str) -> str:
        request = json.loads(request_text)
        try:
            scene: Any = state.act(request.get("action", ""), request.get("args") or {})
        except (AutogradError, ValueError, TypeError, ArithmeticError) as err:
            state.message = f"refused: {err}"
            state.version += 1
            scene = state.scene(svg=False)
        return json.dumps(scene, allow_nan=False, separators=(",", ":"))

    return act
