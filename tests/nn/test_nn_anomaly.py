"""detect_anomaly on nn models names the user's line that built or called the model,
not the library line inside nn/ that created the node."""

from __future__ import annotations

import math

import pytest

import autograd
import nn


def test_origin_is_the_users_call_not_nn_layers():
    model = nn.MLP(2, [1], seed=0)
    model.layers[0].neurons[0].w[1].data = math.inf
    with autograd.detect_anomaly(), pytest.raises(FloatingPointError) as err:
        out = model([1.0, 0.0])  # the line the report must name
        out.backward()
    _every_origin_is_here(str(err.value), "out = model([1.0, 0.0])")


def test_keras_models_name_the_users_line_too():
    model = nn.Sequential([nn.Dense(1, input_shape=(1,))], seed=0)
    model.compile(optimizer="sgd", loss="mse")
    model.layers[0].neurons[0].w[0].data = 1e308
    with autograd.detect_anomaly(), pytest.raises(FloatingPointError) as err:
        loss = model.trace_sample([1e308], [0.0])  # the line the report must name
        loss.backward()
    _every_origin_is_here(str(err.value), "loss = model.trace_sample([1e308], [0.0])")


def _every_origin_is_here(report, source):
    origins = [line.split(" was created at ", 1)[1] for line in report.splitlines()
               if " was created at " in line]
    assert origins, report
    for origin in origins:
        assert origin.startswith("tests/nn/test_nn_anomaly.py:") and source in origin, report
