"""The mistakes made in backprop by hand, one row each (as ``check_backprop``'s table holds
its own): a node's gradient against the chain-rule sum it should equal, and why it is off.

A row's test reads one wrong gradient (:class:`HandGrad`: yours, the sum, its terms) and
returns the diagnosis as a sentence, or None; :func:`diagnose` tries the rows in order.
Numbers agree to 4 significant digits (:func:`same_to_4`), as the lab's predict mode checks.

>>> same_to_4(0.70711, 0.7071), same_to_4(0.7075, 0.7071)
(True, False)
>>> [m.kind for m in HAND_MISTAKES]
['seed', 'zero', 'sign', 'accumulate', 'local', 'unknown']
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["HAND_MISTAKES", "KINDS", "HandGrad", "HandMistake", "Term", "d_text", "diagnose",
           "fmt", "num_text", "same_to_4"]


def same_to_4(yours: float, right: float) -> bool:
    """Whether ``yours`` is ``right`` to 4 significant digits (as predict mode checks): a
    right value of 0 takes anything under 5e-5."""
    if yours == right:
        return True
    if not (math.isfinite(yours) and math.isfinite(right)):
        return False
    if right == 0 or abs(right) < 5e-5 and abs(yours) < 5e-5:
        return abs(yours) < 5e-5
    return f"{yours:.3e}" == f"{right:.3e}" or abs(yours - right) <= 5e-4 * abs(right)


def fmt(x: float) -> str:
    """A number as the lab writes it: four decimals, never ``-0.0000``, exponents when
    tiny or huge (``-1.2735e-07``), so no gradient reads as 0 when it is not."""
    a = abs(x)
    if math.isfinite(x) and a != 0 and (a < 1e-4 or a >= 1e9):
        return f"{x:.4e}"
    text = f"{x:.4f}"
    return "0.0000" if text == "-0.0000" else text


def num_text(x: float) -> str:
    """A number inside a formula: negatives in parentheses, ``0.5000 * (-3.0000)``."""
    text = fmt(x)
    return f"({text})" if text.startswith("-") else text


def _word(name: str) -> str:
    """A name as one word in a formula: ``x1``, ``(x1*w1)``."""
    return name if name.isidentifier() else f"({name})"


def d_text(top: str, bottom: str) -> str:
    """``do/dn``; names that are not plain words in parentheses: ``d(x1*w1)/dw1``."""
    return f"d{_word(top)}/d{_word(bottom)}"


@dataclass(frozen=True)
class Term:
    """One use of a node: ``user.grad * d(user)/d(node)``, with the learner's ``user.grad``."""

    user: str  # the name of the node that uses it
    upstream: float  # the learner's user.grad
    local: float  # d(user)/d(node) for this use
    rule: str  # the local rule in the graph's names (``x1``, ``1 - o**2``), or ""
    near: tuple[tuple[str, float], ...]  # numbers a wrong local derivative is often taken from

    @property
    def value(self) -> float:
        return self.upstream * self.local


@dataclass(frozen=True)
class HandGrad:
    """One node's hand-set gradient that is wrong: yours, the sum it should equal, why."""

    name: str
    number: int  # the node's index in topo_order
    yours: float
    expected: float  # the chain-rule sum from your own upstream gradients
    true: float  # the true gradient (what backward gives)
    terms: tuple[Term, ...]  # empty for the root (its gradient is the seed, 1)
    kind: str  # a row of HAND_MISTAKES
    why: str  # the diagnosis, one sentence

    @property
    def label(self) -> str:
        return KINDS[self.kind].label

    def sum_text(self) -> str:
        """``w1.grad should be (x1*w1).grad * d(x1*w1)/dw1 = 0.5000 * 2.0000 = 1.0000``."""
        if not self.terms:
            return f"{self.name}.grad should be 1 ({d_text(self.name, self.name)}, the seed)"
        names = " + ".join(f"{_word(t.user)}.grad * {d_text(t.user, self.name)}"
                           for t in self.terms)
        numbers = " + ".join(f"{num_text(t.upstream)} * {num_text(t.local)}" for t in self.terms)
        return f"{self.name}.grad should be {names} = {numbers} = {fmt(self.expected)}"

    def __str__(self) -> str:
        return (f"{self.name}.grad is {fmt(self.yours)}: {self.label}\n  {self.sum_text()}\n"
                f"  {self.why}")


def _seed(g: HandGrad) -> str | None:
    if g.terms:
        return None
    return "the output's gradient with respect to itself is 1 (the seed)"


def _zero(g: HandGrad) -> str | None:
    if g.yours != 0:
        return None
    if same_to_4(g.expected, 0.0):
        return (f"{g.name}.grad was left at 0, and so were the gradients it is computed from: "
                f"its gradient is {fmt(g.true)}; work down from the output")
    return f"{g.name}.grad was left at 0: set it to the sum above"


def _sign(g: HandGrad) -> str | None:
    if not same_to_4(g.yours, -g.expected):
        return None
    return f"the sign is off: the sum is {fmt(g.expected)}, yours is {fmt(g.yours)}"


def _partial_sums(terms: tuple[Term, ...]) -> list[tuple[str, float]]:
    """What a gradient holds when only some uses were added: one term, or one user's."""
    out = [(f"the term from {t.user} ({num_text(t.upstream)} * {num_text(t.local)})", t.value)
           for t in terms]
    users = dict.fromkeys(t.user for t in terms)
    if len(users) > 1:
        out += [(f"the terms from {u}", sum(t.value for t in terms if t.user == u))
                for u in users]
    return out


def _accumulate(g: HandGrad) -> str | None:
    if len(g.terms) < 2:
        return None
    for what, value in _partial_sums(g.terms):
        if same_to_4(g.yours, value):
            uses = len(g.terms)
            return (f"{g.name} is used {uses} times and yours holds only {what}: a gradient "
                    f"adds up (+=) over every use, it is not replaced")
    return None


def _local(g: HandGrad) -> str | None:
    movable = [t for t in g.terms if t.upstream != 0]
    if not movable:
        return None
    picked = None
    for t in movable:  # the use whose local derivative explains your number
        implied = (g.yours - (g.expected - t.value)) / t.upstream
        taken = next((what for what, x in t.near if same_to_4(implied, x)), None)
        if taken or picked is None:
            picked = (t, implied, taken)
        if taken:
            break
    t, implied, taken = picked  # type: ignore[misc]
    which = "a local derivative is off" if len(movable) > 1 else "the local derivative is off"
    rule = f"{t.rule} = " if t.rule and t.rule != fmt(t.local) else ""
    d = d_text(t.user, g.name)
    return (f"{which}: your answer means {d} = {fmt(implied)}"
            + (f" ({taken})" if taken else "") + f"; the rule gives {d} = {rule}{fmt(t.local)}")


def _unknown(g: HandGrad) -> str:
    if g.terms and all(t.upstream == 0 for t in g.terms):
        if same_to_4(g.true, 0.0):
            return (f"every gradient upstream of {g.name} is 0, so nothing flows back to it: "
                    f"its gradient is 0")
        return (f"the gradients you set upstream of {g.name} are 0, so the sum above is 0, "
                f"but its gradient is {fmt(g.true)}: set those first, working down from the "
                f"output")
    return "no simple pattern: compute the sum above"


@dataclass(frozen=True)
class HandMistake:
    """A mistake made by hand in backprop: its kind, its short label, what it is, and a
    test giving the diagnosis (None: not this one)."""

    kind: str
    label: str
    doc: str
    test: Callable[[HandGrad], str | None]


HAND_MISTAKES: tuple[HandMistake, ...] = (
    HandMistake("seed", "the seed", "the output's gradient is not 1", _seed),
    HandMistake("zero", "left at 0", "a node's gradient never set", _zero),
    HandMistake("sign", "sign flipped", "yours = -1 x the sum", _sign),
    HandMistake("accumulate", "not accumulated", "a node used several times (a + a) got "
                "one use's term, not the sum", _accumulate),
    HandMistake("local", "wrong local derivative", "a use's d(user)/d(node) is off", _local),
    HandMistake("unknown", "no simple pattern", "no row of this table explains it", _unknown),
)
KINDS = {m.kind: m for m in HAND_MISTAKES}


def diagnose(g: HandGrad) -> HandGrad:
    """``g`` with the kind and the sentence of the first row of the table that explains it."""
    for mistake in HAND_MISTAKES:
        why = mistake.test(g)
        if why is not None:
            return HandGrad(g.name, g.number, g.yours, g.expected, g.true, g.terms,
                            mistake.kind, why)
    raise AssertionError("the table's last row explains everything")  # pragma: no cover
