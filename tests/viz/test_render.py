"""save_graph and friends: real `dot` output parsed back, and a clear error without it."""

from __future__ import annotations

import os
import xml.etree.ElementTree as ET

import pytest
from examples import neuron

from autograd import GraphvizNotFound, OptionError, Value, draw_dot, save_graph, topo_order
from autograd.viz.render import find_dot
from autograd.viz.save import repr_svg

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def no_dot(monkeypatch, tmp_path):
    """A PATH on which Graphviz's `dot` cannot be found."""
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))


def groups(root: ET.Element, cls: str) -> list[ET.Element]:
    return [g for g in root.iter(f"{SVG}g") if g.get("class") == cls]


def texts(element: ET.Element) -> list[str]:
    return [t.text or "" for t in element.iter(f"{SVG}text")]


def test_svg_parses_and_has_every_node_label_and_edge(tmp_path, dot_binary):
    o = neuron(backward=True)
    path = save_graph(o, tmp_path / "neuron.svg")
    svg = ET.parse(path).getroot()
    order = topo_order(o)
    nodes = groups(svg, "node")
    assert len(nodes) == len(order) + sum(1 for n in order if n.op)
    words = texts(svg)
    for label in ("x1", "x2", "w1", "w2", "b", "n", "o"):
        assert label in words
    assert "grad -1.5000" in words and "data 0.7071" in words and "tanh" in words
    assert len(groups(svg, "edge")) == sum(len(n.children) + 1 for n in order if n.op)


def test_color_legend_is_in_the_rendered_svg(tmp_path, dot_binary):
    path = save_graph(neuron(backward=True), tmp_path / "c.svg", color_by="grad")
    words = texts(ET.parse(path).getroot())
    assert "|grad|, log scale" in words and "grad = 0" in words


def test_special_characters_in_labels_survive_rendering(tmp_path, dot_binary):
    v = Value(1.0, label='a|b{c}<d>"e\\') * 2
    words = texts(ET.parse(save_graph(v, tmp_path / "odd.svg")).getroot())
    assert 'a|b{c}<d>"e\\' in words


@pytest.mark.parametrize("suffix, magic", [(".png", b"\x89PNG\r\n\x1a\n"), (".pdf", b"%PDF"),
                                           (".SVG", b"<?xml")])
def test_binary_formats_come_from_the_extension(tmp_path, dot_binary, suffix, magic):
    path = save_graph(neuron(backward=True), tmp_path / f"g{suffix}")
    data = path.read_bytes()
    assert data.startswith(magic) and len(data) > 200


def test_draw_kwargs_reach_the_drawing(tmp_path):
    o = neuron(backward=True)
    path = save_graph(o, tmp_path / "g.dot", rankdir="TB", show_grad=False)
    assert path.read_text(encoding="utf-8") == draw_dot(o, rankdir="TB", show_grad=False).source


def test_dot_text_needs_no_binary(tmp_path, no_dot):
    o = neuron(backward=True)
    path = save_graph(o, os.fspath(tmp_path / "g.dot"))
    assert path.read_text(encoding="utf-8") == draw_dot(o).source


@pytest.mark.parametrize("suffix", [".svg", ".png", ".pdf", ".html"])
def test_missing_dot_says_how_to_install_it(tmp_path, no_dot, suffix):
    target = tmp_path / f"g{suffix}"
    target.write_text("old")
    with pytest.raises(GraphvizNotFound) as err:
        save_graph(neuron(backward=True), target)
    message = str(err.value)
    for hint in ("sudo apt-get install graphviz", "brew install graphviz",
                 "conda install -c conda-forge graphviz", ".dot"):
        assert hint in message
    assert target.read_text() == "old"  # nothing half-written
    assert sorted(p.name for p in tmp_path.iterdir()) == ["empty-bin", f"g{suffix}"]


def test_find_dot_names_what_it_was_for(no_dot):
    with pytest.raises(GraphvizNotFound, match="needed to render the graph"):
        find_dot()


def test_unknown_extension_lists_the_supported_ones(tmp_path):
    with pytest.raises(OptionError) as err:
        save_graph(neuron(backward=True), tmp_path / "g.jpeg")
    assert "g.jpeg" in str(err.value)
    for suffix in (".svg", ".png", ".pdf", ".dot", ".html"):
        assert suffix in str(err.value)
    assert list(tmp_path.iterdir()) == []


def test_writes_replace_the_file_and_leave_no_temporary_behind(tmp_path, dot_binary):
    target = tmp_path / "g.svg"
    target.write_text("old")
    save_graph(neuron(backward=True), target)
    assert target.read_text().startswith("<?xml")
    assert [p.name for p in tmp_path.iterdir()] == ["g.svg"]
    mask = os.umask(0)
    os.umask(mask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~mask  # as open() would make it


def test_jupyter_gets_svg_with_dot(dot_binary):
    svg = neuron(backward=True)._repr_svg_()
    assert svg is not None and svg.lstrip().startswith("<?xml") and "<svg" in svg
    ET.fromstring(svg)


def test_jupyter_falls_back_to_text_without_dot(no_dot):
    o = neuron(backward=True)
    assert o._repr_svg_() is None
    assert repr(o).startswith("Value(data=0.7071")


def test_jupyter_falls_back_for_a_graph_too_large(dot_binary):
    y = Value(0.0)
    for _ in range(600):
        y = y + 1.0
    assert repr_svg(y) is None
