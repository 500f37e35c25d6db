"""The public API is pinned: a name added or removed is a decision, made here."""

from __future__ import annotations

import importlib

import pytest

import autograd
import nn

AUTOGRAD = {
    # engine
    "Value", "sum", "dot", "custom_op", "no_grad", "is_grad_enabled", "topo_order",
    "OPS", "Op", "trace_backward", "BackwardStep",
    # verify
    "numeric_grad", "gradcheck", "gradgradcheck", "check_graph", "GradcheckReport", "grad",
    "hessian", "detect_anomaly",
    # visualize
    "draw_dot", "draw_text", "save_graph", "save_backward_animation",
    # step through
    "Stepper", "parse_expression", "evaluate_expression",
    # compiled batch execution
    "compile_batch", "BatchProgram", "register_vectorized", "logsumexp",
    # numpy code on Values, hand-derived backprop
    "np_values", "np_grads", "check_backprop", "BackpropReport", "BackpropError",
    # the lecture's manual backprop, checked, and exercises after the lecture
    "check_hand_grads", "HandGradsReport", "exercises",
    # the backprop lab
    "lab",
    # live training view
    "Monitor",
    # errors
    "AutogradError", "CompileError", "ConfigError", "DivisionByZero", "DomainError",
    "ExpressionError", "GradcheckError", "GraphTooLargeError", "GraphvizNotFound",
    "HookError", "InputTypeError", "MissingDependency", "ModelFileError", "NodeNotFound",
    "OpDefinitionError", "OptionError",
    "ModelFileNotFound", "DatasetError", "DatasetNotFound",
    "NonFiniteError",
}

NN = {
    "Module", "Neuron", "Layer", "MLP", "Sequential", "Dense", "History",
    "Optimizer", "SGD", "RMSprop", "Adam",
    "AdamW", "keras", "fit", "nn", "random", "version", "Tensor",
    "mse", "binary_cross_entropy", "hinge", "cross_entropy", "softmax",
    "losses", "optim", "datasets", "xor", "moons", "digits", "mnist", "read_idx",
}


@pytest.mark.parametrize("package, expected", [(autograd, AUTOGRAD), (nn, NN)],
                         ids=["autograd", "nn"])
def test_all_is_pinned_and_every_name_exists(package, expected):
    assert set(package.__all__) == expected
    assert len(package.__all__) == len(set(package.__all__)), "duplicates in __all__"
    for name in package.__all__:
        assert getattr(package, name) is not None


def test_errors_derive_from_the_builtin_a_user_would_catch():
    assert issubclass(autograd.InputTypeError, TypeError)
    assert issubclass(autograd.DomainError, ValueError)
    assert issubclass(autograd.DivisionByZero, ZeroDivisionError)
    for name in AUTOGRAD:
        obj = getattr(autograd, name)
        if isinstance(obj, type) and issubclass(obj, Exception):
            assert issubclass(obj, autograd.AutogradError), name


@pytest.mark.parametrize("module", ["nn.losses", "nn.optim", "nn.datasets"])
def test_nn_submodules_are_modules_and_reexported(module):
    mod = importlib.import_module(module)
    for name in getattr(mod, "__all__", []):
        assert getattr(nn, name) is getattr(mod, name), f"nn.{name} is not {module}.{name}"


def test_public_callables_have_docstrings():
    for package in (autograd, nn):
        for name in package.__all__:
            obj = getattr(package, name)
            if callable(obj):
                assert (obj.__doc__ or "").strip(), f"{package.__name__}.{name} has no docstring"


def test_micrograd_names_still_work():
    a = autograd.Value(2.0)
    b = a * a + a
    assert b._op == "+" and b._prev == b.children and b.children[0]._op == "*"
    assert (a**2)._op == "**2" and a.relu()._op == "ReLU"
