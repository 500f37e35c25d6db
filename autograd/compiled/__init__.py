"""Compiled batch execution: record a per-sample scalar graph once, run it on whole batches.

The scalar engine is for seeing and checking; training on real data needs array speed.
``compile_batch`` calls a per-sample function ``fn(xs, ys) -> (outputs, loss)`` once on
leaf ``Value``s, reads the graph it builds (the single source of truth: no layer is
re-implemented), groups same-op nodes of the same depth into numpy operations and fuses
dense layers into matrix products. The program's loss, outputs and gradients equal the
scalar engine's per-sample results summed over the batch.

>>> import numpy as np
>>> from autograd import Value, dot
>>> w, b = [Value(0.5), Value(-1.0)], Value(0.25)
>>> def fn(xs, ys):
...     out = dot(w, xs) + b
...     return [out], (out - ys[0]) ** 2
>>> X, Y = np.array([[1.0, 2.0], [3.0, 0.0]]), np.array([[0.0], [1.0]])
>>> program = compile_batch(fn, w + [b], X, Y)
>>> outputs, losses = program.forward(X, Y)
>>> outputs.ravel().tolist(), losses.tolist()
([-1.25, 1.75], [1.5625, 0.5625])
>>> program.backward().tolist()  # d(sum of losses) / d(w0, w1, b)
[2.0, -5.0, -1.0]
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..engine import Value
from ..errors import CompileError
from .lower import lower as _lower
from .program import BatchProgram, as_batch
from .record import SampleFn
from .record import record as _record
from .rules import register_vectorized
from .threads import resolve_threads
from .verify import check_program

__all__ = ["BatchProgram", "compile_batch", "register_vectorized"]


def compile_batch(fn: SampleFn, params: Sequence[Value], X: object, Y: object,
                  check_samples: int = 3, dtype: object = np.float64,
                  threads: int | None = None) -> BatchProgram:
    """Compile ``fn(xs, ys) -> (outputs, loss)`` for batches of ``X`` (and targets ``Y``).

    ``params`` are the trainable leaves (``model.parameters()``); any other leaf the
    function creates is a constant. ``X`` and ``Y`` are sample arrays ``(n, width)``
    (a 1-D ``Y`` is one target per sample): ``fn`` is recorded on sample 0, then
    re-recorded and checked on up to ``check_samples`` others. Raises ``CompileError``
    when the graph depends on the input values or uses an op with no vectorized rule.
    The program's ``params`` list the parameters in ``theta`` order (each dense layer's
    weights first, as one contiguous block). ``dtype=np.float32`` trades the exact
    match (float64, the default) for speed: results then agree to about 1e-5.
    ``threads`` is how many BLAS threads the program's matrix products use: None (the
    default) gives one per core that the load average leaves idle, at least 1
    (``BatchProgram.threads`` can change it later); an explicit count needs threadpoolctl.
    """
    threads = resolve_threads(threads, "compile_batch")
    X = as_batch(X, _width(X), "X")
    Y = as_batch(Y, _width(Y), "Y")
    if len(X) == 0 or len(X) != len(Y):
        raise CompileError(f"compile_batch needs samples: X has {len(X)} rows, Y {len(Y)}")
    param_sig: dict[Value, tuple] = {}
    for p in params:
        if not isinstance(p, Value) or p._fn is not None:
            raise CompileError(f"parameters must be leaf Values, got {p!r}")
        if p not in param_sig:
            param_sig[p] = ("p", len(param_sig))
    rec0 = _record(fn, param_sig, X[0], Y[0])
    plan = _lower(rec0, X.shape[1], Y.shape[1], len(param_sig))
    program = BatchProgram(plan, list(param_sig), dtype, threads)
    check_program(program, fn, param_sig, rec0, X, Y, check_samples)
    return program


def _width(data: object) -> int:
    arr = np.asarray(data, dtype=np.float64)
    return 1 if arr.ndim == 1 else (arr.shape[1] if arr.ndim == 2 else -1)
