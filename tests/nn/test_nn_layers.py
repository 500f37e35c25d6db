"""Neuron, Layer, MLP: micrograd's constructors and outputs, activations, inits, seeds,
gradients against finite differences, and micrograd's moons recipe at 100% accuracy."""

from __future__ import annotations

import math
import random

import numpy as np
import pytest
from finite_diff import numgrad

import nn
from autograd import Value
from autograd.errors import ConfigError, InputTypeError

# -- micrograd compatibility -----------------------------------------------------------------


def test_micrograd_reprs_and_parameter_counts():
    assert repr(nn.Neuron(3)) == "ReLUNeuron(3)"
    assert repr(nn.Neuron(3, nonlin=False)) == "LinearNeuron(3)"
    assert repr(nn.Layer(2, 2)) == "Layer of [ReLUNeuron(2), ReLUNeuron(2)]"
    model = nn.MLP(3, [4, 4, 1])
    assert repr(model).startswith("MLP of [Layer of [ReLUNeuron(3)")
    assert repr(model).endswith("Layer of [LinearNeuron(4)]]")
    assert len(model.parameters()) == (3 + 1) * 4 + (4 + 1) * 4 + (4 + 1) * 1 == 41


def test_call_semantics_value_for_one_output_list_otherwise():
    assert isinstance(nn.MLP(3, [4, 1])([1.0, 2.0, 3.0]), Value)
    out = nn.MLP(3, [4, 2])([1.0, 2.0, 3.0])
    assert isinstance(out, list) and len(out) == 2
    assert isinstance(nn.Layer(2, 1)([1.0, 2.0]), Value)
    assert isinstance(nn.Neuron(2)([Value(1.0), 2]), Value)
    # a width-1 hidden layer still feeds the next layer (micrograd would crash here)
    assert isinstance(nn.MLP(2, [1, 1])([1.0, 2.0]), Value)


def test_micrograd_attributes_and_default_init():
    n = nn.Neuron(50, seed=3)
    assert n.nonlin is True and n.b.data == 0.0
    assert all(-1.0 <= w.data <= 1.0 for w in n.w)
    assert max(abs(w.data) for w in n.w) > 0.5  # micrograd's U(-1, 1), not a small init
    assert nn.Neuron(2, nonlin=False).nonlin is False


def test_forward_matches_hand_computation():
    model = nn.MLP(2, [2, 1], seed=0)
    x = [0.5, -1.5]
    hidden = [max(0.0, n.w[0].data * x[0] + n.w[1].data * x[1] + n.b.data)
              for n in model.layers[0].neurons]
    out = model.layers[1].neurons[0]
    expected = sum(w.data * h for w, h in zip(out.w, hidden)) + out.b.data
    assert model(x).data == pytest.approx(expected, abs=1e-12)


def test_neuron_is_one_flat_dot_node_plus_bias():
    n = nn.Neuron(4, nonlin=False, seed=0)
    y = n([1.0, 2.0, 3.0, 4.0])
    assert y.op == "add"
    dot_node, bias = y.children
    assert dot_node.op == "dot" and bias is n.b
    assert dot_node.children[:4] == tuple(n.w)


# -- activations, inits, seeds -----------------------------------------------------------------


@pytest.mark.parametrize("activation, f", [
    ("relu", lambda z: max(z, 0.0)), ("tanh", math.tanh),
    ("sigmoid", lambda z: 1 / (1 + math.exp(-z))), ("linear", lambda z: z),
    ("leaky_relu", lambda z: z if z > 0 else 0.01 * z),
    ("softplus", lambda z: math.log1p(math.exp(z))),
])
def test_activations(activation, f):
    n = nn.Neuron(2, activation=activation, seed=0)
    n.b.data = 0.1
    for x in ([1.0, -2.0], [-1.0, 0.5]):
        z = n.w[0].data * x[0] + n.w[1].data * x[1] + 0.1
        assert n(x).data == pytest.approx(f(z), abs=1e-12)


def test_mlp_activation_applies_to_hidden_layers_and_last_is_linear():
    model = nn.MLP(2, [3, 3, 2], activation="tanh")
    acts = [[n.activation for n in layer.neurons] for layer in model.layers]
    assert acts == [["tanh"] * 3, ["tanh"] * 3, ["linear"] * 2]


@pytest.mark.parametrize("init, limit", [
    ("uniform", 1.0), ("xavier", math.sqrt(6 / (100 + 30))), ("he", math.sqrt(6 / 100))])
def test_inits_draw_within_their_limits(init, limit):
    layer = nn.Layer(100, 30, init=init, seed=0)
    ws = [p.data for n in layer.neurons for p in n.w]
    assert max(abs(w) for w in ws) <= limit
    assert max(abs(w) for w in ws) > 0.9 * limit
    assert all(n.b.data == 0.0 for n in layer.neurons)


def test_seed_is_reproducible_and_leaves_the_global_rng_alone():
    random.seed(123)
    state = random.getstate()
    a, b = nn.MLP(3, [4, 1], seed=7), nn.MLP(3, [4, 1], seed=7)
    assert random.getstate() == state
    assert a.state_dict() == b.state_dict()
    assert a.state_dict() != nn.MLP(3, [4, 1], seed=8).state_dict()
    assert nn.MLP(3, [4, 1]).state_dict() != nn.MLP(3, [4, 1]).state_dict()  # fresh entropy


def test_bad_constructor_arguments_list_valid_names():
    with pytest.raises(ConfigError, match="unknown activation 'gelu'; valid: relu, tanh"):
        nn.MLP(2, [3, 1], activation="gelu")
    with pytest.raises(ConfigError, match="unknown init 'normal'; valid: uniform, xavier, he"):
        nn.Neuron(2, init="normal")
    with pytest.raises(ConfigError, match="nin must be a positive int, got 0"):
        nn.Neuron(0)
    with pytest.raises(ConfigError, match="nouts must be a non-empty list"):
        nn.MLP(2, 3)
    with pytest.raises(ConfigError, match="layer size must be a positive int, got -1"):
        nn.MLP(2, [4, -1])
    with pytest.raises(ConfigError, match="seed must be an int"):
        nn.MLP(2, [1], seed="abc")


def test_bad_inputs_are_named():
    model = nn.MLP(3, [2, 1], seed=0)
    with pytest.raises(ConfigError, match="MLP: expects 3 inputs, got 2"):
        model([1.0, 2.0])
    with pytest.raises(InputTypeError, match="expects a list of 3 numbers"):
        model("abc")
    with pytest.raises(InputTypeError, match="'x' \\(str\\)"):
        model([1.0, 2.0, "x"])


def test_numpy_rows_are_accepted():
    model = nn.MLP(2, [2, 1], seed=0)
    assert model(np.array([0.5, 1.0])).data == model([0.5, 1.0]).data


# -- gradients ------------------------------------------------------------------------------


@pytest.mark.parametrize("activation", ["tanh", "sigmoid", "softplus"])
def test_parameter_gradients_match_finite_differences(activation):
    model = nn.MLP(3, [4, 2], activation=activation, seed=1)
    x = [0.3, -0.8, 1.1]
    params = model.parameters()

    def loss_at(values: list[float]) -> float:
        for p, v in zip(params, values):
            p.data = v
        return sum(o.data ** 2 for o in model(x))

    start = [p.data for p in params]
    numeric = numgrad(loss_at, start)
    loss_at(start)
    model.zero_grad()
    out = model(x)
    (out[0] * out[0] + out[1] * out[1]).backward()
    for (name, p), g in zip(model.named_parameters(), numeric):
        assert p.grad == pytest.approx(g, rel=1e-5, abs=1e-7), name


# -- micrograd's moons demo -------------------------------------------------------------------


def test_micrograd_moons_recipe_reaches_100_percent():
    """MLP(2,[16,16,1]), hinge + 1e-4 L2, SGD lr = 1.0 - 0.9*k/100, 100 full-batch steps."""
    X, y = nn.moons(100, noise=0.1, seed=0)
    X, Y = X.tolist(), (2 * y - 1).tolist()
    model = nn.MLP(2, [16, 16, 1], seed=0)
    opt = nn.SGD(model.parameters(), lr=1.0)
    for k in range(100):
        scores = [model(x) for x in X]
        loss = nn.hinge(scores, Y) + 1e-4 * sum(p * p for p in model.parameters())
        opt.zero_grad()
        loss.backward()
        opt.lr = 1.0 - 0.9 * k / 100
        opt.step()
    accuracy = sum((model(x).data > 0) == (t > 0) for x, t in zip(X, Y)) / len(Y)
    assert accuracy == 1.0
    assert loss.data < 0.05
