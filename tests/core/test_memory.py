"""Memory: small nodes, and graphs freed by reference counting alone (no cycles).

These measure sizes with ``tracemalloc`` and count cyclic garbage with ``gc``; they never
time anything.
"""

from __future__ import annotations

import contextlib
import gc
import tracemalloc

import autograd
from autograd import Value, custom_op, no_grad
from autograd.graph import topo_order
from autograd.ops import OPS
from autograd.trace import trace_backward


@contextlib.contextmanager
def refcounting_only():
    """Collect what is pending, then run with the cyclic collector off."""
    gc.set_debug(0)
    gc.collect()
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@contextlib.contextmanager
def traced():
    """tracemalloc running; yields a function giving bytes allocated since the start."""
    tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]
    try:
        yield lambda: tracemalloc.get_traced_memory()[0] - base
    finally:
        tracemalloc.stop()


def chain(n: int, c: Value) -> Value:
    x = Value(1.0)
    for _ in range(n):
        x = x * c
    return x


def mixed_graph(n: int) -> tuple[Value, list[Value]]:
    """About ``n`` nodes: diamonds, reuse, unary ops, flat sum and dot, labels."""
    ws = [Value(0.1 * (i % 7), label=f"w{i}") for i in range(8)]
    x = Value(0.5, label="x")
    for i in range(n // 8):  # about 8.5 nodes per round
        h = (x * ws[i % 8]).tanh()
        x = h * h + h.sigmoid() - 0.25 * x
        if i % 10 == 0:
            x = autograd.sum([x, h, x], start=0.1) * 0.3 + autograd.dot(ws[:2], [x, h])
            x.label = f"n{i}"
    return x, ws


def test_bytes_per_node_of_a_binary_chain():
    c = Value(1.0000001)
    chain(1000, c).backward()  # warm up lazy allocations
    with refcounting_only(), traced() as used:
        root = chain(100_000, c)
        size = used()
    nodes = len(topo_order(root)) - 2  # the new mul nodes (not the leaves x0 and c)
    assert nodes == 100_000
    assert size / nodes <= 120, f"{size / nodes:.1f} bytes per node"


def test_bytes_per_node_with_numeric_constants():
    chain(1000, Value(1.0)).backward()
    with refcounting_only(), traced() as used:
        x = Value(1.0)
        for _ in range(25_000):
            x = x * 1.0000001 + 0.0  # a constant leaf and an op node, twice
        size = used()
    nodes = len(topo_order(x))
    assert nodes == 100_001
    assert size / nodes <= 120, f"{size / nodes:.1f} bytes per node"


def test_graph_memory_returns_after_backward_and_del():
    mixed_graph(2_000)[0].backward()  # warm up
    with refcounting_only(), traced() as used:
        root, ws = mixed_graph(100_000)
        nodes = len(topo_order(root))
        root.backward()
        peak = used()
        del root, ws
        assert gc.collect() == 0  # nothing was cyclic; this also empties the free lists
        left = used()
    assert nodes >= 100_000 and peak > 50 * nodes
    assert left < 64 * 1024, f"{left} bytes left of {peak}"


def exercise_everything(cube) -> None:
    """Hooks, labels, backward, trace, a custom op, no_grad updates."""
    root, ws = mixed_graph(3_000)
    handles = [w.register_hook(lambda g: g * 0.5) for w in ws[:4]]
    for k, node in enumerate(topo_order(root)):
        if k % 5 == 0:
            handles.append(node.register_hook(lambda g: None))
        node.label = f"n{k}"
    root.backward()
    root = cube(root * 0.001) + cube(ws[0])
    assert list(trace_backward(root))
    with no_grad():
        for w in ws:
            w.data -= 0.1 * w.grad
        assert (root * 2).children == ()
    for handle in handles:  # (a handle holds the hook list, not the node)
        handle.remove()


def test_no_reference_cycles_from_hooks_labels_trace_custom_ops_and_no_grad():
    cube = custom_op("cube_mem", lambda x: x**3, lambda x: (3 * x**2,))
    try:
        with refcounting_only():
            exercise_everything(cube)
            assert gc.collect() == 0
    finally:
        OPS.pop("cube_mem", None)
