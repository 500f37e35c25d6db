"""Lesson links: a page's state (expression, inputs, frame, predict mode, hidden controls)
lives in its URL's hash. In headless chromium, the served lab's Share panel makes a link
with controls hidden; opening it in a fresh page reopens the same state, the inputs
recomputed by Python; predict mode comes back from its frame on. The hash reads and writes
round-trip in the page (any input names, values and groups)."""

from __future__ import annotations

import json

import pytest
from browser import chromium_page, field_text, screenshot, wait_until
from hypothesis import given
from hypothesis import strategies as st
from needs import require_binary

from autograd.lab import lab_state, save_lab_html
from autograd.lab.scene import CONTROLS, controls
from autograd.lab.server import LabServer
from autograd.viz.labels import fmt_num

pytestmark = pytest.mark.slow

EXPR = "n = x1*w1 + x2*w2 + b; o = tanh(n)"
VALUES = {"x1": 2.0, "x2": 0.0, "w1": -3.0, "w2": 1.0, "b": 6.8813735870195432}
OUTPUT = "document.querySelector('.ag-output').textContent"


def shown(page, selector: str) -> bool:
    return page.locator(selector).first.is_visible()


def student(page, link: str, problems: list[str]):
    """A fresh page (as a student's browser) opened on a link, once the lab is drawn."""
    fresh = page.context.browser.new_page(viewport={"width": 1280, "height": 800})
    fresh.on("pageerror", lambda e: problems.append(str(e)))
    fresh.goto(link)
    wait_until(fresh, "document.querySelector('.ag-counter')")
    return fresh


def test_the_groups_of_controls_agree_and_are_checked() -> None:
    from autograd.lab.page import asset

    assert f"const CONTROLS = {json.dumps(list(CONTROLS))};" in asset("viewer_link.js")
    assert controls("inputs, legend") == ["inputs", "legend"]
    with pytest.raises(ValueError, match="unknown control group 'slider'.*inputs"):
        controls(["slider"])


def test_a_lesson_link_with_hidden_controls_reopens_the_same_state(dot_binary,
                                                                   chromium_binary) -> None:
    state = lab_state(EXPR, **VALUES)
    with LabServer(state).start(quiet=True) as server, \
            chromium_page(1280, 800) as (page, problems):
        page.goto(server.url)
        wait_until(page, "document.querySelector('.ag-counter')")
        page.fill('input[type=range][data-key="x1"]', "1")
        wait_until(page, f"{OUTPUT}.indexOf('0.9991') >= 0 || "
                         "document.querySelector('.ag-msg').textContent.startsWith('set x1')")
        page.fill(".ag-slider", "9")
        page.click(".ag-sharebtn")
        for group in ("inputs", "inspector", "zoom"):
            page.check(f'.ag-share input[data-control="{group}"]')
        link = page.input_value(".ag-sharelink")
        assert "--site DIR" in page.locator(".ag-share .ag-hint").inner_text()  # served here only
        assert link.startswith(server.url + "#") and "frame=9" in link
        assert "x1=1&" in link and "hide=inputs,inspector,zoom" in link
        assert page.evaluate("location.hash").startswith("#expr=")  # the URL follows the page
        screenshot(page, "lab-share.png")

        fresh = student(page, link, problems)
        assert fresh.locator(".ag-counter").inner_text() == "9 / 11"
        assert not shown(fresh, ".ag-live") and not shown(fresh, ".ag-inspect")
        assert not shown(fresh, ".ag-fit") and shown(fresh, ".ag-next")
        assert shown(fresh, ".ag-sharebtn") and not fresh.locator(".ag-quizmode").is_checked()
        state_now = lab_state(EXPR, **{**VALUES, "x1": 1.0})  # what Python gives for x1 = 1
        wait_until(fresh, f"document.querySelector('g.node[id=\"n0\"]').textContent"
                          f".indexOf('data {fmt_num(1.0)}') >= 0")
        fresh.click(".ag-last")
        wait_until(fresh, f"{OUTPUT}.startsWith('o = {fmt_num(state_now.output)}')")
        for key, number in state_now.keys.items():
            assert field_text(fresh, f"n{number}", "grad") == fmt_num(state_now.grads()[key])
        assert state.values()["x1"] == 1.0  # the server's Python recomputed
        screenshot(fresh, "lab-link-reopened.png")

        with fresh.expect_event("load"):  # another link pasted in the same tab: opened anew
            fresh.evaluate("location.hash = '#frame=2'")
        wait_until(fresh, "document.querySelector('.ag-counter')")
        assert fresh.locator(".ag-counter").inner_text() == "2 / 11" and shown(fresh, ".ag-live")

        fresh = student(page, server.url + "#frame=4&predict=1&hide=share", problems)
        assert fresh.locator(".ag-quizmode").is_checked()
        assert fresh.locator(".ag-counter").inner_text() == "4 / 11"
        assert not shown(fresh, ".ag-sharebtn") and fresh.locator(".ag-quiz").is_visible()
        fresh.click(".ag-next")  # predict mode: the next frame waits for an answer
        assert fresh.locator(".ag-counter").inner_text() == "4 / 11"

        fresh = student(page, server.url + "#expr=y+%3D+x*x&x=3&frame=2", problems)
        wait_until(fresh, "document.querySelector('.ag-msg')")
        assert "this link is for y = x*x" in fresh.locator(".ag-msg").inner_text()
        assert fresh.locator(".ag-counter").inner_text() == "0 / 11"
        assert not problems, problems


def test_a_static_page_honours_the_frame_and_says_it_cannot_move_inputs(
        tmp_path, dot_binary, chromium_binary) -> None:
    path = save_lab_html(lab_state(EXPR, **VALUES), tmp_path / "lab.html")
    with chromium_page(1280, 800) as (page, problems):
        page.goto(path.as_uri() + "#x1=5&frame=3&hide=legend")
        wait_until(page, "document.querySelector('.ag-counter')")
        assert page.locator(".ag-counter").inner_text() == "3 / 11"
        assert not shown(page, ".ag-legend")
        assert "need a live lab" in page.locator(".ag-msg").inner_text()
        assert field_text(page, "n0", "data") == fmt_num(2.0)
        assert not problems, problems


def test_a_hostile_link_runs_nothing_and_says_what_it_left_out(tmp_path, dot_binary,
                                                              chromium_binary) -> None:
    path = save_lab_html(lab_state(EXPR, **VALUES), tmp_path / "lab.html")
    script = "%3Cimg%20src%3Dx%20onerror%3Dwindow.PWNED%3D1%3E"
    with chromium_page(1280, 800) as (page, problems):
        page.on("dialog", lambda d: problems.append("dialog " + d.message))
        page.goto(path.as_uri() + f"#x1={script}&frame=-3&predict=maybe&hide=legend,{script}"
                  "&nope=1&%&" + "zz=1&" * 2000)
        wait_until(page, "document.querySelector('.ag-counter')")
        msg = page.locator(".ag-msg").inner_text()
        assert msg.startswith("left out what this page cannot read in the link: x1=<img src=x ")
        assert "frame=-3, predict=maybe, hide=<img src=x " in msg and ", %=" in msg
        assert "this page has no input nope, zz" in msg
        assert page.locator(".ag-counter").inner_text() == "0 / 11"
        assert not shown(page, ".ag-legend") and page.locator("img").count() == 0
        fresh = student(page, path.as_uri() + f"#expr={script}", problems)
        assert "this link is for <img src=x onerror=window.PWNED=1>" in \
            fresh.locator(".ag-msg").inner_text()
        assert fresh.evaluate("window.PWNED") is None and fresh.locator("img").count() == 0
        assert not problems, problems


@pytest.fixture(scope="module")
def link_page(tmp_path_factory):
    """A page with the front-end module loaded and its link functions reachable."""
    from autograd.lab.page import module_source

    require_binary("/usr/bin/chromium", "lesson links are read and written in a browser")
    path = tmp_path_factory.mktemp("links") / "links.html"
    path.write_text("<!DOCTYPE html><script type=module>" + module_source() +
                    "\nwindow.agRoundTrip = (s) => readLink(writeLink(s));</script>")
    with chromium_page() as (page, problems):
        page.goto(path.as_uri())
        wait_until(page, "typeof window.agRoundTrip === 'function'")
        yield page
        assert not problems, problems


names = st.from_regex(r"[a-z_][a-z0-9_]{0,6}", fullmatch=True)


@given(values=st.dictionaries(names, st.floats(allow_nan=False, allow_infinity=False,
                                               width=64), max_size=5),
       frame=st.integers(0, 500), predict=st.booleans(),
       hide=st.lists(st.sampled_from(list(CONTROLS)), unique=True))
def test_links_round_trip(link_page, values, frame, predict, hide) -> None:
    state = {"expr": "o = tanh(x*w + b); y = o**2", "values": values, "frame": frame,
             "predict": predict, "hide": hide}
    back = link_page.evaluate("(s) => window.agRoundTrip(s)", state)
    assert {k: float(v) for k, v in back["values"].items()} == values  # ints come back as int
    assert back["frame"] == frame and back["expr"] == state["expr"]
    assert back.get("predict", False) == predict and back.get("hide", []) == hide


def test_a_notebook_lab_hides_controls_by_name(dot_binary) -> None:
    pytest.importorskip("anywidget")
    import autograd

    w = autograd.lab("y = x*x", x=2, hide="inputs, legend")
    assert w.hide == ["inputs", "legend"]
    assert "&quot;hide&quot;:[&quot;inputs&quot;,&quot;legend&quot;]" in \
        w._repr_mimebundle_()[0]["text/html"]  # the snapshot hides them too
    with pytest.raises(ValueError, match="unknown control group 'sliders'"):
        autograd.lab("y = x*x", x=2, hide=["sliders"])
