"""Verify a compiled program against the scalar engine on a few more samples.

A recording is only valid for other samples if the graph's *structure* does not depend
on the input values (no Python ``if x.data > 0``, no constant computed from ``.data``,
no target used as a list index). :func:`check_program` re-records the function on a few
other samples, compares the signatures node by node, then checks that the compiled
forward reproduces every recorded node's value and that custom vectorized rules give
the same partials as their scalar rules.
"""

from __future__ import annotations

import numpy as np

from ..engine import Value
from ..errors import CompileError
from ..graph import local_partials
from .program import BatchProgram
from .record import Recording, SampleFn, describe, first_difference, record
from .steps import MapStep

__all__ = ["check_program", "pick_samples"]

# far above rounding noise, far below any structural change: (rtol, atol) per precision
TOLERANCE = {8: (1e-7, 1e-9), 4: (1e-3, 1e-4)}


def pick_samples(X: np.ndarray, Y: np.ndarray, count: int) -> list[int]:
    """Up to ``count`` samples other than 0, deterministically: new targets first, then spread."""
    n = len(X)
    picks: list[int] = []
    seen = {Y[0].tobytes()}
    for i in range(1, min(n, 1000)):
        if len(picks) == count:
            break
        key = Y[i].tobytes()
        if key not in seen:  # a different label exercises label-dependent structure
            seen.add(key)
            picks.append(i)
    for i in np.linspace(1, n - 1, num=count).round().astype(int) if n > 1 else ():
        if len(picks) < count and int(i) not in picks:
            picks.append(int(i))
    return sorted(picks)


def _structure_error(a: Recording, b: Recording, sample: int, samples: list[int]) -> str:
    k = first_difference(a, b)
    head = ("the graph's structure depends on the input values, so one recording cannot "
            "serve every sample")
    tail = (f" (samples compared: {', '.join(map(str, samples))}). Keep the graph the same "
            "for every sample (write branches with ops such as relu, give one-hot targets "
            "instead of indexing by a label) or use the scalar engine.")
    if k is not None and k < min(len(a.sig), len(b.sig)):
        hint = ""
        if a.sig[k][0] == b.sig[k][0] == "c" and len(a.sig[k]) == len(b.sig[k]) == 2:
            hint = (" -- a number computed from .data (such as a max shift "
                    "max(v.data for v in zs)) is baked in as a constant; compute it with ops "
                    "instead (m = m + (z - m).relu())")
        return (f"{head}: node {describe(a, k)} on sample 0 is node {describe(b, k)} on "
                f"sample {sample}{hint}{tail}")
    return (f"{head}: sample 0 records {len(a.sig)} nodes (outputs at "
            f"{a.outputs}, loss at #{a.loss}) but sample {sample} records {len(b.sig)} "
            f"(outputs at {b.outputs}, loss at #{b.loss}){tail}")


def _close(compiled: np.ndarray, scalar: np.ndarray) -> np.ndarray:
    rtol, atol = TOLERANCE.get(compiled.dtype.itemsize, TOLERANCE[4])
    compiled = compiled.astype(np.float64)
    same = (compiled == scalar) | (np.isnan(compiled) & np.isnan(scalar))
    with np.errstate(all="ignore"):
        return same | (np.abs(compiled - scalar) <= atol + rtol * np.abs(scalar))


def _numbers(program: BatchProgram, rec: Recording, row: int, sample: int,
             ops: list[int]) -> None:
    A = program._A
    cols = np.array([program.plan.node_col[k] for k in ops], dtype=np.intp)
    scalar = np.array([rec.order[k].data for k in ops])
    ok = _close(A[row, cols], scalar)
    if not ok.all():
        j = int(np.argmin(ok))
        raise CompileError(
            f"the compiled forward differs from the scalar engine at node "
            f"{describe(rec, ops[j])} on sample {sample}: scalar {float(scalar[j])!r}, compiled "
            f"{float(A[row, cols[j]])!r} (a vectorized rule disagrees with its scalar rule, or "
            "the graph depends on input values in a way its structure does not show)")


def _custom_partials(program: BatchProgram, rec: Recording) -> None:
    A = program._A[:1]
    for step in program.plan.steps:
        step = getattr(step, "inner", step)  # a step run once per batch, on one row
        if not isinstance(step, MapStep) or step.rule.builtin:
            continue
        args = [A[:, s] for s, _ in step.targets]
        parts = step.rule.partials(args, A[:, step.out], step.value)
        for j, k in enumerate(step.nodes):
            _, scalar = local_partials(rec.order[k])
            for i, (p, s) in enumerate(zip(parts, scalar)):
                got = np.broadcast_to(np.asarray(p, dtype=A.dtype), A[:, step.out].shape)
                if not _close(got[:1, j], np.array([float(s)])).all():
                    raise CompileError(
                        f"vectorized partials of {step.rule.name!r} disagree with its scalar "
                        f"rule at node {describe(rec, k)}, input {i}: scalar {float(s)!r}, "
                        f"vectorized {float(got[0, j])!r}")


def check_program(program: BatchProgram, fn: SampleFn, param_sig: dict[Value, tuple],
                  rec0: Recording, X: np.ndarray, Y: np.ndarray, count: int) -> list[int]:
    """Raise ``CompileError`` unless the program matches the scalar engine on more samples.

    Returns the samples checked (0 first). One extra recording is alive at a time.
    """
    samples = [0] + pick_samples(X, Y, count)
    program.forward(X[samples], Y[samples])
    ops = [k for k, entry in enumerate(rec0.sig) if len(entry) == 3]
    _numbers(program, rec0, 0, 0, ops)
    _custom_partials(program, rec0)
    for row, sample in enumerate(samples[1:], start=1):
        rec = record(fn, param_sig, X[sample], Y[sample])
        if first_difference(rec0, rec) is not None:
            raise CompileError(_structure_error(rec0, rec, sample, samples))
        _numbers(program, rec, row, sample, ops)
    return samples
