"""Graphs too large for Graphviz in a few seconds are collapsed (with a note saying so) or
refused before ``dot`` runs, whatever ``max_nodes`` says; ``dot`` is stopped if it runs
long anyway."""

from __future__ import annotations

import importlib
import resource

import pytest

import autograd
import nn
from autograd.errors import GraphTooLargeError
from autograd.lab import lab_state

layout = importlib.import_module("autograd.lab.layout")


def children_cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def long_sum(n: int) -> autograd.Value:
    total = autograd.Value(0.0, label="s")
    for i in range(n):
        total = total + autograd.Value(float(i), label=f"x{i}") * 2.0
    return total


def test_a_graph_past_the_budget_is_refused_before_graphviz_runs(dot_binary) -> None:
    before = children_cpu()
    with pytest.raises(GraphTooLargeError, match=r"too large to lay out in a few seconds: "
                       r"4,001 boxes .* at most 4,000 \(whatever max_nodes says\); draw a "
                       r"smaller part"):
        lab_state(long_sum(1000), max_nodes=10**6)  # the hint's "a larger max_nodes"
    assert children_cpu() == before  # no dot process ran
    model = nn.MLP(2, [32, 32, 1], seed=0)
    with pytest.raises(GraphTooLargeError, match=r"pass collapse=True \(one box per nn neuron"):
        lab_state(model([0.5, -0.5]), collapse=False, max_nodes=10**6)
    wide = nn.MLP(2, [200, 200, 1], seed=0)
    with pytest.raises(GraphTooLargeError, match="draw a smaller part of it"):
        lab_state(wide([0.5, -0.5]), collapse=True, max_nodes=10**6)
    assert children_cpu() == before


def test_an_nn_graph_past_max_nodes_is_collapsed_with_a_note(dot_binary) -> None:
    model = nn.MLP(2, [4, 4, 1], seed=0)
    state = lab_state(model([0.5, -0.5]), max_nodes=40)
    assert state.layout.neurons  # one box per neuron
    assert state.message.startswith("collapsed to one box per nn neuron: ")
    assert "more than max_nodes=40 (pass collapse=False to expand)" in state.message
    with pytest.raises(GraphTooLargeError, match="more than max_nodes=40; pass collapse=True"):
        lab_state(model([0.5, -0.5]), max_nodes=40, collapse=False)


def test_graphviz_is_stopped_when_it_runs_too_long(dot_binary, monkeypatch) -> None:
    monkeypatch.setattr(layout, "GRAPHVIZ_SECONDS", 0.001)
    with pytest.raises(GraphTooLargeError, match=r"Graphviz did not lay out the graph \(801 "
                       r"boxes\) within 0.001 s and was stopped"):
        lab_state(long_sum(200))
