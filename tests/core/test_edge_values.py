"""NaN, inf and signed zeros: values and gradients as PyTorch gives them, in both engines.

The expected numbers are PyTorch's (CPU, float64), so a user comparing the two sees the
same thing; the scalar rules (``autograd.ops``) and the vectorized ones
(``autograd.compiled.rules``) must agree at every edge value, for every op.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest

from autograd import Value, grad, hessian, logsumexp
from autograd.compiled.rules import RULES
from autograd.errors import AutogradError
from autograd.ops import FLOAT, OPS, bind

INF, NAN = math.inf, math.nan
EDGES = (NAN, INF, -INF, 0.0, -0.0, 5e-324, 1e308, -1e308, 1.0, -1.0, 0.5, -2.0)


def same(a: float, b: float) -> bool:
    """Equal as PyTorch prints them: nan equals nan, -0.0 equals 0.0."""
    return (math.isnan(a) and math.isnan(b)) or a == b


def _all_same(xs, ys) -> bool:
    return len(xs) == len(ys) and all(same(float(a), float(b)) for a, b in zip(xs, ys))


@pytest.mark.parametrize("xs, out, grads", [
    ([INF, NAN], NAN, [NAN, NAN]),
    ([-INF, NAN], NAN, [NAN, NAN]),
    ([NAN, INF], NAN, [NAN, NAN]),
    ([1.0, NAN, 2.0], NAN, [NAN, NAN, NAN]),
    ([INF, 1.0], INF, [NAN, 0.0]),
    ([INF, INF], INF, [NAN, NAN]),
    ([-INF, -INF], -INF, [NAN, NAN]),
    ([-INF, 1.0], 1.0, [0.0, 1.0]),
])
def test_logsumexp_with_nan_and_inf_is_pytorchs(xs, out, grads):
    vs = [Value(x) for x in xs]
    y = logsumexp(vs)
    y.backward()
    assert same(y.data, out) and _all_same([v.grad for v in vs], grads)
    rule = RULES["logsumexp"]
    block = [np.array([[xs]])]  # (batch 1, group 1, n)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        vout = rule.forward(block, None)
        vgrads = rule.partials(block, vout, None)[0]
    assert same(float(vout[0, 0]), out) and _all_same(vgrads[0, 0], grads)


@pytest.mark.parametrize("base", [NAN, 0.0, -0.0, 5e-324, 2.0, -3.0, INF])
def test_the_derivative_of_x_to_the_zero_is_zero_for_any_base(base):
    x = Value(base)
    (x**0).backward()
    assert x.grad == 0.0
    a, b = Value(base), Value(0.0)
    (a**b).backward()
    assert a.grad == 0.0, base  # PyTorch's pow_backward masks exponent == 0


def test_x_to_a_value_exponent_keeps_its_second_derivative_at_zero():
    # d/da a**b = b a**(b-1); d/db of that at b = 0 is 1/a: the mask must not drop it
    h = hessian(lambda a, b: a**b, [2.0, 0.0])
    assert h[0][1] == pytest.approx(0.5) and h[1][0] == pytest.approx(0.5)


@pytest.mark.parametrize("method, x, expected", [
    ("relu", NAN, 1.0),  # PyTorch: threshold_backward passes the gradient where not x <= 0
    ("relu", 0.0, 0.0),
    ("leaky_relu", NAN, 0.01),
    ("abs", NAN, 0.0),
    ("sqrt", -0.0, -INF),
    ("sqrt", 0.0, INF),
])
def test_derivatives_at_nan_and_signed_zero_are_pytorchs(method, x, expected):
    v = Value(x)
    getattr(v, method)().backward() if method != "abs" else abs(v).backward()
    assert same(v.grad, expected) and math.copysign(1, v.grad) == math.copysign(1, expected)
    w = Value(x)
    higher = grad(getattr(w, method)() if method != "abs" else abs(w), [w], create_graph=True)
    assert same(higher[0].data, expected)  # the graph-building rule gives the same number


def test_minus_zero_to_an_odd_negative_power_is_minus_inf_in_the_derivative():
    # d/da a**b at a = -0.0, b = 5e-324 is b * (-0.0)**(-1.0) = -inf (IEEE, numpy, PyTorch)
    a, b = Value(-0.0), Value(5e-324)
    (a**b).backward()
    assert a.grad == -INF


def _scalar(op, xs: tuple[float, ...]) -> tuple[float, list[float]] | None:
    """The scalar row's output and partials at ``xs``; None where the engine refuses them."""
    if op.check is not None and op.check(*xs) is not None:
        return None
    try:
        out = op.forward(*xs)
        return out, [float(p) for p in op.partials(FLOAT, *xs, out)]
    except (AutogradError, ArithmeticError, ValueError):
        return None


def _cases():
    for name, rule in RULES.items():
        op = OPS.get(name)
        if op is None or not op.builtin or rule.parts:
            continue
        bound = bind(op, op.examples[0] if op.examples else op.default) \
            if op.param else op
        points = [(x,) for x in EDGES] if op.arity == 1 else [
            (x, y) for x in EDGES for y in EDGES]
        for xs in points:
            scalar = _scalar(bound, xs)
            if scalar is not None:  # outside the domain the engine refuses, in both forms
                yield pytest.param(name, bound, xs, scalar, id=f"{name}{xs!r}")


@pytest.mark.parametrize("name, op, xs, scalar", list(_cases()))
def test_scalar_and_vectorized_rules_agree_at_every_edge_value(name, op, xs, scalar):
    rule = RULES[name]
    block = [np.array([[x]]) for x in xs]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        out = rule.forward(block, op.value)
        parts = [np.broadcast_to(p, (1, 1))[0, 0] for p in rule.partials(block, out, op.value)]
    assert same(float(out[0, 0]), scalar[0]), (float(out[0, 0]), scalar[0])
    assert _all_same(parts, scalar[1]), (parts, scalar[1])
