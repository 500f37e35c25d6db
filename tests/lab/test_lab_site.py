"""The classroom site: the folder ``save_site`` writes (the page, the engine's source, npm's
Pyodide) served by ``python -m http.server`` on 127.0.0.1, in headless chromium with every
other request refused. Stepping works before Python is up; then a slider, a gradient step
and a check recompute in the page on the real engine (Pyodide), giving the gradients this
Python gives to 1e-9; predict mode asks the recomputed numbers; a lesson link's inputs
are honoured; the folder stays within 20 MB."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from browser import chromium_page, screenshot, wait_until
from child_server import child_server, free_port
from needs import require_binary
from portable.pyodide_env import pyodide_dir

from autograd.lab import lab_state
from autograd.lab.classroom_site import PYODIDE_FILES, find_pyodide, save_site
from autograd.lab.scene import initial_model

pytestmark = pytest.mark.slow

EXPR = "n = x1*w1 + x2*w2 + b; o = tanh(n)"
VALUES = {"x1": 2.0, "x2": 0.0, "w1": -3.0, "w2": 1.0, "b": 6.8813735870195432}
BUDGET = 20 * 1024 * 1024
READY = "window.agLab && window.agLab.model.engine !== 'starting'"
# every node's gradient at the end of the page's timeline: the last value its frames give
GRADS = """() => {
  const out = {};
  window.agLab.model.get('scene').frames.forEach((f) => (f.grads || []).forEach((g) => {
    out[g[0]] = g[2];
  }));
  return out;
}"""
LEAVES = """() => Object.fromEntries(window.agLab.model.get('scene').leaves
                                     .map((l) => [l.key, l.value]))"""


def python_grads(values: dict[str, float]) -> dict[str, float]:
    state = lab_state(EXPR, **values)
    return {str(k): g for k, g in enumerate(state.final)}


def close(page_numbers: dict, python_numbers: dict) -> bool:
    return set(page_numbers) == set(python_numbers) and all(
        abs(page_numbers[k] - python_numbers[k]) <= 1e-9 for k in python_numbers)


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    require_binary("dot", "the site's graph is laid out once by Graphviz")
    folder = tmp_path_factory.mktemp("site") / "class"
    save_site(EXPR, folder, pyodide=pyodide_dir(), **VALUES)
    return folder


@pytest.fixture(scope="module")
def served(site) -> str:
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    with child_server([sys.executable, "-m", "http.server", "-b", "127.0.0.1", "-d", str(site),
                       str(port)], base, "http.server", timeout=30):
        yield base


def only_the_folder(page, base: str) -> list[str]:
    """Refuse every request outside the site's folder; the list of those refused."""
    refused: list[str] = []

    def route(r) -> None:
        if r.request.url.startswith(base):
            r.continue_()
        else:
            refused.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    return refused


def test_the_folder_holds_the_page_the_engine_and_pyodide_within_budget(site) -> None:
    files = {p.relative_to(site).as_posix(): p.stat().st_size for p in site.rglob("*")
             if p.is_file()}
    assert set(files) == {"index.html", "autograd.zip", "site_worker.js",
                          *(f"pyodide/{name}" for name in PYODIDE_FILES)}
    assert sum(files.values()) <= BUDGET, files
    html = (site / "index.html").read_text(encoding="utf-8")
    assert "https://" not in html.replace("https://www.w3.org", "")  # nothing from outside


def test_the_site_recomputes_in_the_browser_as_python_does(served, chromium_binary) -> None:
    with chromium_page(1280, 800) as (page, problems):
        refused = only_the_folder(page, served)
        page.goto(served)
        wait_until(page, "document.querySelector('.ag-counter')")
        page.click(".ag-next")  # the precomputed frames step while Python starts (in a worker)
        assert page.locator(".ag-counter").inner_text() == "1 / 11"
        assert page.evaluate("window.agLab.model.engine") == "starting"
        wait_until(page, READY, timeout=120_000)
        assert page.evaluate("window.agLab.model.engine") == "ready", \
            page.locator(".ag-msg").inner_text()
        assert close(page.evaluate(GRADS), python_grads(VALUES))

        version = page.evaluate("window.agLab.model.get('scene').version")
        page.fill('input[type=range][data-key="x1"]', "0.5")
        wait_until(page, f"window.agLab.model.get('scene').version > {version}")
        moved = page.evaluate(LEAVES)
        assert moved["x1"] != VALUES["x1"] and {k: moved[k] for k in VALUES if k != "x1"} == \
            {k: v for k, v in VALUES.items() if k != "x1"}
        assert close(page.evaluate(GRADS), python_grads(moved))  # the engine ran in the page

        python = lab_state(EXPR, **moved)
        python.gradient_step()
        version = page.evaluate("window.agLab.model.get('scene').version")
        page.click(".ag-gradstep")
        wait_until(page, f"window.agLab.model.get('scene').version > {version}")
        stepped = page.evaluate(LEAVES)
        assert all(abs(stepped[k] - v) <= 1e-12 for k, v in python.values().items())
        assert close(page.evaluate(GRADS), python_grads(stepped))

        page.click(".ag-checkbtn")
        page.locator('[data-panel="check"] table').wait_for(timeout=30_000)

        page.check(".ag-quizmode")  # predict mode asks the numbers the page's Python computed
        right = lab_state(EXPR, **stepped).frames[1]["ask"][0]["right"]
        page.fill(".ag-answer", f"{right:.6f}")
        page.click(".ag-quiz-check")
        assert page.locator(".ag-counter").inner_text() == "1 / 11"
        assert page.evaluate("window.agLab.model.get('score').right") == 1
        screenshot(page, "lab-site.png")
        assert refused == [] and not problems, (refused, problems)


def test_a_lesson_link_opens_the_site_on_its_inputs(served, chromium_binary) -> None:
    with chromium_page(1280, 800) as (page, problems):
        refused = only_the_folder(page, served)
        page.goto(served + "#x1=-1.5&w2=0.25&frame=4&hide=legend,zoom")
        wait_until(page, READY, timeout=120_000)
        wait_until(page, "window.agLab.model.get('scene').leaves"
                         ".some((l) => l.key === 'x1' && l.value === -1.5)")
        leaves = page.evaluate(LEAVES)
        assert leaves == {**VALUES, "x1": -1.5, "w2": 0.25}
        assert close(page.evaluate(GRADS), python_grads(leaves))
        assert page.locator(".ag-counter").inner_text() == "4 / 11"
        assert not page.locator(".ag-legend").is_visible()
        with page.expect_event("load"):  # a new link: the page opens anew
            page.evaluate("location.hash = '#frame=2&nope=1'")
        wait_until(page, READY, timeout=120_000)
        wait_until(page, "document.querySelector('.ag-msg').textContent.startsWith('live:')")
        assert page.locator(".ag-msg").inner_text().endswith("; this page has no input nope")
        assert refused == [] and not problems, (refused, problems)


def test_without_pyodide_the_site_says_how_to_get_it(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("PYODIDE_DIR", str(tmp_path / "nowhere"))
    with pytest.raises(Exception, match="npm install --prefix DIR pyodide") as err:
        find_pyodide(tmp_path / "nowhere")
    assert type(err.value).__name__ == "MissingDependency"
    from autograd.lab import classroom_site

    monkeypatch.delenv("PYODIDE_DIR")
    monkeypatch.setattr(classroom_site, "_CHECKOUT_CACHE", None)  # as installed from a wheel
    with pytest.raises(Exception, match=r"not found \(no --pyodide given and PYODIDE_DIR is not "
                                        r"set\); install it once with npm"):
        find_pyodide()
    assert initial_model({"leaves": []}, hide="share")["hide"] == ["share"]


def test_the_command_writes_the_site_and_says_how_to_serve_it(tmp_path, dot_binary,
                                                              capsys) -> None:
    from autograd.cli import main

    args = ["lab", "o = tanh(x*w + b)", "x=2", "w=-3", "b=1", "--site", str(tmp_path / "s"),
            "--quiz", "--hide", "inputs"]
    assert main([*args, "--pyodide", str(tmp_path / "nowhere")]) == 2
    assert "npm install --prefix DIR pyodide" in capsys.readouterr().err
    assert main([*args, "--pyodide", str(pyodide_dir())]) == 0
    said = capsys.readouterr().out
    assert "wrote the classroom site" in said and "python -m http.server -d" in said
    html = (tmp_path / "s" / "index.html").read_text(encoding="utf-8")
    assert '"quiz":true' in html and '"hide":["inputs"]' in html
    assert '"expr":"o = tanh(x*w + b)"' in html
    assert main([*args, "--pyodide", str(pyodide_dir())]) == 0  # a site is rewritten
    capsys.readouterr()
    (tmp_path / "pages").mkdir()
    (tmp_path / "pages" / "index.html").write_text("the teacher's own page")
    assert main([*args[:-4], str(tmp_path / "pages"), "--pyodide", str(pyodide_dir())]) == 2
    assert "already has an index.html that is not a lab site" in capsys.readouterr().err
    assert (tmp_path / "pages" / "index.html").read_text() == "the teacher's own page"
    assert sorted(p.name for p in (tmp_path / "pages").iterdir()) == ["index.html"]


def test_opened_as_a_file_the_site_steps_and_says_to_serve_it(site, chromium_binary) -> None:
    with chromium_page(1280, 800) as (page, problems):
        page.goto((site / "index.html").as_uri())
        wait_until(page, READY, timeout=60_000)
        page.click(".ag-next")
        assert page.locator(".ag-counter").inner_text() == "1 / 11"
        assert page.evaluate("window.agLab.model.engine") == "failed"
        assert "python -m http.server" in page.locator(".ag-msg").inner_text()
        assert not problems, problems
