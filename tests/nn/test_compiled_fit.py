"""Compiled fit/evaluate/predict against the scalar engine: the same numbers, to 1e-9.

Each case trains two copies of a model from the same seed, one on the compiled program
(the default) and one sample by sample (``compiled=False``), with the same shuffling,
and compares parameters, gradients, history, evaluate and predict.
"""

from __future__ import annotations

import random

import numpy as np
import pytest

import nn
from autograd import CompileError, Value

RTOL, ATOL = 1e-9, 1e-12


def data(loss: str, units: int, n: int = 24, features: int = 3, seed: int = 0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, features))
    labels = rng.integers(0, units, n)
    if loss == "sparse_categorical_crossentropy":
        return X, labels
    if loss == "categorical_crossentropy":
        return X, np.eye(units)[labels]
    if loss == "binary_crossentropy":
        return X, rng.integers(0, 2, (n, units)).astype(float)
    return X, rng.normal(size=(n, units))


OPTIMIZERS = {
    "sgd": lambda: nn.SGD(lr=0.1, momentum=0.9, weight_decay=0.01, nesterov=True),
    "rmsprop": lambda: nn.RMSprop(lr=0.01, momentum=0.5),
    "adam": lambda: nn.Adam(lr=0.02, weight_decay=0.01),
}

CASES = [  # loss, output activation, output units, hidden activation, optimizer
    ("mse", "linear", 2, "tanh", "sgd"),
    ("mse", "sigmoid", 1, "relu", "rmsprop"),
    ("binary_crossentropy", "sigmoid", 2, "leaky_relu", "adam"),
    ("binary_crossentropy", "softmax", 2, "tanh", "sgd"),
    ("categorical_crossentropy", "softmax", 3, "relu", "rmsprop"),
    ("categorical_crossentropy", "softplus", 3, "sigmoid", "adam"),
    ("sparse_categorical_crossentropy", "softmax", 4, "sigmoid", "adam"),
    ("sparse_categorical_crossentropy", "sigmoid", 3, "softplus", "sgd"),
]


def model_for(loss, out_act, units, hidden, optimizer, seed=0, dtype="float64"):
    model = nn.Sequential([nn.Dense(5, hidden, input_shape=(3,)), nn.Dense(units, out_act)],
                          seed=seed)
    model.compile(optimizer=OPTIMIZERS[optimizer](), loss=loss, metrics=["accuracy"],
                  dtype=dtype)
    return model


def params(model) -> np.ndarray:
    return np.array([p.data for p in model.parameters()])


def grads(model) -> np.ndarray:
    return np.array([p.grad for p in model.parameters()])


def assert_history_equal(a: nn.History, b: nn.History) -> None:
    assert a.epoch == b.epoch and list(a.history) == list(b.history)
    for key in a.history:
        np.testing.assert_allclose(a.history[key], b.history[key], rtol=RTOL, atol=ATOL,
                                   err_msg=key)


@pytest.mark.parametrize("case", CASES, ids=lambda c: "-".join(map(str, c)))
def test_compiled_fit_equals_scalar_fit(case):
    loss, units = case[0], case[2]
    X, y = data(loss, units)
    val = data(loss, units, n=10, seed=1)
    fast, slow = model_for(*case), model_for(*case)
    h_fast = fast.fit(X, y, epochs=3, batch_size=8, seed=7, verbose=0, validation_data=val)
    h_slow = slow.fit(X, y, epochs=3, batch_size=8, seed=7, verbose=0, validation_data=val,
                      compiled=False)
    np.testing.assert_allclose(params(fast), params(slow), rtol=RTOL, atol=ATOL)
    np.testing.assert_allclose(grads(fast), grads(slow), rtol=RTOL, atol=ATOL)  # last batch
    assert_history_equal(h_fast, h_slow)
    assert set(h_fast.history) == {"loss", "accuracy", "val_loss", "val_accuracy"}
    for compiled in (True, False):
        np.testing.assert_allclose(fast.evaluate(*val, compiled=compiled),
                                   slow.evaluate(*val), rtol=RTOL, atol=ATOL)
        np.testing.assert_allclose(fast.predict(val[0], compiled=compiled),
                                   slow.predict(val[0], compiled=False), rtol=RTOL, atol=ATOL)


def test_switching_engines_keeps_the_optimizer_state():
    """Compiled then scalar epochs give what two scalar epochs give (Adam's t, moments)."""
    X, y = data("sparse_categorical_crossentropy", 3)
    case = ("sparse_categorical_crossentropy", "softmax", 3, "relu", "adam")
    mixed, slow = model_for(*case), model_for(*case)
    mixed.fit(X, y, epochs=1, batch_size=6, seed=1, verbose=0)
    mixed.fit(X, y, epochs=1, batch_size=6, seed=2, verbose=0, compiled=False)
    mixed.fit(X, y, epochs=1, batch_size=6, seed=3, verbose=0)
    for s in (1, 2, 3):
        slow.fit(X, y, epochs=1, batch_size=6, seed=s, verbose=0, compiled=False)
    assert mixed.optimizer.t == slow.optimizer.t == 12
    np.testing.assert_allclose(params(mixed), params(slow), rtol=RTOL, atol=ATOL)


def test_values_follow_theta_and_edits_reach_the_program():
    X, y = data("mse", 1)
    model = model_for("mse", "linear", 1, "tanh", "sgd")
    model.fit(X, y, epochs=1, batch_size=8, seed=0, verbose=0)
    program = model._runner.program
    by_value = dict(zip(map(id, program.params), program.theta.tolist()))
    assert [p.data for p in model.parameters()] == [by_value[id(p)] for p in model.parameters()]
    state = model.state_dict()
    loss = model.evaluate(X, y)[0]
    model.load_state_dict({k: 0.0 for k in state})  # an edit of the Values
    assert model.evaluate(X, y)[0] == pytest.approx(np.mean(y ** 2))  # zero net: predicts 0
    model.load_state_dict(state)
    assert model.evaluate(X, y)[0] == loss
    sample = model.trace_sample(X[0], y[0])  # the scalar engine sees the trained numbers
    assert sample.data == pytest.approx(model.evaluate(X[:1], y[:1])[0], rel=1e-12)


def test_program_is_cached_and_recompiled_when_the_model_changes():
    X, y = data("sparse_categorical_crossentropy", 3)
    model = model_for("sparse_categorical_crossentropy", "softmax", 3, "relu", "adam")
    model.fit(X, y, epochs=1, verbose=0)
    first = model._runner
    model.predict(X)
    model.evaluate(X, y)
    model.fit(X, y, epochs=1, verbose=0)
    assert model._runner is first  # one compilation serves fit, predict and evaluate
    model.compile(optimizer="adam", loss="categorical_crossentropy")
    model.fit(X, np.eye(3)[y], epochs=1, verbose=0)
    assert model._runner is not first  # another loss: another program
    second = model._runner
    model.add(nn.Dense(2, "softmax"))
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    assert model.predict(X).shape == (24, 2)
    assert model._runner is not second


def test_prediction_before_compile_and_float32():
    X, y = data("categorical_crossentropy", 3)
    model = nn.Sequential([nn.Dense(4, "relu", input_shape=(3,)), nn.Dense(3, "softmax")],
                          seed=0)
    np.testing.assert_allclose(model.predict(X), model.predict(X, compiled=False),
                               rtol=RTOL, atol=ATOL)
    fast, slow = (model_for("categorical_crossentropy", "softmax", 3, "tanh", "adam",
                            dtype=d) for d in ("float32", "float64"))
    fast.fit(X, y, epochs=2, batch_size=8, seed=0, verbose=0)
    slow.fit(X, y, epochs=2, batch_size=8, seed=0, verbose=0, compiled=False)
    assert fast._runner.program.theta.dtype == np.float32
    np.testing.assert_allclose(params(fast), params(slow), rtol=1e-3, atol=1e-4)
    with pytest.raises(nn.losses.ConfigError, match="dtype must be float64 or float32"):
        fast.compile(optimizer="adam", loss="mse", dtype="int8")


class SignDense(nn.Dense):
    """A layer whose graph depends on the data: a Python ``if`` on ``.data``."""

    def call(self, inputs: list[Value], training: bool = False, noise=None) -> list[Value]:
        return [z if z.data > 0 else z * 0.5 for z in self.call_logits(inputs)]


def test_a_data_dependent_model_is_refused_and_runs_on_the_scalar_engine():
    model = nn.Sequential([SignDense(1, input_shape=(2,)), nn.Dense(1)], seed=0)
    model.compile(optimizer="sgd", loss="mse")
    neuron = model.layers[0].neurons[0]
    neuron.w[0].data, neuron.w[1].data = 1.0, 1.0
    X, y = np.array([[1.0, 1.0], [-1.0, -1.0], [2.0, 1.0], [-2.0, 0.5]]), np.arange(4.0)
    with pytest.raises(CompileError, match=r"structure depends on the input values.*"
                                           r"compiled=False"):
        model.fit(X, y, verbose=0)
    history = model.fit(X, y, epochs=2, verbose=0, compiled=False)
    assert len(history.history["loss"]) == 2
    assert model.predict(X, compiled=False).shape == (4, 1)


class FailingSGD(nn.SGD):
    """Plain SGD that raises on its third step, to interrupt a fit mid-epoch."""

    def _update(self, x, g):
        self.calls = getattr(self, "calls", 0) + 1
        if self.calls == 3:
            raise RuntimeError("stop")
        super()._update(x, g)


def test_an_interrupted_fit_leaves_the_values_as_trained_so_far():
    X, y = data("mse", 1)
    model, twin = (model_for("mse", "linear", 1, "tanh", "sgd") for _ in range(2))
    model.compile(optimizer=FailingSGD(lr=0.1), loss="mse")
    twin.compile(optimizer=nn.SGD(lr=0.1), loss="mse")
    with pytest.raises(RuntimeError, match="stop"):
        model.fit(X, y, epochs=1, batch_size=4, seed=0, verbose=0)  # two steps, then stops
    order = list(range(24))
    random.Random(0).shuffle(order)  # fit's shuffle for seed=0
    twin.fit(X[order[:8]], y[order[:8]], epochs=1, batch_size=4, shuffle=False, verbose=0)
    np.testing.assert_allclose(params(model), params(twin), rtol=RTOL, atol=ATOL)


def test_fast_parameter_list_is_module_parameters():
    parameters = nn.Sequential.parameters
    model = nn.Sequential([nn.Dense(3, "relu", input_shape=(2,)), nn.Dense(2)], seed=0)
    fast = parameters(model)
    assert len(fast) == 17 and all(a is b for a, b in zip(fast, model.parameters()))
    model.layers[1].extra = Value(1.0)  # an attribute the fast path does not know
    assert parameters(model)[-1] is model.layers[1].extra
    assert len(parameters(model)) == 18
    sign = nn.Sequential([SignDense(2, input_shape=(2,))], seed=0)  # a subclass: generic walk
    assert parameters(sign) == nn.Module.parameters(sign)
