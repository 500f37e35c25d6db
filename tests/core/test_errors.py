"""Bad input: a typed error from ``autograd.errors``, also the built-in exception a Python
user expects, with a message naming the op, the value and the node."""

from __future__ import annotations

import numpy as np
import pytest

from autograd import Value, errors
from autograd.errors import (
    AutogradError,
    DivisionByZero,
    DomainError,
    HookError,
    InputTypeError,
    describe_node,
)


def x(v: float) -> Value:
    return Value(v, label="x")


def hooked() -> Value:
    a = Value(2.0, label="a")
    y = a * a
    y.label = "y"
    handle = y.register_hook(lambda g: "x")
    try:
        y.backward()
    finally:
        handle.remove()
    return y


# (what, raises, also a, message fragments that must all appear)
BAD = [
    (lambda: Value("3"), InputTypeError, TypeError,
     ["Value() expects a real number, got '3' (str)"]),
    (lambda: Value(True), InputTypeError, TypeError,
     ["Value() expects a real number, got True (bool)"]),
    (lambda: Value(None), InputTypeError, TypeError,
     ["Value() expects a real number, got None (NoneType)"]),
    (lambda: Value(1 + 2j), InputTypeError, TypeError,
     ["Value() expects a real number, got (1+2j) (complex)"]),
    (lambda: Value(np.bool_(True)), InputTypeError, TypeError,
     ["Value() expects a real number", "True", "bool"]),
    (lambda: Value([1.0]), InputTypeError, TypeError, ["got [1.0] (list)"]),
    (lambda: x(-1).log(), DomainError, ValueError,
     ["log of non-positive value -1.0 in node 'x'"]),
    (lambda: x(0).log(), DomainError, ValueError,
     ["log of non-positive value 0.0 in node 'x'"]),
    (lambda: x(-4).sqrt(), DomainError, ValueError,
     ["sqrt of negative value -4.0 in node 'x'"]),
    (lambda: 1 / x(0), DivisionByZero, ZeroDivisionError, ["div", "0.0", "node 'x'"]),
    (lambda: Value(1.0) / 0, DivisionByZero, ZeroDivisionError, ["div", "0.0"]),
    (lambda: x(-8) ** 0.5, DomainError, ValueError,
     ["pow", "-8.0", "0.5", "node 'x'", "complex"]),
    (lambda: x(-8) ** Value(0.5), DomainError, ValueError, ["pow", "-8.0", "node 'x'"]),
    (lambda: (-8) ** Value(0.5), DomainError, ValueError, ["pow", "-8.0"]),
    (lambda: x(0) ** -1, DivisionByZero, ZeroDivisionError, ["pow", "-1.0", "node 'x'"]),
    (lambda: 0 ** Value(-2.0), DivisionByZero, ZeroDivisionError, ["pow", "-2.0"]),
    (lambda: x(1) + "a", InputTypeError, TypeError, ["add", "'a' (str)"]),
    (lambda: "a" + x(1), InputTypeError, TypeError, ["add", "'a' (str)"]),
    (lambda: x(1) * None, InputTypeError, TypeError, ["mul", "None (NoneType)"]),
    (lambda: x(1) - [1], InputTypeError, TypeError, ["sub", "[1] (list)"]),
    (lambda: x(1) / "2", InputTypeError, TypeError, ["div", "'2' (str)"]),
    (lambda: x(1) ** "2", InputTypeError, TypeError, ["pow", "'2' (str)"]),
    (lambda: x(1) + True, InputTypeError, TypeError, ["add", "True (bool)"]),
    (hooked, HookError, TypeError, ["node 'y'", "'x' (str)"]),
]


@pytest.mark.parametrize("make, cls, builtin, fragments", BAD,
                         ids=[f"bad{k}" for k in range(len(BAD))])
def test_bad_input_raises_a_typed_error_with_a_clear_message(make, cls, builtin, fragments):
    with pytest.raises(cls) as info:
        make()
    assert isinstance(info.value, builtin) and isinstance(info.value, AutogradError)
    message = str(info.value)
    for fragment in fragments:
        assert fragment in message, (fragment, message)


def test_no_complex_numbers_ever():
    for make in (lambda: Value(-8.0) ** (1 / 3), lambda: Value(-1.0) ** 0.5,
                 lambda: Value(-2.0) ** Value(1.5)):
        with pytest.raises(DomainError):
            make()
    assert (Value(-2.0) ** 3).data == -8.0 and (Value(-2.0) ** Value(2.0)).data == 4.0


def test_messages_name_unlabeled_intermediate_nodes_by_their_op():
    a = Value(1.0)
    with pytest.raises(DomainError, match=r"output of sub"):
        (a - 3.0).log()
    n = a - 3.0
    n.label = "n"
    with pytest.raises(DomainError, match="in node 'n'"):
        n.sqrt()
    with pytest.raises(DomainError, match="unlabeled leaf"):
        Value(-1.0).log()


def test_describe_node():
    assert describe_node(Value(1.0, label="w")) == "node 'w'"
    assert describe_node(Value(1.0)) == "unlabeled leaf"
    assert describe_node(Value(1.0).exp()) == "unlabeled node (output of exp)"


def test_hierarchy():
    """Every class in errors.__all__ derives from AutogradError and from a built-in."""
    names = [n for n in errors.__all__ if n != "describe_node"]
    assert {"InputTypeError", "DomainError", "DivisionByZero", "HookError",
            "OpDefinitionError"} <= set(names)
    for name in names:
        cls = getattr(errors, name)
        assert issubclass(cls, Exception)
        if cls is not AutogradError:
            assert issubclass(cls, AutogradError)
            generic = (Exception, BaseException, object)
            assert any(b.__module__ == "builtins" and b not in generic
                       for b in cls.__mro__), f"{name} should also be a specific built-in"
        assert name in errors.__doc__, f"{name} missing from the errors docstring tree"
    assert issubclass(InputTypeError, TypeError) and issubclass(DomainError, ValueError)
    assert issubclass(DivisionByZero, ZeroDivisionError) and issubclass(HookError, TypeError)


def test_errors_carry_their_extras():
    err = errors.ExpressionError("bad", text="x +", position=3)
    assert (err.text, err.position) == ("x +", 3)
    assert errors.GradcheckError("no", report={"ok": False}).report == {"ok": False}
