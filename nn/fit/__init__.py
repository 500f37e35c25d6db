"""``nn.fit``: the training engine behind ``Sequential.fit``/``evaluate``/``predict``.

The :class:`Trainer` (mixed into a model) checks what it is given (:mod:`.inputs`), runs
batches through a :class:`Runner` -- the scalar engine (:mod:`.scalar`) or the compiled
one (:mod:`.compiled`) -- on one per-sample loss (:mod:`.objectives`), guards every step
against NaN/inf (:mod:`.guard`) and reports through callbacks (:mod:`.callbacks`,
:mod:`.progress`). It knows models only through their layer protocol, never a layer kind.
"""

from __future__ import annotations

from .callbacks import Callback, CallbackList, History
from .compiled import CompiledRunner
from .runner import Runner
from .scalar import ScalarRunner
from .trainer import Trainer

__all__ = ["Callback", "CallbackList", "CompiledRunner", "History", "Runner", "ScalarRunner",
           "Trainer"]
