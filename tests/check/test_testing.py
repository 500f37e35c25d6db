"""check_model_gradients on a tiny model defined here (nn is not imported)."""

from __future__ import annotations

import math
import random

import pytest

import autograd
from autograd import GradcheckError, InputTypeError, Value, custom_op
from autograd.testing import check_model_gradients


class TinyMLP:
    """Dense layers of neurons; parameters labelled by path, as nn labels them."""

    def __init__(self, sizes, seed=0, act="tanh"):
        rng = random.Random(seed)
        self.act = act
        self.layers = []
        for i, (nin, nout) in enumerate(zip(sizes, sizes[1:])):
            neurons = []
            for j in range(nout):
                w = [Value(rng.uniform(-1, 1), label=f"layers.{i}.neurons.{j}.w.{k}")
                     for k in range(nin)]
                b = Value(rng.uniform(-0.5, 0.5), label=f"layers.{i}.neurons.{j}.b")
                neurons.append((w, b))
            self.layers.append(neurons)

    def named_parameters(self):
        for neurons in self.layers:
            for w, b in neurons:
                yield from ((p.label, p) for p in w)
                yield b.label, b

    def __call__(self, xs):
        for i, neurons in enumerate(self.layers):
            out = [autograd.dot(w, xs) + b for w, b in neurons]
            last = i == len(self.layers) - 1
            xs = out if last else [getattr(v, self.act)() for v in out]
        return xs


DATA = [([0.5, -1.0], 1.0), ([-0.3, 0.8], -1.0), ([1.2, 0.1], 0.5)]


def mse(model):
    return autograd.sum([(model(x)[0] - y) ** 2 for x, y in DATA]) * (1.0 / len(DATA))


def test_every_parameter_checked_and_named_by_path():
    model = TinyMLP([2, 3, 1])
    before = {name: p.data for name, p in model.named_parameters()}
    report = check_model_gradients(model, lambda: mse(model))
    assert report.ok and len(report.rows) == 13
    assert report.rows[0].name == "layers.0.neurons.0.w.0"
    assert report.rows[-1].name == "layers.1.neurons.0.b"
    assert {name: p.data for name, p in model.named_parameters()} == before  # restored
    for row, (_, p) in zip(report.rows, model.named_parameters()):
        assert p.grad == row.analytic  # .grad holds a fresh backward's gradient
    text = str(report)
    assert text.splitlines()[0].startswith("check_model_gradients: 13 parameters, eps=1e-06")
    assert text.splitlines()[-1].startswith("ok: 13 of 13 parameters agree")


def test_stale_grads_are_zeroed_first():
    model = TinyMLP([2, 2, 1])
    for _, p in model.named_parameters():
        p.grad = 100.0
    assert check_model_gradients(model, lambda: mse(model)).ok


def test_large_models_are_sampled_reproducibly():
    model = TinyMLP([8, 30, 1])  # 301 parameters
    first = check_model_gradients(model, lambda: mse_wide(model), max_params=20, seed=1)
    again = check_model_gradients(model, lambda: mse_wide(model), max_params=20, seed=1)
    other = check_model_gradients(model, lambda: mse_wide(model), max_params=20, seed=2)
    names = [r.name for r in first.rows]
    assert len(names) == 20 and names == [r.name for r in again.rows]
    assert names != [r.name for r in other.rows]
    assert "(sampled 20 of 301 parameters, seed=1)" in str(first).splitlines()[0]


def mse_wide(model):
    x = [0.1 * k - 0.3 for k in range(8)]
    return (model(x)[0] - 0.5) ** 2


def test_a_wrong_op_in_the_model_is_reported_by_parameter_and_op():
    off = custom_op("tm_bad_tanh", math.tanh, lambda x: (1.0 - math.tanh(x) ** 2 + 0.5,))
    model = TinyMLP([2, 2, 1])
    loss = lambda: (off(model([0.4, -0.2])[0]) - 1.0) ** 2  # noqa: E731
    with pytest.raises(GradcheckError) as info:
        check_model_gradients(model, loss)
    message = str(info.value)
    assert "✗  layers.1.neurons.0.b" in message
    assert "blame: op 'tm_bad_tanh' at node #" in message
    assert message.splitlines()[-1].startswith("FAILED: 9 of 9 parameters disagree (worst: ")


def test_a_relu_at_its_kink_is_flagged_not_failed():
    model = TinyMLP([1, 1, 1], act="relu")
    (w, b), = model.layers[0]
    w[0].data, b.data = 1.0, -0.5  # hidden pre-activation = 0.5 * 1 - 0.5 = 0 exactly
    report = check_model_gradients(model, lambda: (model([0.5])[0] - 1.0) ** 2)
    flagged = {r.name for r in report.rows if r.status == "not differentiable here"}
    assert report.ok and "layers.0.neurons.0.b" in flagged
    assert "relu at node #" in str(report)


def test_bad_models_and_losses_are_named():
    with pytest.raises(InputTypeError, match="the model must have named_parameters"):
        check_model_gradients(object(), lambda: Value(1.0))
    model = TinyMLP([1, 1])
    with pytest.raises(InputTypeError, match=r"loss_fn must return a Value, got 1.0 \(float\)"):
        check_model_gradients(model, lambda: 1.0)
    with pytest.raises(InputTypeError, match=r"loss_fn takes 1 inputs \(batch\) but was called "
                                             r"with 0"):
        check_model_gradients(model, lambda batch: mse(model))
    with pytest.raises(InputTypeError, match="max_params must be an int >= 1, got 0"):
        check_model_gradients(model, lambda: mse(model), max_params=0)
