"""Hostile and confusing text for the expression language: each gets one clear, true line.

Function names used as variables, fullwidth and lookalike names, constants that fold to
inf/nan, lone surrogates, numbers of thousands of digits, brackets in comments, and
values that are not a name -> number mapping.
"""

from __future__ import annotations

import math
import subprocess
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

from autograd.cli.arguments import read_inputs
from autograd.errors import ExpressionError, InputTypeError
from autograd.expr.limits import MAX_DEPTH
from autograd.expr.parser import evaluate, format_error, functions, parse, parse_assignment


def _error(text: str, **values: float) -> ExpressionError:
    with pytest.raises(ExpressionError) as info:
        evaluate(text, **values)
    assert "\n" not in str(info.value)
    return info.value


# -- a function name where a variable goes --------------------------------------------------


@pytest.mark.parametrize("name", functions())
def test_a_function_name_used_as_a_variable_is_refused_at_parse_time(name):
    with pytest.raises(ExpressionError) as info:
        parse(f"{name}*2")
    assert str(info.value).startswith(f"column 1: found the function name {name!r} used as a "
                                      f"variable; expected a call such as {name}(x)")
    with pytest.raises(ExpressionError, match="function name"):
        parse(f"{name} = x; {name} + 1")


def test_the_step_command_says_so_once_and_never_asks_for_a_value():
    done = subprocess.run([sys.executable, "-m", "autograd", "step", "tanh*2", "tanh=3"],
                          capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
    assert done.returncode == 2 and done.stdout == ""
    first = done.stderr.splitlines()[0]
    assert first.startswith("autograd: error: column 1: found the function name 'tanh'")
    assert "without a value" not in done.stderr and "not a variable name" not in done.stderr
    with pytest.raises(ExpressionError, match=r"'tanh', not a variable name \(it is a function"):
        parse_assignment("tanh=3")


# -- fullwidth and lookalike names -----------------------------------------------------------


def test_fullwidth_names_bind_as_the_expression_reads_them():
    assert parse_assignment("ｘ=1") == ("x", 1.0)
    expr, root, values = read_inputs("ｘ*2", ["ｘ=1"])
    assert expr.variables == ("x",) and root.data == 2.0 and values == {"x": 1.0}
    assert evaluate("ｘ*2", ｘ=1.5).data == 3.0  # keyword spelled fullwidth too
    assert evaluate("𝐱 + 1", x=1.0).data == 2.0  # mathematical bold x is x, as in Python


def test_one_name_written_two_ways_is_refused_with_both_positions():
    err = _error("x+ｘ", x=1.0)
    assert str(err).startswith("column 3: found 'ｘ' here and 'x' at column 1, which Python "
                               "reads as one name 'x'; expected one spelling per name")
    assert format_error(err).splitlines()[2] == "    ^"
    err = _error("ｘ = 2\ny = x*ｘ")
    assert str(err).startswith("line 2, column 5: found 'x' here and 'ｘ' at line 1, column 1")


def test_a_lookalike_from_another_script_is_named_in_the_message():
    err = _error("x + х", x=1.0)  # the second is Cyrillic
    assert "found variable 'х' ('х' is U+0445 CYRILLIC SMALL LETTER HA) without a value" \
        in str(err)
    with pytest.raises(ExpressionError, match=r"U\+0445 CYRILLIC SMALL LETTER HA\) is not used"):
        read_inputs("x*2", ["х=1"])
    err = _error("ｘ*2")
    assert "found variable 'x' (written 'ｘ') without a value" in str(err)


def test_two_spellings_of_one_name_among_the_values_are_refused():
    with pytest.raises(ExpressionError, match="'x' and 'ｘ' are the same name 'x'"):
        parse("x*2").evaluate({"x": 1.0, "ｘ": 2.0})


# -- constants that fold to inf or nan -------------------------------------------------------


@pytest.mark.parametrize("text, column, found", [
    ("x**(1e308*10*0)", 10, "inf"),
    ("x * (1e308 + 1e308)", 12, "inf"),
    ("x + exp(1000)", 5, "inf"),
    ("x * (1e308*10 - 1e308*10)", 11, "inf"),
    ("x ** (0 * (1e200 * 1e200))", 18, "inf"),
])
def test_a_constant_part_that_is_not_finite_is_refused(text, column, found):
    err = _error(text, x=2.0)
    assert str(err).startswith(f"column {column}: found a constant part that evaluates to "
                               f"{found}; expected finite numbers")


_literals = st.sampled_from(["0", "1", "2.5", "1e308", "1e-308", "10", "0.5", "3"])


def _constant_text(draw_leaf):
    return st.recursive(draw_leaf, lambda inner: st.tuples(
        inner, st.sampled_from(["+", "-", "*", "/", "**"]), inner).map(
        lambda t: f"({t[0]} {t[1]} {t[2]})") | inner.map(lambda t: f"exp({t})"),
        max_leaves=6)


@given(_constant_text(_literals))
def test_folded_constants_are_finite_or_refused(constant):
    try:
        y = evaluate(f"x + {constant}", x=0.0)
    except ExpressionError:
        return
    assert math.isfinite(y.data)


# -- messages that were wrong ----------------------------------------------------------------


def test_a_lone_surrogate_is_named_as_such_at_its_column():
    err = _error("x + \udc80")  # what undecodable bytes on a command line become
    assert str(err).startswith("column 5: found the lone surrogate '\\udc80'")
    assert "NUL" not in str(err)
    format_error(err).encode("utf-8")  # printable on any terminal


def test_a_5000_digit_literal_gets_its_own_column_and_our_words():
    for text, where in [("x + " + "1" * 5000, "column 5"),
                        ("y = 2\n  z = x*" + "9" * 5000, "line 2, column 9"),
                        ("# " + "7" * 4400 + "\nx + " + "3" * 4400, "line 2, column 5")]:
        err = _error(text, x=1.0)
        assert str(err).startswith(f"{where}: found a number of "), str(err)[:80]
        assert "digits, too large for a float; expected a finite number" in str(err)
        assert "set_int_max_str_digits" not in str(err) and "Exceeds" not in str(err)


def test_brackets_inside_comments_do_not_count_toward_the_depth_limit():
    text = "x + 1  # " + "(" * (3 * MAX_DEPTH) + "\n"
    assert evaluate(text, x=1.0).data == 2.0
    nested = "(" * MAX_DEPTH + "x" + ")" * MAX_DEPTH
    assert evaluate("# ((((((\n" + nested, x=1.0).data == 1.0
    with pytest.raises(ExpressionError, match="more than 100 nested"):
        parse("# )))))\n(" + nested + ")")


@pytest.mark.parametrize("values, fragment", [
    ({1: 2}, "variable names are text (str), got 1 (int)"),
    ({None: 2}, "got None (NoneType)"),
    ([("x", 1.0)], "expected a dict of name -> number, got list"),
    ("x=1", "got str"),
])
def test_values_that_are_not_a_name_to_number_mapping_are_refused(values, fragment):
    with pytest.raises(ExpressionError) as info:
        parse("x").evaluate(values)
    assert fragment in str(info.value)


@given(st.dictionaries(st.one_of(st.integers(), st.floats(), st.none(), st.text(max_size=3),
                                 st.tuples(st.integers())),
                       st.one_of(st.floats(), st.integers(), st.text(max_size=3), st.none()),
                       max_size=4))
def test_any_values_give_a_typed_error_or_a_value(values):
    try:
        parse("x * y").evaluate(values)
    except (ExpressionError, InputTypeError):
        pass
