"""Regenerate the README pictures: ``python docs/img/make_images.py`` (needs Graphviz's dot).

neuron.svg: micrograd's neuron after backward; mlp_collapsed.svg: an MLP(2, [4, 4, 1])
with nn-style parameter paths, one box per neuron; animation.png: a screenshot of the
backward animation; lab.png: the live lab (``autograd lab``) mid-backward, a node
inspected (both need /usr/bin/chromium and playwright; lab.png the [lab] extra).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the demos package

import nn  # noqa: E402
from autograd import Value, save_backward_animation, save_graph  # noqa: E402
from demos.tour import INPUTS, neuron  # noqa: E402

HERE = Path(__file__).resolve().parent


def mlp_loss(seed: int = 0) -> Value:
    """Squared error of nn's MLP(2, [4, 4, 1]) on one point: its parameters carry paths."""
    model = nn.MLP(2, [4, 4, 1], seed=seed)
    loss = (model([0.5, -1.2]) - 1.0) ** 2
    loss.label = "loss"
    return loss


def screenshot(html: Path, png: Path, steps: int) -> None:
    from playwright.sync_api import sync_playwright

    args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run"]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=args)
        page = browser.new_page(viewport={"width": 1500, "height": 560})
        page.goto(html.as_uri())
        for _ in range(steps):
            page.keyboard.press("ArrowRight")
        page.screenshot(path=str(png))
        browser.close()


def lab_screenshot(png: Path) -> None:
    """The lab's local server for the neuron, one chain-rule step in, ``n`` inspected."""
    import threading

    from playwright.sync_api import sync_playwright

    from autograd.lab import lab_state
    from autograd.lab.server import LabServer

    state = lab_state("n = x1*w1 + x2*w2 + b; o = tanh(n)", **INPUTS)
    server = LabServer(state)
    thread = threading.Thread(target=server.run, kwargs={"open_browser": False, "quiet": True})
    thread.start()
    args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run"]
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True,
                                        args=args)
            page = browser.new_page(viewport={"width": 1280, "height": 720})
            page.goto(server.url)
            page.wait_for_selector(".ag-output")
            page.fill(".ag-slider", str(state.forward_frames + 2))
            page.click('g.node[id="n8"]')
            page.screenshot(path=str(png))
            browser.close()
    finally:
        server.stop()
        thread.join(10)


def main() -> None:
    o = neuron(**INPUTS)
    o.backward()
    print(save_graph(o, HERE / "neuron.svg"))
    loss = mlp_loss()
    loss.backward()
    print(save_graph(loss, HERE / "mlp_collapsed.svg", collapse="neuron", color_by="grad"))
    if "--no-browser" not in sys.argv:
        with tempfile.TemporaryDirectory() as tmp:
            html = save_backward_animation(neuron(**INPUTS), Path(tmp) / "neuron.html")
            screenshot(html, HERE / "animation.png", steps=9)
        print(HERE / "animation.png")
        lab_screenshot(HERE / "lab.png")
        print(HERE / "lab.png")


if __name__ == "__main__":
    main()
