"""The scalar floor: the least a pure-Python reverse-mode engine can do, as a measuring stick.

:class:`Value` here is written only to time against: five slots, a number operand folded
into its node, the local derivatives computed in forward and stored on the node, and a
creation-order tape, so backward is one loop over the tape with no walk, no checks, no
hooks, no interrupt safety and no memory given back (the tape is global, one graph at a
time). Nothing in the project uses it. ``make bench`` prints our forward+backward time
over the floor's on the workloads the scalar engine is judged by.
"""

from __future__ import annotations

import gc
import statistics
import time
from collections.abc import Callable

import autograd
from benchmarks import workloads as w

__all__ = ["ROWS", "TARGET", "Value", "main", "pair_ratio"]

TARGET = 1.5  # ours / floor, forward+backward

_tape: list[Value] = []  # every op node, in creation order


class Value:
    """A scalar with at most two inputs ``_a``, ``_b`` and their local derivatives."""

    __slots__ = ("data", "grad", "_a", "_da", "_b", "_db")

    def __init__(self, data: float) -> None:
        self.data = data
        self.grad = 0.0
        self._a = self._b = None

    def __add__(self, other: Value | float) -> Value:
        out = Value.__new__(Value)
        out.grad = 0.0
        out._a, out._da = self, 1.0
        if type(other) is Value:
            out.data = self.data + other.data
            out._b, out._db = other, 1.0
        else:
            out.data = self.data + other
            out._b = None
        _tape.append(out)
        return out

    def __mul__(self, other: Value | float) -> Value:
        out = Value.__new__(Value)
        out.grad = 0.0
        out._a = self
        if type(other) is Value:
            out.data = self.data * other.data
            out._da, out._b, out._db = other.data, other, self.data
        else:
            out.data = self.data * other
            out._da, out._b = other, None
        _tape.append(out)
        return out

    def relu(self) -> Value:
        out = Value.__new__(Value)
        x = self.data
        out.data = x if x > 0 else 0.0
        out.grad = 0.0
        out._a, out._da, out._b = self, 1.0 if x > 0 else 0.0, None
        _tape.append(out)
        return out

    def backward(self) -> None:
        """Every op node created up to this one, last first, passes its grad on."""
        tape = _tape
        end = len(tape)
        while tape[end - 1] is not self:
            end -= 1
        self.grad = 1.0
        for node in reversed(tape[:end]):
            g = node.grad
            node._a.grad += g * node._da
            b = node._b
            if b is not None:
                b.grad += g * node._db
        tape.clear()


ROWS = [
    ("user chain (y*1.0001+0.1).relu() x100k", w.user_chain, 3),
    ("10k fold acc = acc + w * x", w.fold, 7),
]


def pair_ratio(ours: Callable[[], object], floor: Callable[[], object], pairs: int,
               ) -> tuple[float, float, float]:
    """Median seconds of ours and of the floor, and the median of their ratio over
    neighbouring runs (each pair sees the same load, so the ratio moves less than times)."""
    t_ours, t_floor, ratios = [], [], []
    for _ in range(pairs):
        for run, times in ((ours, t_ours), (floor, t_floor)):
            gc.collect()  # neither pays for collecting the other's garbage
            start = time.perf_counter()
            run()
            times.append(time.perf_counter() - start)
        ratios.append(t_ours[-1] / t_floor[-1])
    return statistics.median(t_ours), statistics.median(t_floor), statistics.median(ratios)


def main(quick: bool = False) -> None:
    """Print the table: ours vs the floor on each scalar workload."""
    print()
    header = f"{'scalar floor (forward+backward)':40} {'ours ms':>9} {'floor ms':>9} " \
             f"{'ours/floor':>11} {'target':>7}"
    print(header)
    print("-" * len(header))
    for name, make, pairs in ROWS:
        ours, theirs, ratio = pair_ratio(make(autograd.Value), make(Value), 1 if quick else pairs)
        print(f"{name:40} {ours * 1e3:>9.1f} {theirs * 1e3:>9.1f} {ratio:>10.2f}x "
              f"{'<=' + format(TARGET, 'g') + 'x':>7}")


if __name__ == "__main__":
    main()
