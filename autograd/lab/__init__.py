"""The backprop lab: one viewer for a graph, in a notebook, in the browser, or in a file.

    autograd.lab("n = x1*w1 + x2*w2 + b; o = tanh(n)", x1=2, x2=0, w1=-3, w2=1, b=6.88)
    $ autograd lab "n = x1*w1 + x2*w2 + b; o = tanh(n)" x1=2 x2=0 w1=-3 w2=1 b=6.88

Step forward (values fill in, node by node) then backward (one chain-rule step per op);
click a node for its chain-rule sum and its op's local rule; move an input and watch
every gradient change; take gradient steps; check the gradients numerically.

How it is built, and where a new view plugs in:

- **One front end** (``static/viewer.js``, ``viewer.css``): ``AgLab.mount(element, host)``
  draws the SVG that Graphviz laid out once and applies *frames* that Python computed.
  It knows nothing of the host: a host gives it a first ``scene`` and, when live, a
  ``send(action, args)`` and a ``subscribe(onScene)``.
- **The scene** is plain JSON (:meth:`LabState.scene`): ``svg``, ``frames``, ``inspector``,
  ``leaves``, ``check``, ``message``, and ``panels``: a mapping from a panel name to its
  data, drawn by a renderer the page registered with ``AgLab.registerPanel(name, fn)``.
- **Three hosts** share it: the static page (:func:`save_lab_html`, and so
  ``save_backward_animation`` in :mod:`.offline`), the local server
  (:class:`~autograd.lab.server.LabServer`: JSON over HTTP for actions, server-sent
  events for scenes Python pushes) and the notebook widget (:mod:`autograd.lab.widget`:
  traits and messages).
- **A source** is anything with ``title``, ``scene(svg=True) -> dict`` and
  ``act(action, args) -> dict``; :class:`LabState` is the one for a graph.

A live training view adds itself without rewriting these: a source whose scene carries
its ``panels`` (loss curve, decision boundary, gradient norms) beside one sample's graph,
the panels' renderers registered in JavaScript, and the training loop calling
``LabServer.publish()`` or ``LabWidget.publish(scene)`` a few times a second (both are
safe to call from the training thread; the page redraws only what changed).

``import autograd`` loads none of anywidget, starlette or uvicorn; the widget and the
server import them on first use and say ``pip install scalar-autograd[lab]`` if missing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..errors import InputTypeError
from .offline import save_backward_animation, save_graph
from .page import save_lab_html, static_page
from .state import LabState

if TYPE_CHECKING:
    from ..engine import Value

__all__ = ["LabState", "lab", "lab_state", "save_backward_animation", "save_graph", "save_lab_html",
           "static_page"]

_OPTIONS = ("title", "rankdir", "collapse", "max_nodes", "lr", "params")


def lab_state(root_or_expr: Value | str, /, **kwargs: Any) -> LabState:
    """The lab's state for a graph (a ``Value``; keywords are options: ``rankdir``,
    ``collapse``, ``lr``, ``params``, ``title``, ``max_nodes``) or for an expression
    (text; keywords are its variables' values)."""
    if isinstance(root_or_expr, str):
        from ..expr import parse

        expr = parse(root_or_expr)
        return LabState(expr.evaluate(kwargs), title=expr.text)
    if not hasattr(root_or_expr, "grad") or not hasattr(root_or_expr, "children"):
        raise InputTypeError(f"lab expects a Value or an expression string, got "
                             f"{root_or_expr!r} ({type(root_or_expr).__name__})")
    unknown = sorted(set(kwargs) - set(_OPTIONS))
    if unknown:
        raise InputTypeError(f"lab: unknown option {unknown[0]!r} for a graph; options are "
                             f"{', '.join(_OPTIONS)} (variables go with an expression string)")
    return LabState(root_or_expr, **kwargs)


def lab(root_or_expr: Value | str, /, **kwargs: Any) -> Any:
    """The backprop lab as a notebook widget, for a graph or an expression.

    ``lab(loss)`` shows an existing graph (keywords: ``rankdir``, ``collapse``, ``lr``,
    ``params`` - the inputs a gradient step moves -, ``title``); ``lab("o = tanh(x*w)",
    x=2, w=-3)`` builds the expression with those values. Needs ``anywidget``
    (``pip install scalar-autograd[lab]``).
    """
    from .widget import widget_class

    cls = widget_class()  # fails early, with the install line, when anywidget is missing
    return cls(lab_state(root_or_expr, **kwargs))
