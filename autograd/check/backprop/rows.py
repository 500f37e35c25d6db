"""One parameter's row of a ``check_backprop`` report: the shapes compared first (a
transpose or a reshape is tried), then the values, then the diagnosis of a mismatch.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

from .diagnose import OK as RIGHT
from .diagnose import Diagnosis, diagnose, in_terms
from .report import FAIL, OK, BackpropRow

__all__ = ["compare"]


def _entry(name: str, index: tuple[int, ...]) -> str:
    return f"{name}[{','.join(map(str, index))}]" if index else name


def compare(k: int, name: str, P: np.ndarray, T: np.ndarray, g: np.ndarray, sign: float,
            fd: tuple[float, int, str], search: Callable[[], list[Any]],
            counts: dict[str, int], atol: float, rtol: float,
            preferred: tuple[Any, ...] = ()) -> BackpropRow:
    """Compare parameter ``k``'s gradient ``g`` (``sign * g`` is the ``-=`` gradient) with
    the true ``T``: shape first, then values, then the diagnosis."""
    G = sign * g
    transposed = False
    note = ""
    if G.shape != P.shape:
        if G.ndim == 2 and P.ndim == 2 and G.shape == P.shape[::-1]:
            G, transposed = G.T, True
        elif G.size == P.size:
            note = f"the gradient has shape {G.shape}, the parameter {P.shape}"
            G = G.reshape(P.shape)
        else:
            return _shape_row(name, P, T, G, fd, atol, rtol)
    diff = np.abs(G - T)
    agree = bool(np.all(diff <= atol + rtol * np.abs(T)))
    max_abs = float(diff.max())
    max_rel = float((diff / np.maximum(np.maximum(np.abs(G), np.abs(T)), 1e-300)).max())
    worst = [(_entry(name, tuple(int(i) for i in np.unravel_index(j, P.shape))),
              float(sign * G.flat[j]), float(sign * T.flat[j]))
             for j in np.argsort(-diff, axis=None, kind="stable")[:3] if diff.flat[j] > 0]
    if agree and not transposed and not note:
        diagnosis, status = RIGHT, OK
    elif agree and note and np.broadcast_shapes(P.shape, g.shape) == P.shape:
        diagnosis, status = RIGHT, OK
        note += " (fine: the update broadcasts it)"
    else:
        diagnosis = diagnose(G, T, k, search, counts, atol, rtol, transposed, preferred)
        if sign < 0:  # with `+=`, the gradient is meant to be minus the true one
            diagnosis = in_terms(diagnosis, "the negative gradient")
        if note and not transposed:
            diagnosis = Diagnosis(("shape",) + diagnosis.kinds, diagnosis.factor,
                                  "shape" + (f", {diagnosis.short}" if diagnosis.short else ""),
                                  f"{note}; " + (diagnosis.detail or "reshaped, it matches"),
                                  diagnosis.variant)
            note = ""
        status = FAIL
    err, checked, fd_note = fd
    return BackpropRow(name, P.shape, g.shape, max_abs, max_rel, status, diagnosis, worst,
                       err, checked, "; ".join(x for x in (note, fd_note) if x))


def _shape_row(name: str, P: np.ndarray, T: np.ndarray, G: np.ndarray,
               fd: tuple[float, int, str], atol: float, rtol: float) -> BackpropRow:
    """A gradient of another size: say what the update would do with it."""
    detail = f"yours has shape {G.shape} but {name} has {P.shape}"
    try:
        fits = np.broadcast_shapes(P.shape, G.shape) == P.shape
    except ValueError:
        fits = False
    if fits:
        detail += (f": `{name} -= lr * grad` would broadcast it, moving whole rows or columns "
                   "of it by the same amount")
    elif G.ndim and G.size > P.size:
        for how, reduced in (("summed", G.sum(axis=0)), ("averaged", G.mean(axis=0))):
            if reduced.size == P.size and np.allclose(reduced.reshape(P.shape), T, rtol, atol):
                detail += (f"; {how} over its first axis it matches: it holds one gradient "
                           f"per sample, {'summed' if how == 'summed' else 'averaged'} they "
                           "are right")
                break
    return BackpropRow(name, P.shape, G.shape, math.nan, math.nan, FAIL,
                       Diagnosis(("shape",), 1.0, "wrong shape", detail), [], *fd)
