"""``register_hook``: called once with a node's complete gradient, may replace it."""

from __future__ import annotations

import math

import numpy as np
import pytest

from autograd import HookError, Value
from autograd.graph import topo_order


@pytest.fixture
def hook():
    """``hook(node, fn)`` registers a hook and removes it when the test ends."""
    handles = []

    def register(node: Value, fn):
        handles.append(node.register_hook(fn))
        return handles[-1]

    yield register
    for handle in handles:
        handle.remove()


def graph():
    """x -> a = 3x -> y = a*a + a: ``a`` has three incoming contributions."""
    x = Value(2.0, label="x")
    a = x * 3.0
    a.label = "a"
    y = a * a + a
    return x, a, y


def test_called_once_with_the_complete_gradient(hook):
    x, a, y = graph()
    calls = []
    hook(a, lambda g: calls.append(g))
    y.backward()
    assert calls == [2 * 6.0 + 1]
    assert type(calls[0]) is float
    assert a.grad == 13.0 and x.grad == 39.0
    y.backward()
    assert calls == [13.0, 13.0]  # once per backward call


def test_replacement_propagates_to_children(hook):
    x, a, y = graph()
    hook(a, lambda g: g * 10)
    y.backward()
    assert x.grad == 130.0 * 3.0


def test_leaf_hook_replaces_what_accumulates(hook):
    x, a, y = graph()
    seen = []
    hook(x, lambda g: seen.append(g) or -1.0)
    y.backward()
    assert seen == [39.0] and x.grad == -1.0
    y.backward()
    assert x.grad == -2.0


def test_hook_on_root_sees_the_seed(hook):
    x, a, y = graph()
    seen = []
    hook(y, lambda g: seen.append(g) or 2 * g)
    y.backward(grad=0.5)
    assert seen == [0.5] and x.grad == 39.0


def test_hooks_chain_in_registration_order(hook):
    x, a, y = graph()
    hook(a, lambda g: g + 1)
    hook(a, lambda g: g * 2)
    y.backward()
    assert x.grad == (13.0 + 1) * 2 * 3.0


def test_none_keeps_the_gradient_and_numbers_of_any_kind_are_accepted(hook):
    x, a, y = graph()
    hook(a, lambda g: None)
    y.backward()
    assert x.grad == 39.0
    for ret in (1, np.float64(1.0), np.int64(1), np.float32(1.0)):
        x, a, y = graph()
        hook(a, lambda g, r=ret: r)
        y.backward()
        assert x.grad == 3.0 and type(x.grad) is float


def test_remove_unregisters_and_is_idempotent(hook):
    x, a, y = graph()
    calls = []
    handle = hook(a, lambda g: calls.append(g) or 0.0)
    handle.remove()
    handle.remove()
    y.backward()
    assert calls == [] and x.grad == 39.0


def test_remove_one_of_two_hooks(hook):
    x, a, y = graph()
    keep = hook(a, lambda g: g * 2)
    drop = hook(a, lambda g: g * 100)
    drop.remove()
    y.backward()
    keep.remove()
    assert x.grad == 78.0


@pytest.mark.parametrize("bad", ["x", True, 1 + 2j, [1.0]], ids=["str", "bool", "complex", "list"])
def test_hook_returning_a_non_number_names_the_node(bad, hook):
    x, a, y = graph()

    def scale(g):
        return bad

    hook(a, scale)
    with pytest.raises(HookError) as info:
        y.backward()
    message = str(info.value)
    assert "node 'a'" in message and "scale" in message and repr(bad) in message
    assert isinstance(info.value, TypeError)
    assert (x.grad, a.grad, y.grad) == (0.0, 0.0, 0.0)  # nothing half-applied


def test_exception_in_a_hook_leaves_grads_untouched(hook):
    x, a, y = graph()
    y.backward()

    def boom(g):
        raise RuntimeError("boom")

    hook(a, boom)
    with pytest.raises(RuntimeError, match="boom"):
        y.backward()
    assert (x.grad, a.grad, y.grad) == (39.0, 13.0, 1.0)


def test_register_hook_needs_a_callable():
    with pytest.raises(HookError, match="callable"):
        Value(1.0, label="v").register_hook(3)


def test_hook_on_a_node_outside_the_graph_is_not_called(hook):
    x, a, y = graph()
    other = x * 5.0
    calls = []
    hook(other, lambda g: calls.append(g))
    y.backward()
    assert calls == [] and other not in topo_order(y)


def test_hook_returning_a_value_keeps_grads_float(hook):
    x, a, y = graph()
    hook(a, lambda g: Value(5.0))
    y.backward()
    assert type(a.grad) is float and type(x.grad) is float
    assert math.isclose(x.grad, 15.0)
