"""A notebook's lab output outlives its kernel: each output carries the static page beside
the live widget, so the notebook run by nbclient (saved as JupyterLab saves it, without
widget state) and exported by nbconvert to HTML shows the graph in headless chromium with
every network request refused, steps through it, and ends on the gradients Python computes."""

from __future__ import annotations

import pytest
from browser import chromium_page
from jupyter import isolated_env, notebook

import autograd
from autograd.viz.labels import fmt_num

pytestmark = pytest.mark.slow

EXPR = "n = x1*w1 + x2*w2 + b; o = tanh(n)"
VALUES = {"x1": 2.0, "x2": 0.0, "w1": -3.0, "w2": 1.0, "b": 6.88}
CELL = f"import autograd\nautograd.lab({EXPR!r}, **{VALUES!r})"


def test_the_bundle_has_the_widget_and_its_snapshot(dot_binary) -> None:
    w = autograd.lab(EXPR, **VALUES)
    data, _ = w._repr_mimebundle_()
    assert data["application/vnd.jupyter.widget-view+json"]["model_id"] == w.model_id
    html = data["text/html"]
    assert html.startswith('<iframe class="ag-snapshot"') and 'sandbox="allow-scripts"' in html
    assert "export default widget" in html and "&quot;live&quot;:false" in html
    assert len(html) < 200_000  # the neuron's snapshot: about 120 kB


def test_an_exported_notebook_shows_and_steps_the_lab(tmp_path, dot_binary,
                                                      chromium_binary) -> None:
    import nbclient
    import nbformat
    from nbconvert import HTMLExporter

    nb = nbformat.read(str(notebook(tmp_path / "lab.ipynb", [CELL])), as_version=4)
    nbclient.NotebookClient(nb, timeout=120, kernel_name="python3", store_widget_state=False,
                            resources={"metadata": {"path": str(tmp_path)}}
                            ).execute(env=isolated_env(tmp_path))
    body, _ = HTMLExporter().from_notebook_node(nb)
    page_file = tmp_path / "lab.html"
    page_file.write_text(body, encoding="utf-8")

    w = autograd.lab(EXPR, **VALUES)
    with chromium_page(1280, 1000) as (page, _problems):
        asked: list[str] = []

        def refuse(route) -> None:  # no kernel and no network: only the file itself
            asked.append(route.request.url)
            if route.request.url.startswith("file:"):
                route.continue_()
            else:
                route.abort()

        page.route("**/*", refuse)
        page.goto(page_file.as_uri())
        lab = page.frame_locator("iframe.ag-snapshot")
        counter = lab.locator(".ag-counter")
        counter.wait_for(timeout=30_000)
        last = len(w.scene["frames"]) - 1
        assert counter.inner_text() == f"0 / {last}"
        assert lab.locator(".ag-graph g.node").count() > 0
        assert lab.locator(".ag-sharebtn").count() == 0  # a snapshot has no address to share
        lab.locator(".ag-next").click()
        assert counter.inner_text() == f"1 / {last}"
        lab.locator(".ag-last").click()
        assert counter.inner_text() == f"{last} / {last}"
        grads = w.grads
        for key, number in w.state.keys.items():
            text = lab.locator(f'g.node[id="n{number}"] text', has_text="grad ").text_content()
            assert text == f"grad {fmt_num(grads[key])}", key
        assert any(not u.startswith("file:") for u in asked)  # nbconvert's page asked; refused
