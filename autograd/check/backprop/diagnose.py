"""Why a hand-derived gradient is wrong: the simplest explanation that fits it exactly.

Given the user's gradient ``G`` and the true one ``T`` (same shape), try in order: all
zeros; a named constant factor (``G = c * T``: the sign, 2, 1/2, the batch size ``N`` and
their products); the transpose; each classic mistake replayed on the graph
(:mod:`.mistakes`), up to such a factor; then any other constant factor. A fit is exact
up to the tolerances, so a diagnosis is a statement, not a guess.

>>> symbol, reasons = factor_name(-0.5, {"N": 4})
>>> symbol, reasons[0]
('-1/2', 'the sign is flipped')
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from .mistake_kinds import KINDS

__all__ = ["Diagnosis", "diagnose", "factor_name", "fit", "in_terms"]

_SNAP = 1e-3  # a fitted factor within 0.1% of a named one is that one


@dataclass(frozen=True)
class Diagnosis:
    """What is wrong with one gradient: kinds (the words of :mod:`.mistake_kinds`' table;
    none when right), the factor ``yours / true`` (1.0 when none), a short label and a
    sentence."""

    kinds: tuple[str, ...] = ()
    factor: float = 1.0
    short: str = ""
    detail: str = ""
    variant: Any = field(default=None, compare=False, repr=False)  # the mistake that fits

    @property
    def kind(self) -> str:
        return self.kinds[0] if self.kinds else ""


OK = Diagnosis()


def fit(G: np.ndarray, X: np.ndarray, atol: float, rtol: float) -> float | None:
    """The factor ``c`` with ``G = c * X`` entry for entry (to ``atol + rtol * max|G|``),
    or None when no single factor fits."""
    xx = float(np.vdot(X, X))
    if not np.isfinite(xx) or xx == 0.0 or not np.all(np.isfinite(G)):
        return None
    c = float(np.vdot(G, X)) / xx
    scale = max(float(np.max(np.abs(G))), float(np.max(np.abs(c * X))))
    if float(np.max(np.abs(G - c * X))) <= atol + rtol * scale and c != 0.0:
        return c
    return None


def _reasons(counts: dict[str, int]) -> dict[str, str]:
    why = {"-1": "the sign is flipped", "2": "it is twice the true gradient: a 2 too many "
           "(the loss has a 1/2 in front, or a 2 is counted twice)",
           "1/2": "it is half the true gradient: the 2 from differentiating a square "
           "(d(e**2)/de = 2e) is missing"}
    for sym, n in counts.items():
        what = "the batch size" if sym == "N" else "the number of entries the loss averages"
        why[sym] = (f"it is {sym} = {n} times too large ({sym} is {what}): the loss takes "
                    f"the mean, so divide by {sym}")
        why[f"1/{sym}"] = (f"it is {sym} = {n} times too small ({sym} is {what}): it divides "
                           f"by {sym} once too often (the loss sums, or 1/{sym} is applied "
                           "twice)")
    return why


def _candidates(counts: dict[str, int]) -> Iterable[tuple[float, int, str, list[str]]]:
    """(value, complexity, symbol, reasons) for every named factor, simplest first."""
    why = _reasons(counts)
    twos = [(1.0, "", ""), (2.0, "2", ""), (0.5, "", "2")]
    ns = [(1.0, "", "")] + [(float(n) ** e, sym if e > 0 else "", sym if e < 0 else "")
                            for sym, n in counts.items() for e in (1, -1)]
    for sign, (t, tn, td), (n, nn, nd) in itertools.product((1.0, -1.0), twos, ns):
        num, den = tn + nn, td + nd
        symbol = (num or "1") + (f"/{den}" if len(den) <= 1 else f"/({den})") if den else num
        reasons = (["the sign is flipped"] if sign < 0 else []) + [
            why[k] for k in (tn, f"1/{td}" if td else "", nn, f"1/{nd}" if nd else "") if k]
        complexity = (sign < 0) + bool(tn or td) + 2 * bool(nn or nd)
        yield sign * t * n, complexity, ("-" if sign < 0 else "") + (symbol or "1"), reasons


def factor_name(c: float, counts: dict[str, int]) -> tuple[str, list[str]] | None:
    """The simplest named factor equal to ``c`` (its symbol and reasons), or None."""
    best = None
    for value, complexity, symbol, reasons in _candidates(counts):
        if abs(c - value) <= _SNAP * abs(value) and (best is None or complexity < best[0]):
            best = (complexity, symbol, reasons)
    return None if best is None or best[1] == "1" else (best[1], best[2])


def _is_one(c: float) -> bool:
    return abs(c - 1.0) <= _SNAP


def _factor(c: float, counts: dict[str, int], kinds: tuple[str, ...], short: str, text: str
            ) -> Diagnosis:
    """A diagnosis for ``G = c * X``, X being what ``text`` describes."""
    if _is_one(c):
        return Diagnosis(kinds, 1.0, short, text)
    named = factor_name(c, counts)
    if named is None:
        extra = f"off by a factor {c:.4g}"
        return Diagnosis(kinds + ("factor",), c, f"{short}, {extra}" if short else extra,
                         f"{text}, times {c:.4g}" if text else f"yours = {c:.4g} x the true "
                         "gradient: a constant factor is wrong")
    symbol, reasons = named
    kind = ("sign",) if symbol == "-1" else ("factor",) if "-" not in symbol else \
        ("sign", "factor")
    label = KINDS["sign"].label if symbol == "-1" else f"factor {symbol}"
    lead = f"{text}, times {symbol}" if text else f"yours = {symbol} x the true gradient"
    return Diagnosis(kinds + kind, c, f"{short}, {label}" if short else label,
                     f"{lead}: {'; '.join(reasons)}")


def diagnose(G: np.ndarray, T: np.ndarray, index: int, variants: Any, counts: dict[str, int],
             atol: float, rtol: float, transposed: bool = False,
             preferred: Iterable[Any] = ()) -> Diagnosis:
    """Explain ``G`` (the user's gradient of parameter ``index``, same shape as ``T``).

    ``variants()`` gives the mistakes to try (:class:`~.mistake_kinds.Variant`, made on first
    use);
    ``transposed`` says ``G`` was transposed to fit, which every diagnosis then names;
    ``preferred`` mistakes (those that explain other parameters) win over a factor when
    they fit exactly.
    """
    pre = ("transposed",) if transposed else ()
    short = "transposed" if transposed else ""
    text = "yours is the transpose of the true gradient" if transposed else ""
    big = atol + rtol * float(np.max(np.abs(T), initial=0.0))
    if float(np.max(np.abs(G), initial=0.0)) <= atol:
        if float(np.max(np.abs(T), initial=0.0)) <= atol:
            return Diagnosis(pre, 1.0, short, text)
        for variant in variants():  # a dropped term may leave exactly nothing
            if variant.mistake.can_zero and not np.any(np.abs(variant.grads[index]) > atol):
                return Diagnosis(pre + (variant.kind, "zero"), 0.0, variant.mistake.label,
                                 f"yours is all zeros: it {variant.text}")
        return Diagnosis(pre + ("zero",), 0.0, KINDS["zero"].label, "yours is all zeros but "
                         "the true gradient is not: a term (or the whole path to this "
                         "parameter) is dropped")
    if float(np.max(np.abs(T), initial=0.0)) <= atol:
        return Diagnosis(pre + ("unused",), 0.0, KINDS["unused"].label, "the loss does not "
                         f"depend on this parameter here (its true gradient is 0, within "
                         f"{big:.1e}), but yours is not zero")
    for variant in preferred:
        cv = fit(G, variant.grads[index], atol, rtol)
        if cv is not None and _is_one(cv) and not np.allclose(variant.grads[index], T,
                                                              rtol=rtol, atol=atol):
            return _mistake(variant, 1.0, counts, pre, short, text)
    c = fit(G, T, atol, rtol)
    if c is not None and (factor_name(c, counts) or (transposed and _is_one(c))):
        return _factor(c, counts, pre, short, text)
    if not transposed and G.ndim == 2 and G.shape[0] == G.shape[1] > 1:
        ct = fit(G.T, T, atol, rtol)
        if ct is not None:
            return _factor(ct, counts, ("transposed",), "transposed",
                           "yours is the transpose of the true gradient")
    for variant in variants():
        X = variant.grads[index]
        if np.allclose(X, T, rtol=rtol, atol=atol):
            continue  # this mistake would not change this gradient
        cv = fit(G, X, atol, rtol)
        if cv is not None and (_is_one(cv) or factor_name(cv, counts)):
            return _mistake(variant, cv, counts, pre, short, text)
    if c is not None and not _is_one(c):  # no mistake explains it (a single number: any does)
        return _factor(c, counts, pre, short, text)
    return _unknown(G, T, pre, short, atol, rtol)


def _mistake(variant: Any, c: float, counts: dict[str, int], pre: tuple[str, ...], short: str,
             text: str) -> Diagnosis:
    """A diagnosis for ``G = c * (the gradient this mistake gives)``."""
    label = variant.mistake.label
    d = _factor(c, counts, pre + (variant.kind,), f"{short}, {label}" if short else label,
                f"{text}, and {variant.text}" if text else f"yours {variant.text}")
    return replace(d, variant=variant)


def in_terms(d: Diagnosis, truth: str) -> Diagnosis:
    """The diagnosis with "the true gradient" said as ``truth`` (what the update needs)."""
    return replace(d, detail=d.detail.replace("the true gradient", truth))


def _unknown(G: np.ndarray, T: np.ndarray, pre: tuple[str, ...], short: str, atol: float,
             rtol: float) -> Diagnosis:
    """No simple pattern: say which entries are wrong (whole rows or columns, if so)."""
    wrong = np.abs(G - T) > atol + rtol * np.abs(T)
    where = f"{int(wrong.sum())} of {wrong.size} entries are wrong"
    if wrong.ndim == 2 and wrong.size > 1:
        rows, cols = np.flatnonzero(wrong.any(axis=1)), np.flatnonzero(wrong.any(axis=0))
        if len(cols) < wrong.shape[1]:
            where += f", all in column{'s' * (len(cols) > 1)} {_list(cols)}"
        elif len(rows) < wrong.shape[0]:
            where += f", all in row{'s' * (len(rows) > 1)} {_list(rows)}"
    unknown = KINDS["unknown"].label
    label = f"{short}, {unknown}" if short else unknown
    return Diagnosis(pre + ("unknown",), float("nan"), label,
                     f"{where}; no sign, factor, transpose, misplaced derivative or dropped "
                     "term explains it")


def _list(indices: np.ndarray) -> str:
    items = [str(int(i)) for i in indices[:8]]
    return ", ".join(items) + (", ..." if len(indices) > 8 else "")
