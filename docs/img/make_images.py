"""Regenerate the README pictures: ``python docs/img/make_images.py`` (needs Graphviz's dot).

neuron.svg: micrograd's neuron after backward; mlp_collapsed.svg: an MLP(2, [4, 4, 1])
with nn-style parameter paths, one box per neuron; animation.png: a screenshot of the
backward animation; lab-predict.png, lab.png, lab-mlp.png: the lab in predict mode, served,
and on an nn model (these need /usr/bin/chromium and playwright; the lab ones the [lab]
extra).
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


def lab_screenshots(folder: Path) -> list[Path]:
    """The lab at 1280x720: lab-predict.png (predict mode, a wrong gradient diagnosed),
    lab.png (the served lab one chain-rule step in, ``n`` inspected) and lab-mlp.png (an
    nn model fitted in the pane, a neuron box inspected)."""
    from playwright.sync_api import sync_playwright

    from autograd.lab import lab, lab_state, save_lab_html

    args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run"]
    made = []
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=args)
        page = browser.new_page(viewport={"width": 1280, "height": 720})

        state = lab_state("n = x1*w1 + x2*w2 + b; o = tanh(n)", **INPUTS)
        page.goto(save_lab_html(state, Path(tmp) / "quiz.html", quiz=True).as_uri())
        for frame in state.frames[1:state.forward_frames + 1]:
            for ask in frame["ask"]:
                page.fill(f'.ag-answer[data-node="{ask["node"]}"]', repr(ask["right"]))
            page.click(".ag-quiz-check")
        page.fill(".ag-answer", "0.7071")  # n.grad: o's value taken for do/dn
        page.click(".ag-quiz-check")
        page.screenshot(path=str(folder / "lab-predict.png"))
        made.append(folder / "lab-predict.png")

        server = lab("n = x1*w1 + x2*w2 + b; o = tanh(n)", **INPUTS).serve(open_browser=False,
                                                                            quiet=True)
        try:
            page.goto(server.url)
            page.wait_for_selector(".ag-output")
            page.fill(".ag-slider", str(state.forward_frames + 2))
            page.click('g.node[id="n8"]')
            page.screenshot(path=str(folder / "lab.png"))
            made.append(folder / "lab.png")
        finally:
            server.close()

        model = nn.MLP(2, [8, 8, 1], seed=0)
        loss = (model([0.5, -1.2]) - 1.0) ** 2
        loss.label = "loss"
        mlp = lab_state(loss, collapse=True)
        page.goto(save_lab_html(mlp, Path(tmp) / "mlp.html").as_uri())
        page.keyboard.press("End")
        page.click(".ag-fit")
        alive = next(box for box, out in mlp.layout.outputs.items()  # a neuron that fires
                     if mlp.order[out].data > 0)
        page.click(f'g.node[id="{alive}"]')
        page.screenshot(path=str(folder / "lab-mlp.png"))
        made.append(folder / "lab-mlp.png")
        browser.close()
    return made


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
        for path in lab_screenshots(HERE):
            print(path)


if __name__ == "__main__":
    main()
