"""Watch a network learn: live curves, decision boundary, gradient norms, one sample's graph.

``Monitor`` serves hand-written (micrograd-style) loops: ``monitor.update(loss=loss,
model=model, step=k)`` once per step. ``LiveCallback`` is the same view for Keras-style
``fit`` (``fit(..., live=True)`` adds it). Both show in the lab's viewer (a browser tab
through the lab's local server, or a notebook widget) and save the finished run as one
HTML file (``history.save_html(path)``).
"""

from .callback import LiveCallback
from .monitor import Monitor
from .run_log import LiveRun

__all__ = ["LiveCallback", "LiveRun", "Monitor"]
