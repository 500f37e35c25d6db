"""``topo_order``, ``children_of`` and ``local_partials``: the one walk everything shares."""

from __future__ import annotations

import gc
import sys
import time

import pytest
from hypothesis import given
from hypothesis import strategies as st
from strategies import build, dags

import autograd
from autograd import Value
from autograd.graph import children_of, local_partials, rollback, topo_order, visit
from autograd.ops import FLOAT


def recursive_order(root: Value) -> list[Value]:
    """micrograd's recursive post-order, inputs left to right (fine for small graphs)."""
    order: list[Value] = []
    seen: set[Value] = set()

    def visit(v: Value) -> None:
        if v not in seen:
            seen.add(v)
            for child in v.children:
                visit(child)
            order.append(v)

    visit(root)
    return order


def ladder(steps: int) -> Value:
    """x <- x * 0.999 + x: every x has two parents, 3 new nodes per step."""
    x = Value(1.0)
    for _ in range(steps):
        x = x * 0.999 + x
    return x


def count_lines(func, *args) -> int:
    """Python lines executed by ``func(*args)`` (a machine-independent measure of work)."""
    count = 0

    def local(frame, event, arg):
        nonlocal count
        if event == "line":
            count += 1
        return local

    old = sys.gettrace()
    sys.settrace(lambda frame, event, arg: local)
    try:
        func(*args)
    finally:
        sys.settrace(old)
    return count


@given(dags())
def test_each_node_once_children_first_root_last(case):
    recipe, xs = case
    root = build(recipe)(*[Value(x) for x in xs])
    order = topo_order(root)
    assert order[-1] is root
    assert len({id(n) for n in order}) == len(order)
    position = {n: i for i, n in enumerate(order)}
    for node in order:
        for child in node.children:
            assert position[child] < position[node]


@given(dags())
def test_order_is_the_recursive_post_order(case):
    recipe, xs = case
    root = build(recipe)(*[Value(x) for x in xs])
    expected = recursive_order(root)
    got = topo_order(root)
    assert len(got) == len(expected)
    assert all(a is b for a, b in zip(got, expected))


def test_small_example_order_and_numbering():
    a, b = Value(2.0, label="a"), Value(-3.0, label="b")
    c = a * b
    d = c + a
    assert topo_order(d) == [a, b, c, d]
    assert topo_order(a) == [a]
    s = autograd.sum([b, a, b])
    assert topo_order(s) == [b, a, s]


def test_children_of_keeps_order_and_multiplicity():
    a, b = Value(1.0), Value(2.0)
    assert children_of(a) == ()
    assert children_of(a + a) == (a, a)
    assert children_of(b - a) == (b, a)
    assert children_of(a.tanh()) == (a,)
    assert children_of(autograd.dot([a, b], [b, b])) == (a, b, b, b)


def test_local_partials_are_the_rows_partials():
    a, b = Value(2.0), Value(-3.0)
    assert local_partials(a * b) == ((a, b), (-3.0, 2.0))
    children, partials = local_partials(a / b, FLOAT)
    assert children == (a, b) and partials == pytest.approx((1 / -3.0, -2.0 / 9.0))
    assert local_partials(a) == ((), ())
    assert local_partials(autograd.sum([a, b], start=1.0)) == ((a, b), (1.0, 1.0))


@given(dags(max_steps=8))
def test_labels_and_hooks_do_not_change_the_graph(case):
    """Giving nodes labels or hooks (extra storage) keeps ops, edges, partials and grads."""
    recipe, xs = case
    plain = build(recipe)(*[Value(x) for x in xs])
    marked = build(recipe)(*[Value(x) for x in xs])
    handles = []
    for k, node in enumerate(topo_order(marked)):
        node.label = f"n{k}"
        if k % 3 == 0:
            handles.append(node.register_hook(lambda g: None))
    try:
        plain.backward()
        marked.backward()
    finally:
        for h in handles:
            h.remove()
    p_order, m_order = topo_order(plain), topo_order(marked)
    assert len(p_order) == len(m_order)
    index = {n: i for i, n in enumerate(m_order)}
    p_index = {n: i for i, n in enumerate(p_order)}
    for k, (p, m) in enumerate(zip(p_order, m_order)):
        assert (p.op, p._op, repr(p.data), repr(p.grad)) == (m.op, m._op, repr(m.data),
                                                              repr(m.grad))
        assert m.label == f"n{k}"
        assert [p_index[c] for c in p.children] == [index[c] for c in m.children]
        assert local_partials(p)[1] == local_partials(m)[1]


def test_topo_order_work_is_linear():
    """10x the nodes costs 10x the Python lines executed (each node expanded once)."""
    small, large = ladder(1_000), ladder(10_000)
    ratio = count_lines(topo_order, large) / count_lines(topo_order, small)
    assert 9.5 < ratio < 10.5, ratio
    ratio = count_lines(large.backward) / count_lines(small.backward)
    assert 9.5 < ratio < 10.5, ratio


def test_topo_order_time_scales_linearly():
    """Best-of-3 timings: 10x the nodes within 30x the time (quadratic would be 100x)."""
    def best(root: Value) -> float:
        times = []
        for _ in range(3):
            t = time.perf_counter()
            topo_order(root)
            times.append(time.perf_counter() - t)
        return min(times)

    was_enabled = gc.isenabled()
    gc.disable()
    try:
        small, large = ladder(10_000), ladder(100_000)
        ratio = best(large) / best(small)
    finally:
        if was_enabled:
            gc.enable()
    assert ratio < 30, ratio


@given(dags())
def test_backwards_walk_orders_op_nodes_as_topo_order_does(case):
    """Backward's own walk (numbers left folded, runs of one-input nodes taken in one
    step) lists the op nodes in ``topo_order``'s order, so backward and the stepper add
    gradients in the same order."""
    recipe, xs = case
    walked = build(recipe)(*[Value(x) for x in xs])
    read = build(recipe)(*[Value(x) for x in xs])
    order, leaves, kept, olds = [], [], [], []
    visit(order, leaves, [walked], kept, olds)
    assert all(type(n.grad) is float and n.grad == 0.0 for n in order + leaves)
    assert [(n.op, repr(n.data)) for n in order] == [
        (n.op, repr(n.data)) for n in topo_order(read) if n.op]


# A fold's step: acc = acc <op> second, with second a leaf, a product of leaves, a node
# already in the graph, a product over one, a deeper subtree; or acc = acc * number.
FOLD_KINDS = ["leaf", "product", "placed", "product_placed", "deep", "number"]


@st.composite
def folds(draw) -> tuple[list[tuple[str, int, int, str]], list[float], list[float]]:
    """A fold recipe, its leaves' values, and the grads every node starts with (0.0 or not)."""
    n_leaves = draw(st.integers(1, 5))
    steps = draw(st.lists(st.tuples(st.sampled_from(FOLD_KINDS), st.integers(0, 99),
                                    st.integers(0, 99), st.sampled_from(["+", "-", "*"])),
                          min_size=1, max_size=14))
    xs = draw(st.lists(st.floats(-2, 2, allow_nan=False), min_size=n_leaves,
                       max_size=n_leaves))
    grads = draw(st.lists(st.sampled_from([0.0, 0.0, 0.5, -1.25, 3.0]), min_size=64,
                          max_size=64))
    return steps, xs, grads


def build_fold(steps: list[tuple[str, int, int, str]], xs: list[float]) -> Value:
    leaves = [Value(x) for x in xs]
    acc = leaves[0]
    nodes = [acc]
    for kind, i, j, op in steps:
        w, x = leaves[i % len(leaves)], leaves[j % len(leaves)]
        if kind == "number":
            acc = acc * 0.5
        else:
            if kind == "leaf":
                second = w
            elif kind == "product":
                second = w * x
            elif kind == "placed":
                second = nodes[i % len(nodes)]
            elif kind == "product_placed":
                second = w * nodes[j % len(nodes)]
            else:
                second = (w * 0.5) * x
            acc = acc + second if op == "+" else acc - second if op == "-" else acc * second
        nodes.append(acc)
    return acc


@given(folds())
def test_backwards_walk_of_a_fold_keeps_each_grad_once_and_rolls_back(case):
    """Backward's walk over fold-shaped graphs (the spine taken back in one run) with grads
    already set: the op nodes in ``topo_order``'s order, every nonzero grad kept exactly
    once, every visited grad the walk's 0.0, and rollback puts every grad back to the bit."""
    steps, xs, start = case
    walked, read = build_fold(steps, xs), build_fold(steps, xs)
    everything = topo_order(walked)
    for node, g in zip(everything, start * 4):
        node.grad = g
    before = {node: repr(node.grad) for node in everything}
    order, leaves, kept, olds = [], [], [], []
    visit(order, leaves, [walked], kept, olds)
    assert [(n.op, repr(n.data)) for n in order] == [
        (n.op, repr(n.data)) for n in topo_order(read) if n.op]
    assert len(set(kept)) == len(kept)
    assert {n: repr(g) for n, g in zip(kept, olds)} == {
        n: r for n, r in before.items() if n.grad is not None and float(r) != 0.0}
    assert all(type(n.grad) is float and n.grad == 0.0 for n in everything)
    rollback(order + leaves, [], kept, olds)
    assert {node: repr(node.grad) for node in everything} == before


@given(folds())
def test_backward_over_a_fold_adds_its_own_sum_to_each_old_grad(case):
    """With grads already set, each node ends at old + (this call's gradient), to the bit
    (the gradient as a twin graph starting from zero gets it)."""
    steps, xs, start = case
    root, twin = build_fold(steps, xs), build_fold(steps, xs)
    nodes, twins = topo_order(root), topo_order(twin)
    for node, g in zip(nodes, start * 4):
        node.grad = g
    old = [node.grad for node in nodes]
    root.backward()
    twin.backward()
    assert [repr(n.grad) for n in nodes] == [repr(g + t.grad) for g, t in zip(old, twins)]
