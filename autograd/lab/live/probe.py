"""Run a model forward on a batch of inputs and read every layer's outputs as arrays.

The live view needs the model's outputs over a whole grid (the decision boundary) and
each layer's activations over the data (dead ReLUs, saturated sigmoids), several times a
second. The model's own forward, layer by layer, is recorded once and compiled to numpy
with :func:`autograd.compile_batch` (no layer is re-implemented), and run on blocks of
rows that keep BLAS on one thread; a model whose graph depends on its inputs runs the
scalar forward under ``no_grad`` instead.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ...compiled import compile_batch
from ...engine import Value
from ...errors import CompileError
from ...modes import no_grad
from .model_layers import LayerGroup, layer_groups, model_parameters

__all__ = ["ONE_THREAD", "Probe"]

# Rows x parameters per forward call: small enough that BLAS multiplies on one thread.
# A multi-threaded product leaves its worker threads spinning for a while after it ends,
# which costs the training loop (and the shared machine) far more than the product itself.
ONE_THREAD = 2 ** 16


def _as_list(out: Any) -> list[Value]:
    return list(out) if isinstance(out, (list, tuple)) else [out]


class Probe:
    """Layer outputs of ``model`` for batches of inputs of width ``X.shape[1]``.

    ``run(X)`` gives one ``(len(X), units)`` array per layer (the last is the model's
    output). ``compiled`` says whether the numpy program runs, or the scalar engine.
    """

    def __init__(self, model: Any, X: np.ndarray) -> None:
        self.model = model
        self.groups: list[LayerGroup] = layer_groups(model)
        self.params = model_parameters(model)
        self.layered = self.groups[0].name != "model"
        X = np.asarray(X, dtype=np.float64)
        if self.layered and not self._layers_match(X[0]):
            self.layered = False  # its forward is not its layers in a row: outputs only
            self.groups = [LayerGroup("model", None, self.params, 0)]
        self.program = None
        try:
            self.program = compile_batch(self._fn, self.params, X, np.zeros((len(X), 1)))
        except CompileError:
            self.program = None
        self.widths = self._widths(X[0])
        self._index: np.ndarray | None = None
        self._source: list[Value] | None = None

    @property
    def compiled(self) -> bool:
        """True when the compiled numpy program runs (else the scalar engine)."""
        return self.program is not None

    def _layers(self, xs: list[Value]) -> list[list[Value]]:
        if not self.layered:
            return [_as_list(self.model(xs))]
        outs = []
        for layer in self.model.layers:
            xs = _as_list(layer(xs))
            outs.append(xs)
        return outs

    def _fn(self, xs: list[Value], ys: list[Value]) -> tuple[list[Value], Value]:
        outs = [v for layer in self._layers(xs) for v in layer]
        return outs, outs[-1]

    def _layers_match(self, x: np.ndarray) -> bool:
        with no_grad():
            xs = [Value(v) for v in x.tolist()]
            try:
                last = [v.data for v in self._layers(xs)[-1]]
            except Exception:  # a layer that cannot be called on its own
                return False
            return last == [v.data for v in _as_list(self.model(xs))]

    def _widths(self, x: np.ndarray) -> list[int]:
        with no_grad():
            return [len(layer) for layer in self._layers([Value(v) for v in x.tolist()])]

    def load(self, theta: np.ndarray | None = None, order: list[Value] | None = None) -> None:
        """Take the current parameters: from their Values, or from a flat ``theta`` whose
        entry ``i`` is parameter ``order[i]`` (a compiled training program's)."""
        if self.program is None:
            return
        if theta is None or order is None:
            self.program.sync_from_values()
            return
        if order is not self._source:
            where = {id(p): i for i, p in enumerate(order)}
            self._index = np.fromiter((where[id(p)] for p in self.program.params), np.intp,
                                      len(self.program.params))
            self._source = order
        self.program.theta[:] = theta[self._index]

    def run(self, X: np.ndarray) -> list[np.ndarray]:
        """Each layer's outputs for every row of ``X`` (call ``load`` first if compiled)."""
        X = np.asarray(X, dtype=np.float64)
        if self.program is not None:
            rows = max(8, ONE_THREAD // max(1, len(self.params)))
            flat = np.concatenate([np.array(self.program.forward(X[i:i + rows])[0],
                                            dtype=np.float64)
                                   for i in range(0, max(len(X), 1), rows)])
        else:
            flat = np.empty((len(X), sum(self.widths)))
            with no_grad():
                for i, row in enumerate(X.tolist()):
                    flat[i] = [v.data for layer in self._layers([Value(v) for v in row])
                               for v in layer]
        cuts = np.cumsum(self.widths)[:-1]
        return np.split(flat, cuts, axis=1)
