"""Every exercise passes with its right answer (the notebook's own solution code) and gives
its diagnosis, as an AssertionError, for planted wrong ones."""

from __future__ import annotations

import math
import sys

import numpy as np
import pytest

from autograd import MissingDependency, Value, custom_op, exercises
from autograd.exercises.ex_neuron import GIVEN as NEURON


def solved(ex) -> dict:
    """Run the exercise's given code and its solution, as the notebook does."""
    space: dict = {}
    exec("from autograd import exercises\n" + ex.given, space)  # noqa: S102 (our own code)
    exec(ex.answer_code(solutions=True), space)  # noqa: S102
    return space


@pytest.mark.parametrize("ex", exercises.EXERCISES, ids=lambda e: e.name)
def test_the_solution_passes(ex) -> None:
    space = solved(ex)
    praise = exercises.check(ex.name, eval(ex.answer, space))  # noqa: S307 (a name)
    assert praise.startswith(f"{ex.name}: right.")


@pytest.mark.parametrize("ex", exercises.EXERCISES, ids=lambda e: e.name)
def test_the_starter_is_not_an_answer(ex) -> None:
    space: dict = {}
    exec("from autograd import exercises\n" + ex.given, space)  # noqa: S102
    with pytest.raises(NotImplementedError, match=ex.name):
        exec(ex.answer_code(solutions=False), space)  # noqa: S102
        exercises.check(ex.name, eval(ex.answer, space))  # noqa: S307
    assert ex.hints and all(h.en and h.zh for h in ex.hints)


def wrong(name: str, answer, *words: str) -> str:
    with pytest.raises(AssertionError) as err:
        exercises.check(name, answer)
    text = str(err.value)
    assert text.startswith(f"{name}: not yet.")
    for w in words:
        assert w in text
    return text


@pytest.mark.parametrize("answer, words", [
    (lambda f, x, h=1e-4: f(x + h) - f(x), "you did not divide by h"),
    (lambda f, x, h=1e-4: (f(x) - f(x + h)) / h, "the sign is off"),
    (lambda f, x, h=1e-4: (f(x + h) - f(x - h)) / h, "twice the slope"),
    (lambda f, x, h=1e-4: f(x + h), "that is a value of f"),
    (lambda f, x, h=1e-4: f(x + 1) - f(x), "h is too large"),
    (lambda f, x, h=1e-4: "14", "returned '14' (str), expected a number"),
    (lambda f, x, h=1e-4: (f(x + h) - f(x)) / 0, "raised ZeroDivisionError"),
    ("slope", "expected a function, got 'slope'"),
])
def test_slope_diagnoses(answer, words) -> None:
    text = wrong("slope", answer, words)
    assert "f(x) = 3x**2 - 4x + 5 at x = 3" in text or "expected a function" in text


def test_a_central_difference_is_right_too() -> None:
    exercises.check("slope", lambda f, x, h=1e-4: (f(x + h) - f(x - h)) / (2 * h))


def local_answer(**changes):
    def local_derivatives(a, b):
        t = math.tanh(a)
        table = {"a + b": (1.0, 1.0), "a - b": (1.0, -1.0), "a * b": (b, a),
                 "a / b": (1 / b, -a / b**2), "a ** 3": (3 * a**2,), "exp(a)": (math.exp(a),),
                 "tanh(a)": (1 - t**2,), "relu(a)": (1.0 if a > 0 else 0.0,)}
        for op, rule in changes.items():
            if rule is None:
                del table[op.replace("_", " ")]
            else:
                table[op.replace("_", " ")] = rule(a, b)
        return table
    return local_derivatives


@pytest.mark.parametrize("change, words", [
    ({"a_*_b": lambda a, b: (a, b)},
     "a * b: d/da at a = 2, b = -3 is -3.0000; yours is the value of a"),
    ({"tanh(a)": lambda a, b: (1 - a**2,)}, "the output, not the input"),
    ({"a_-_b": lambda a, b: (1.0, 1.0)},
     "a - b: d/db at a = 2, b = -3 is -1.0000; the sign is off"),
    ({"a_**_3": lambda a, b: (3 * a,)}, "3 * a (the rule is 3 * a**2)"),
    ({"exp(a)": None}, "missing: exp(a) (the dict's keys are the ops as written here: 'a + b'"),
    ({"a_/_b": lambda a, b: (1 / b,)}, "a / b: expected 2 number(s), one per input, got 1"),
    ({"relu(a)": lambda a, b: (1.0,)}, "relu(a): d/da at a = -1.25, b = 0.8 is 0.0000"),
])
def test_local_diagnoses(change, words) -> None:
    wrong("local", local_answer(**change), words)


def lecture_by_hand(space) -> None:
    exec(exercises.get("neuron").solution, space)  # noqa: S102


def test_neuron_names_a_wrong_w1_as_a_wrong_local_derivative() -> None:
    space: dict = {}
    exec(NEURON, space)  # noqa: S102
    lecture_by_hand(space)
    space["w1"].grad = space["w1"].data * space["x1w1"].grad
    text = wrong("neuron", space["o"], "1 of 10 hand-set gradients are wrong: w1",
                 "w1.grad is -1.5000: wrong local derivative",
                 "your answer means d(x1*w1)/dw1 = -3.0000 (the value of w1)")
    assert "x1.grad" not in text  # named once, nothing else blamed


def test_neuron_untouched_says_where_to_start() -> None:
    space: dict = {}
    exec(NEURON, space)  # noqa: S102
    text = wrong("neuron", space["o"], "9 of 10 hand-set gradients are wrong",
                 "o.grad is 0.0000: the seed", "x1.grad was left at 0, and so were the "
                 "gradients it is computed from: its gradient is -1.5000")
    assert "\nw2.grad" not in text  # its gradient is 0 (x2 = 0): right as it is


def test_neuron_refuses_another_graph() -> None:
    wrong("neuron", Value(1.0) * 2.0, "this is not the lecture's neuron")
    wrong("neuron", 0.7071, "pass the neuron's output o, got 0.7071 (float)")


def micrograd_tanh(rule=lambda t, x: 1 - t**2, assign=False, upstream=True):
    def tanh(x):
        t = math.tanh(x.data)
        out = Value(t, (x,), "tanh")

        def _backward():
            g = rule(t, x.data) * (out.grad if upstream else 1.0)
            if assign:
                x.grad = g
            else:
                x.grad += g
        out._backward = _backward
        return out
    return tanh


@pytest.mark.parametrize("answer, words", [
    (micrograd_tanh(assign=True), "add into x.grad (+=), do not replace it (=)"),
    (micrograd_tanh(upstream=False), "multiply the local derivative by out.grad"),
    (micrograd_tanh(rule=lambda t, x: 1 - x**2), "the output, not the input"),
    (micrograd_tanh(rule=lambda t, x: -(1 - t**2)), "the sign is off"),
    (micrograd_tanh(rule=lambda t, x: t), "yours is the output t"),
    (lambda x: Value(math.tanh(x.data)), "yours is 0 (nothing passed back)"),
    (lambda x: math.tanh(x.data), "expected a Value (so backward can run through it)"),
    (lambda x: x.tanh() * 1.01, "the forward value tanh(0.5) is 0.4621, yours is 0.4667"),
])
def test_op_diagnoses(answer, words) -> None:
    text = wrong("op", answer, words)
    if "forward" not in words and "expected a Value" not in words and "+=" not in words:
        assert "gradcheck of tanh(x * w) * 3 + x * w:" in text


def test_op_custom_op_is_graded_and_blamed() -> None:
    right = custom_op("ex_tanh", math.tanh, lambda x: (1 - math.tanh(x) ** 2,))
    exercises.check("op", right)
    bad = custom_op("ex_tanh_bad", math.tanh, lambda x: (1 - x**2,))
    wrong("op", bad, "the output, not the input",
          "op 'ex_tanh_bad' at node #1 disagrees with finite differences")


def layer_answer(dz_rule=lambda dy, y: dy * (1 - y**2), mean=True, sign=1.0, transpose=False):
    def layer_grads(W, b, X, t):
        y = np.tanh(X @ W + b)
        dy = 2 * (y - t) / (y.size if mean else 1)
        dz = dz_rule(dy, y)
        dW = sign * (X.T @ dz)
        return (dW.T if transpose else dW), sign * dz.sum(axis=0)
    return layer_grads


@pytest.mark.parametrize("answer, words", [
    (layer_answer(mean=False), "factor M"),
    (layer_answer(sign=-1.0), "sign"),
    (layer_answer(transpose=True), "W"),
    (layer_answer(dz_rule=lambda dy, y: dy), "leaves out the derivative of the np.tanh"),
    (lambda W, b, X, t: (W, b, X), "layer"),
])
def test_layer_diagnoses(answer, words) -> None:
    wrong("layer", answer, words)


@pytest.mark.parametrize("name, answer, words", [
    ("local", lambda a, b: 1 / 0, "local_derivatives(2, -3) raised ZeroDivisionError"),
    ("op", lambda x: 1 / 0, "tanh(Value(0.5)) raised ZeroDivisionError: division by zero"),
    ("layer", lambda W, b, X, t: 1 / 0,
     "layer_grads (run by check_backprop) raised ZeroDivisionError"),
    *[(name, 3, "expected a function, got 3 (int)") for name in ("slope", "local", "op", "layer")],
])
def test_an_answer_that_raises_or_is_no_function_is_named(name, answer, words) -> None:
    text = wrong(name, answer, words)
    assert "Traceback" not in text and len(text.splitlines()) == 2


def test_an_unwritten_answer_still_raises_not_implemented() -> None:
    def unwritten(*args):
        raise NotImplementedError("write me")
    for name in ("slope", "local", "op", "layer"):
        with pytest.raises(NotImplementedError, match="write me"):
            exercises.check(name, unwritten)


def test_without_numpy_the_layer_exercise_says_to_install_it(monkeypatch) -> None:
    monkeypatch.setitem(sys.modules, "numpy", None)  # as in a venv without numpy
    with pytest.raises(MissingDependency, match="exercise 'layer' needs numpy, which is not "
                                                "installed.*pip install numpy"):
        exercises.check("layer", layer_answer())
    assert exercises.check("slope", lambda f, x, h=1e-4: (f(x + h) - f(x)) / h)


def test_unknown_names_are_refused() -> None:
    with pytest.raises(ValueError, match="no exercise 'nope'; expected one of: slope, local, "
                                         "neuron, op, layer"):
        exercises.check("nope", None)
    assert exercises.hints("neuron", "zh")[0].startswith("`o = tanh(n)`")
    with pytest.raises(ValueError, match="lang must be one of en, zh, got 'fr'"):
        exercises.hints("neuron", "fr")
