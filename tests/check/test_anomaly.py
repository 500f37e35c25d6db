"""detect_anomaly: creation sites, NaN/inf errors that name op, node and line; off by default."""

from __future__ import annotations

import gc
import math

import pytest

import autograd
from autograd import Value, detect_anomaly, grad
from autograd.modes import MODES


def test_off_by_default_and_nothing_recorded():
    assert MODES.record_origin is None and MODES.anomaly_check is None and MODES.on_create is None
    x = Value(0.0, label="x")
    y = x.sqrt()
    y.backward()  # an inf gradient is a value, not an error, when anomaly mode is off
    assert x.grad == math.inf
    assert y._meta is None and x._meta.origin is None


def test_inf_gradient_names_op_node_values_and_source_line():
    with detect_anomaly():
        x = Value(0.0, label="x")
        y = x.sqrt()
        y.label = "y"
        z = y * 3.0
        with pytest.raises(FloatingPointError) as info:
            z.backward()
    lines = str(info.value).splitlines()
    assert lines[0] == ("backward: inf in the gradient of node 'x' from op 'sqrt' (node 'y', "
                        "value 0, inputs [0])")
    assert lines[1] == "  cause: the local derivative of sqrt is inf at these inputs; " \
                       "contribution inf"
    assert lines[2].startswith("  node 'y' was created at ") and "test_anomaly.py:" in lines[2]
    assert lines[2].endswith(": y = x.sqrt()")
    assert lines[3].endswith(': x = Value(0.0, label="x")')


def test_nan_from_zero_times_inf_is_reported_as_nan():
    with detect_anomaly():
        x = Value(0.0, label="x")
        y = x.sqrt() * 0.0
        with pytest.raises(FloatingPointError, match=r"backward: nan in the gradient of node 'x' "
                                                     r"from op 'sqrt'"):
            y.backward()


def test_origin_is_a_short_string_naming_the_users_line():
    with detect_anomaly():
        a = Value(1.0)
        s = autograd.sum([a, a * 2.0])  # built inside autograd, recorded at this line
    origin = s._meta.origin
    assert isinstance(origin, str)
    path, line, text = origin.split(":", 2)
    assert path.endswith("test_anomaly.py") and int(line) > 0
    assert text.strip() == "s = autograd.sum([a, a * 2.0])  # built inside autograd, " \
                           "recorded at this line"


def test_restored_on_exit_after_an_error_and_when_nested():
    outer = detect_anomaly()
    with outer:
        with detect_anomaly():
            assert MODES.anomaly_check is not None
        assert MODES.anomaly_check is not None and MODES.record_origin is not None
        with pytest.raises(FloatingPointError):
            with detect_anomaly():
                Value(0.0).sqrt().backward()
        assert MODES.anomaly_check is not None
    assert MODES.anomaly_check is None and MODES.record_origin is None


def test_same_instance_nests_and_works_as_decorator():
    mode = detect_anomaly()
    with mode:
        with mode:
            pass
        assert MODES.record_origin is not None
    assert MODES.record_origin is None

    @detect_anomaly()
    def make():
        return Value(2.0) * 3

    assert "return Value(2.0) * 3" in make()._meta.origin
    assert MODES.record_origin is None


def test_finite_backward_is_unchanged_under_anomaly_mode():
    x = Value(0.5, label="x")
    y = (x * x).tanh() + x.exp()
    y.backward()
    expected = x.grad
    x.grad = 0.0
    with detect_anomaly():
        y2 = (x * x).tanh() + x.exp()
        y2.backward()
    assert x.grad == expected


def test_higher_order_gradients_are_checked_too():
    with detect_anomaly():
        x = Value(1.0, label="x")
        y = (x * 1000.0).exp()
        with pytest.raises(FloatingPointError, match=r"inf in the gradient of unlabeled node "
                                                     r"\(output of mul\) from op 'exp'"):
            grad(y, [x], create_graph=True)


def test_graphs_made_under_anomaly_mode_have_no_reference_cycles():
    gc.collect()
    gc.disable()
    try:
        with detect_anomaly():
            x = Value(1.0, label="x")
            y = x
            for _ in range(50):
                y = (y * 1.01).tanh() + x
            y.backward()
        del x, y
        found = gc.collect()
    finally:
        gc.enable()
    assert found == 0
