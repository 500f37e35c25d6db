"""draw_text: the terminal tree, its shared-node references, and any depth without recursion."""

from __future__ import annotations

import re

import pytest
from examples import neuron
from hypothesis import given
from strategies import build, dags

from autograd import InputTypeError, Value, draw_text, topo_order


def test_neuron_tree_snapshot():
    assert draw_text(neuron(backward=True)) == """\
#9 o [tanh] data 0.7071 grad 1.0000
└─ #8 n [+] data 0.8814 grad 0.5000
   ├─ #6 [+] data -6.0000 grad 0.5000
   │  ├─ #2 [*] data -6.0000 grad 0.5000
   │  │  ├─ #0 x1 data 2.0000 grad -1.5000
   │  │  └─ #1 w1 data -3.0000 grad 1.0000
   │  └─ #5 [*] data 0.0000 grad 0.5000
   │     ├─ #3 x2 data 0.0000 grad 0.5000
   │     └─ #4 w2 data 1.0000 grad 0.0000
   └─ #7 b data 6.8814 grad 0.5000"""


def test_shared_nodes_are_referenced_and_fresh_grads_are_dashes():
    a = Value(1.0, label="a")
    b = a * a
    c = b + b
    assert draw_text(c) == """\
#2 [+] data 2.0000 grad —
├─ #1 [*] data 1.0000 grad —
│  ├─ #0 a data 1.0000 grad —
│  └─ (see #0 a)
└─ (see #1)
(grad —: backward() has not run yet)"""


def test_without_grads():
    x = Value(3.0, label="x")
    assert draw_text(x.exp(), show_grad=False) == "#1 [exp] data 20.0855\n└─ #0 x data 3.0000"


@given(dags())
def test_every_node_is_written_once_in_full(case):
    recipe, point = case
    root = build(recipe)(*[Value(v) for v in point])
    root.backward()
    text = draw_text(root, max_depth=10_000)
    full = re.findall(r"^[│├└─ ]*#(\d+) ", text, flags=re.M)
    assert sorted(map(int, full)) == list(range(len(topo_order(root))))
    assert text.splitlines()[0].startswith(f"#{len(topo_order(root)) - 1} ")


def test_a_100000_deep_chain_is_cut_not_crashed():
    y = Value(1.0, label="x")
    for _ in range(100_000):
        y = y.sin()
    text = draw_text(y)
    lines = text.splitlines()
    assert len(lines) == 54  # 51 nodes, the cut marker, the footer, the fresh-grad note
    assert "not shown: deeper than max_depth=50" in lines[51]
    assert lines[52] == "(99,950 of 100,001 nodes not shown: pass a larger max_depth)"


def test_not_a_value_is_a_type_error():
    with pytest.raises(InputTypeError, match="draw_text expects a Value"):
        draw_text("x")
