"""The vectorized rules table against the scalar op table, row by row.

Every built-in op must have a vectorized rule (an op added to ``autograd.ops`` without
one fails here), and each rule must give the scalar forward and partials, kinks and
IEEE edge values included.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from autograd.compiled.rules import RULES
from autograd.ops import FLOAT, OPS, bind

BUILTIN = sorted(name for name, op in OPS.items() if op.builtin)
SPECIAL = [-math.inf, -800.0, -1.0, -0.0, 0.0, 1e-300, 1.0, 800.0, math.inf, math.nan]
UNCHECKED = ["neg", "abs", "exp", "tanh", "sigmoid", "relu", "leaky_relu", "sin", "cos",
             "softplus"]


def same(a: np.ndarray, b: np.ndarray) -> bool:
    a, b = np.broadcast_arrays(np.asarray(a, float), np.asarray(b, float))
    both_nan = np.isnan(a) & np.isnan(b)
    close = np.isclose(a, b, rtol=1e-12, atol=1e-300) | (a == b)
    return bool((close | both_nan).all())


def bound_ops(name: str):
    op = OPS[name]
    if op.param is None:
        return [(op, None)]
    return [(bind(op, v), v) for v in (op.default,) + op.examples if v is not None]


def points(op, rng) -> np.ndarray:
    """(samples, arity) points inside the op's sampling domain, kinks included."""
    lo_hi = op.domain if len(op.domain) == op.arity else op.domain * op.arity
    cols = [rng.uniform(lo, hi, 40) for lo, hi in lo_hi]
    pts = np.stack(cols, axis=1)
    for kink in op.kinks:  # where the forward is defined there (relu, abs: yes; log: no)
        row = pts[0].copy()
        row[0] = kink
        if op.check is None or op.check(*row) is None:
            pts = np.vstack([pts, row])
    return pts


def compare_map(op, value, pts: np.ndarray) -> None:
    rule = RULES[op.name]
    args = [pts[:, i].reshape(-1, 2) if len(pts) % 2 == 0 else pts[:, i:i + 1]
            for i in range(pts.shape[1])]
    with np.errstate(all="ignore"):
        out = rule.forward(args, value)
        parts = rule.partials(args, out, value)
    flat = [a.ravel() for a in args]
    for j in range(flat[0].size):
        xs = [float(a[j]) for a in flat]
        scalar_out = op.forward(*xs)
        scalar_parts = op.partials(FLOAT, *xs, scalar_out)
        assert same(out.ravel()[j], scalar_out), (op.name, value, xs, out.ravel()[j], scalar_out)
        for p, s in zip(parts, scalar_parts):
            got = np.broadcast_to(p, out.shape).ravel()[j]
            assert same(got, s), (op.name, value, xs, "partial", got, s)


def test_every_builtin_op_has_a_vectorized_rule():
    missing = [name for name in BUILTIN if name not in RULES]
    assert not missing, f"ops without a vectorized rule in autograd/compiled/rules.py: {missing}"


@pytest.mark.parametrize("name", BUILTIN)
def test_rule_matches_scalar_rule(name):
    rng = np.random.default_rng(len(name))
    for op, value in bound_ops(name):
        if op.arity is None:  # sum / dot: (batch, group, n) blocks
            rule = RULES[name]
            blocks = [rng.uniform(-3, 3, (3, 4, 5)) for _ in range(rule.parts)]
            out = rule.forward(blocks, value)
            parts = rule.partials(blocks, out, value)
            for b in range(3):
                for g in range(4):
                    xs = [float(v) for block in blocks for v in block[b, g]]
                    scalar_out = op.forward(xs)
                    assert same(out[b, g], scalar_out)
                    scalar_parts = op.partials(FLOAT, xs, scalar_out)
                    got = [float(v) for p in parts
                           for v in np.broadcast_to(p, blocks[0].shape)[b, g]]
                    assert same(np.array(got), np.array(scalar_parts, dtype=float))
        else:
            compare_map(op, value, points(op, rng))


@pytest.mark.parametrize("name", UNCHECKED)
def test_rule_matches_scalar_rule_at_ieee_edges(name):
    for op, value in bound_ops(name):
        compare_map(op, value, np.array(SPECIAL).reshape(-1, 1))


def test_kink_conventions():
    x = [np.array([[0.0, -0.0]])]
    relu = RULES["relu"]
    assert relu.partials(x, relu.forward(x, None), None)[0].tolist() == [[0.0, 0.0]]
    assert RULES["abs"].partials(x, None, None)[0].tolist() == [[0.0, 0.0]]
    assert RULES["leaky_relu"].partials(x, None, 0.2)[0].tolist() == [[0.2, 0.2]]


@pytest.mark.parametrize("name,inputs", [
    ("log", [[-1.0, 0.0, 1.0]]), ("sqrt", [[-1.0, 0.0, 1.0]]),
    ("div", [[1.0, 1.0, 1.0], [0.0, -0.0, 2.0]])])
def test_domain_masks_match_scalar_checks(name, inputs):
    op, rule = OPS[name], RULES[name]
    args = [np.array([row]) for row in inputs]
    mask = rule.bad(args, None).ravel()
    expected = [op.check(*[row[j] for row in inputs]) is not None for j in range(3)]
    assert mask.tolist() == expected


@pytest.mark.parametrize("n", [2.0, 0.5, -1.0, -2.5])
def test_pow_domain_mask_matches_scalar_check(n):
    op = bind(OPS["pow"], n)
    xs = np.array([[-2.0, -0.0, 0.0, 1.5]])
    mask = RULES["pow"].bad([xs], n).ravel()
    assert mask.tolist() == [op.check(float(x)) is not None for x in xs.ravel()]
