"""The backprop lab: one viewer for a graph, in a notebook, in the browser, or in a file.

    autograd.lab("n = x1*w1 + x2*w2 + b; o = tanh(n)", x1=2, x2=0, w1=-3, w2=1, b=6.88)
    $ autograd lab "n = x1*w1 + x2*w2 + b; o = tanh(n)" x1=2 x2=0 w1=-3 w2=1 b=6.88

Step forward (values fill in, node by node) then backward (one chain-rule step per op);
click a node for its chain-rule sum and its op's local rule; move an input and watch
every gradient change; take gradient steps; check the gradients numerically.

How it is built, and where a new view plugs in:

- **One front-end module** (``static/``, listed once in :func:`~autograd.lab.page.module_source`)
  in anywidget's shape: ``render({model, el})`` draws the lab and returns its cleanup. The
  model has ``get/set/on/off/send`` and holds the page's state in its keys (the frame
  shown, predict mode, the score: :class:`~autograd.lab.scene.LabModel`).
- **The scene** is plain JSON (:class:`~autograd.lab.scene.Scene`, declared once, mirrored in
  JavaScript): ``frames`` (what each step shows, its gradients, and what predict mode asks),
  ``inspector``, ``leaves``, ``panels``... Python computes every number in it.
- **Four hosts** share the module: the notebook widget (:mod:`autograd.lab.widget`, one
  class for every source; its output also carries the static page for hosts with no
  kernel), the local server's page, the static file (:func:`save_lab_html`, and so
  ``save_backward_animation`` in :mod:`.offline`) and the classroom site
  (:func:`save_site`: Python runs in the page, in Pyodide), each page with a small model of
  its own. A page keeps its state in its URL's hash: a lesson link.
- **A source** is anything with ``title``, ``scene(svg=True)`` and ``act(action, args)``;
  :class:`LabState` is the one for a graph, the live training view another.
- **A panel** is a source's ``panel_NAME()`` method plus ``static/<file>.js``, listed once
  in :mod:`autograd.lab.panels` (the gradient check table is one; the live view's curves,
  boundary and layer bars another).

``import autograd`` loads none of the lab but :func:`lab` itself: the rest of this package
(and graphviz under its layout) loads on first use, anywidget, starlette and uvicorn only
when the widget or the server starts (saying ``pip install scalar-autograd[lab]`` if missing).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from ..errors import InputTypeError
from ..lazy import attach

if TYPE_CHECKING:
    from ..engine import Value
    from .classroom_site import save_site
    from .offline import save_backward_animation, save_graph
    from .page import save_lab_html, static_page
    from .state import LabState

__all__ = ["LabState", "lab", "lab_state", "save_backward_animation", "save_graph", "save_lab_html",
           "save_site", "static_page"]

_LAZY = {
    "save_backward_animation": ".offline", "save_graph": ".offline",
    "save_lab_html": ".page", "static_page": ".page",
    "LabState": ".state",
    "save_site": ".classroom_site",
}


__getattr__, __dir__ = attach(__name__, _LAZY, globals())


_OPTIONS = ("title", "rankdir", "collapse", "max_nodes", "lr", "params")


def lab_state(root_or_expr: Value | str, /, **kwargs: Any) -> LabState:
    """The lab's state for a graph (a ``Value``; keywords are options: ``rankdir``,
    ``collapse``, ``lr``, ``params``, ``title``, ``max_nodes``) or for an expression
    (text; keywords are its variables' values, each a finite number, and those options)."""
    from .state import LabState

    if isinstance(root_or_expr, str):
        from ..expr import parse

        used = parse(root_or_expr).variables  # a variable may be called lr or title, too
        options = {k: kwargs.pop(k) for k in list(kwargs) if k in _OPTIONS and k not in used}
        return LabState.from_expression(root_or_expr, kwargs, **options)
    if not hasattr(root_or_expr, "grad") or not hasattr(root_or_expr, "children"):
        raise InputTypeError(f"lab expects a Value or an expression string, got "
                             f"{root_or_expr!r} ({type(root_or_expr).__name__})")
    unknown = sorted(set(kwargs) - set(_OPTIONS))
    if unknown:
        raise InputTypeError(f"lab: unknown option {unknown[0]!r} for a graph; options are "
                             f"{', '.join(_OPTIONS)} (variables go with an expression string)")
    return LabState(root_or_expr, **kwargs)


def lab(root_or_expr: Value | str, /, *, quiz: bool = False,
        hide: Sequence[str] | str = (), **kwargs: Any) -> Any:
    """The backprop lab as a notebook widget, for a graph or an expression.

    ``lab(loss)`` shows an existing graph (keywords: ``rankdir``, ``collapse``, ``lr``,
    ``params`` - the inputs a gradient step moves -, ``title``); ``lab("o = tanh(x*w)",
    x=2, w=-3)`` builds the expression with those values. ``quiz=True`` opens in predict
    mode: the learner types each value and gradient before the lab shows it; ``hide``
    names groups of controls not to show (``"inputs"``, ``"predict"``, ``"stepper"``,
    ``"inspector"``, ``"zoom"``, ``"legend"``, ``"share"``). From a script,
    ``lab(loss).serve(open_browser=True)`` opens it in the browser. Needs ``anywidget``
    (``pip install scalar-autograd[lab]``).
    """
    from .widget import widget_class

    cls = widget_class()  # fails early, with the install line, when anywidget is missing
    return cls(lab_state(root_or_expr, **kwargs), quiz=quiz, hide=hide)
