"""draw_dot: exact DOT text, numbering, multiplicity, colours, nn clusters and collapsing."""

from __future__ import annotations

import math
import re

import graphviz
import pytest
from examples import mlp_graph
from hypothesis import given
from strategies import build, dags

import autograd
from autograd import GraphTooLargeError, InputTypeError, OptionError, Value, topo_order
from autograd.viz.dot import BAD_FILL, HOT, ZERO_FILL, draw_dot, fmt_num, neuron_owners

HEAD = """digraph {
\tgraph [fontname="Helvetica,Arial,sans-serif" rankdir=%s]
\tnode [fontname="Helvetica,Arial,sans-serif" fontsize=11 shape=record]
\tedge [fontname="Helvetica,Arial,sans-serif" fontsize=10]
"""
OP = 'fontsize=12 height=0.3 margin="0.04,0.02" shape=ellipse'


def records(source: str) -> list[str]:
    return re.findall(r"^\t(n\d+) \[label=\"", source, flags=re.M)


def op_nodes(source: str) -> list[str]:
    return re.findall(r"^\t(n\d+op) \[", source, flags=re.M)


def edges(source: str) -> list[str]:
    return re.findall(r"^\t(\S+ -> \S+)", source, flags=re.M)


def test_snapshot_before_backward_keeps_both_edges_of_a_plus_a():
    a = Value(2.0, label="a")
    b = a + a
    b.label = "b"
    assert draw_dot(b).source == HEAD % "LR" + f"""\
\tn0 [label="{{ a | data 2.0000 | grad — }}"]
\tn1 [label="{{ b | data 4.0000 | grad — }}"]
\tn1op [label="+" {OP}]
\tn0 -> n1op
\tn0 -> n1op
\tn1op -> n1
\tfontsize=11 label="grad — : backward() has not run yet"
}}
"""


def test_snapshot_after_backward_top_to_bottom_with_highlight():
    x = Value(-1.5, label="x")
    y = (x * 4.0).relu()
    y.label = "y"
    y.backward()
    hot = f'color="{HOT}" penwidth=3'
    assert draw_dot(y, rankdir="TB", highlight=[y, 0]).source == HEAD % "TB" + f"""\
\tn0 [label="x | data -1.5000 | grad 0.0000" {hot}]
\tn1 [label="#1 | data 4.0000 | grad 0.0000"]
\tn2 [label="#2 | data -6.0000 | grad 0.0000"]
\tn2op [label="*" {OP}]
\tn3 [label="y | data 0.0000 | grad 1.0000" {hot}]
\tn3op [label=ReLU color="{HOT}" {OP.replace('shape', 'penwidth=2 shape')}]
\tn0 -> n2op
\tn1 -> n2op
\tn2op -> n2
\tn2 -> n3op
\tn3op -> n3 [color="{HOT}" penwidth=2]
}}
"""


def test_micrograd_call_returns_a_digraph_that_renders_as_svg():
    x = Value(3.0, label="x")
    dot = draw_dot(x.tanh())
    assert isinstance(dot, graphviz.Digraph)
    assert dot.format == "svg"


def test_same_graph_built_twice_gives_byte_identical_text():
    def source() -> str:
        root, _ = mlp_graph(2, [3, 1], [0.5, -1.0], seed=4)
        root.backward()
        return draw_dot(root, color_by="grad").source + draw_dot(root, collapse="neuron").source

    assert source() == source()


@given(dags())
def test_one_box_per_value_one_ellipse_per_op_and_every_edge(case):
    recipe, point = case
    root = build(recipe)(*[Value(v) for v in point])
    order = topo_order(root)
    src = draw_dot(root).source
    assert records(src) == [f"n{k}" for k in range(len(order))]
    assert op_nodes(src) == [f"n{k}op" for k, n in enumerate(order) if n.op]
    n_edges = sum(len(n.children) + 1 for n in order if n.op)
    assert len(edges(src)) == n_edges


def test_labels_are_escaped_for_record_shapes():
    v = Value(1.0, label='a|b{c}<d>"e\\')
    assert r'a\|b\{c\}\<d\>\"e\\ | data' in draw_dot(v).source


def test_numbers_use_four_decimals_and_huge_ones_an_exponent():
    assert fmt_num(0.5) == "0.5000"
    assert fmt_num(-3.0) == "-3.0000"
    assert fmt_num(2.5e12) == "2.5000e+12"
    assert fmt_num(math.inf) == "inf"
    assert fmt_num(math.nan) == "nan"


def test_show_grad_false_drops_grads_and_the_caption():
    src = draw_dot(Value(1.0, label="v") * 2, show_grad=False).source
    assert "grad" not in src
    assert "has not run yet" not in src


def test_caption_goes_away_after_backward():
    y = Value(1.0) * 2
    assert "has not run yet" in draw_dot(y).source
    y.backward()
    src = draw_dot(y).source
    assert "has not run yet" not in src and "—" not in src


def test_color_by_grad_shades_on_a_log_scale_with_a_legend():
    a, b, c = Value(1e-6, label="a"), Value(3.0, label="b"), Value(0.0, label="c")
    y = a * b + c * 0.0 + a * 1e5
    y.backward()  # grads: a 3+1e5, b 1e-6, c 0
    src = draw_dot(y, color_by="grad").source
    assert "legend [label=<<table" in src and "|grad|, log scale" in src
    assert "1e-6 &le; |grad|" in src and "grad = 0" in src
    fills = dict(re.findall(r'label="\{ (\w) \|.*?fillcolor="([^"]+)"', src))
    assert fills["c"] == ZERO_FILL  # zero grad is drawn apart from the scale
    assert fills["a"] != fills["b"]  # 1e5 and 1e-6 get different shades
    assert 'style="filled,dashed"' in src


def test_color_by_grad_marks_nan_and_inf():
    x = Value(0.0, label="x")
    y = x.sqrt()
    y.backward()  # d sqrt/dx at 0 is inf
    src = draw_dot(y, color_by="grad").source
    assert f'fillcolor="{BAD_FILL}"' in src and "nan / inf" in src


@pytest.mark.parametrize("kwargs", [dict(rankdir="XY"), dict(color_by="data"),
                                    dict(collapse="layer")])
def test_bad_options_name_the_allowed_values(kwargs):
    with pytest.raises(OptionError, match=list(kwargs)[0]):
        draw_dot(Value(1.0), **kwargs)


def test_highlight_by_number_equals_by_value_and_rejects_strangers():
    x = Value(1.0, label="x")
    y = x * 2
    assert draw_dot(y, highlight=[x]).source == draw_dot(y, highlight=[0]).source
    with pytest.raises(OptionError, match="not a node of this graph"):
        draw_dot(y, highlight=[Value(5.0)])
    with pytest.raises(OptionError, match="#0..#2"):
        draw_dot(y, highlight=[7])


def test_not_a_value_is_a_type_error():
    with pytest.raises(InputTypeError, match="draw_dot expects a Value, got 3"):
        draw_dot(3)


def test_past_max_nodes_says_how_many_and_suggests_collapsing():
    y = Value(0.0)
    for _ in range(30):
        y = y + 1.0
    with pytest.raises(GraphTooLargeError) as err:
        draw_dot(y, max_nodes=20)
    message = str(err.value)
    assert "61 nodes" in message and "max_nodes=20" in message
    assert 'collapse="neuron"' in message
    assert len(records(draw_dot(y, max_nodes=61).source)) == 61


def test_neurons_and_layers_become_nested_clusters():
    root, _ = mlp_graph(2, [3, 1], [0.5, -1.0])
    src = draw_dot(root).source
    layer = src.index('subgraph "cluster_layers.0" {')
    neuron = src.index('subgraph "cluster_layers.0.neurons.2" {')
    closing = src.index("\t}\n", neuron)  # the neuron cluster closes before its layer does
    assert layer < neuron < closing < src.index("\n\t}\n", closing + 3)
    assert 'label="layers.1"' in src and 'label="neurons.2"' in src
    assert '"{ w.1 | data' in src  # inside a cluster a parameter shows its own name


@pytest.mark.parametrize("style", ["dot", "chain"])
def test_every_node_of_a_neuron_is_owned_and_inputs_are_not(style):
    root, inputs = mlp_graph(2, [3, 1], [0.5, -1.0], style=style)
    loss = (root - 1.0) ** 2
    owner = neuron_owners(topo_order(loss))
    assert len(set(owner.values())) == 4
    assert owner[root] == "layers.1.neurons.0"
    assert all(x not in owner for x in inputs) and loss not in owner


def test_a_batch_sum_and_a_penalty_stay_outside_the_neurons():
    root, _ = mlp_graph(2, [2, 1], [0.5, -1.0])
    params = [n for n in topo_order(root) if "neurons" in n.label]
    again = root * 1.0  # a second use, as in a batch
    batch = autograd.sum([root.relu(), again.relu()])
    penalty = autograd.sum([p * p for p in params])
    total = batch + penalty
    owner = neuron_owners(topo_order(total))
    assert batch not in owner and penalty not in owner and total not in owner


def test_collapse_draws_one_box_per_neuron():
    root, _ = mlp_graph(2, [4, 4, 1], [0.5, -1.0])
    loss = (root - 1.0) ** 2
    loss.backward()
    src = draw_dot(loss, collapse="neuron").source
    boxes = re.findall(r'^\t+"(layers\.\d+\.neurons\.\d+)" \[label="(neurons\.\d+) \| '
                       r"(\d+) params, (\w+)", src, flags=re.M)  # fields stacked: no braces
    assert len(boxes) == 9
    assert ("layers.0.neurons.3", "neurons.3", "3", "ReLU") in boxes
    assert ("layers.2.neurons.0", "neurons.0", "5", "linear") in boxes
    assert r"max \|param grad\|" in src
    # the rest: x0, x1, the constant 1.0 and the two loss nodes; edges between neurons
    assert len(records(src)) == 5
    assert src.count('"layers.0.neurons.1" -> "layers.1.neurons.2"') == 1
    assert '"layers.1.neurons.0" -> "layers.2.neurons.0"' in src


def test_a_whole_mlp_2_16_16_1_collapses_to_a_page():
    root, _ = mlp_graph(2, [16, 16, 1], [0.5, -1.0], style="chain")
    with pytest.raises(GraphTooLargeError, match='collapse="neuron"'):
        draw_dot(root, max_nodes=100)
    src = draw_dot(root, collapse="neuron", max_nodes=100).source
    assert len(re.findall(r'^\t+"layers[^"]*" \[label=', src, flags=re.M)) == 33


def test_collapsed_colours_show_dead_neurons_by_their_parameters():
    root, _ = mlp_graph(2, [4, 1], [0.5, -1.0], seed=1)
    root.backward()
    src = draw_dot(root, collapse="neuron", color_by="grad").source
    dead = [n for n in topo_order(root) if n.op == "relu" and n.data == 0.0]
    assert dead, "seed 1 gives at least one dead ReLU"
    assert src.count(f'fillcolor="{ZERO_FILL}"') >= len(dead)
    assert "neurons: largest |param grad|" in src


def test_collapsed_batch_bundles_parallel_edges_and_ignores_penalties():
    root, inputs = mlp_graph(2, [3, 1], [0.5, -1.0])
    params = [n for n in topo_order(root) if "neurons" in n.label]
    second = [Value(0.1), Value(0.2)]  # the same model on a second sample, by substitution
    mapping = dict(zip(inputs, second))

    def replay(node: Value, memo: dict) -> Value:  # rebuild the forward pass on `second`
        for n in topo_order(node):
            if n in memo:
                continue
            if not n.op:
                memo[n] = mapping.get(n, n)
            elif n.op == "dot":
                kids = [memo[c] for c in n.children]
                memo[n] = autograd.dot(kids[:len(kids) // 2], kids[len(kids) // 2:])
            elif n.op == "add":
                memo[n] = memo[n.children[0]] + memo[n.children[1]]
            else:
                memo[n] = memo[n.children[0]].relu()
        return memo[node]

    total = root + replay(root, {}) + 1e-4 * autograd.sum([p * p for p in params])
    total.backward()
    src = draw_dot(total, collapse="neuron").source
    assert '[label="neurons.0 | 3 params, ReLU, 2 outputs' in src  # p * p is no output
    assert '"layers.0.neurons.0" -> "layers.1.neurons.0" [label="×2"]' in src
    assert re.search(r'"layers.0.neurons.0" -> n\d+op \[label="×3"\]', src)  # w.0, w.1, b
