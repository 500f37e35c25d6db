"""Regenerate the README pictures: ``python docs/img/make_images.py`` (needs Graphviz's dot).

neuron.svg: micrograd's neuron after backward; mlp_collapsed.svg: an MLP(2, [4, 4, 1])
with nn-style parameter paths, one box per neuron; animation.png: a screenshot of the
backward animation (needs /usr/bin/chromium and playwright).
"""

from __future__ import annotations

import random
import sys
import tempfile
from pathlib import Path

import autograd
from autograd import Value, save_backward_animation, save_graph

HERE = Path(__file__).resolve().parent


def neuron() -> Value:
    """o = tanh(x1*w1 + x2*w2 + b), labelled as in micrograd's README."""
    x1, x2 = Value(2.0, label="x1"), Value(0.0, label="x2")
    w1, w2 = Value(-3.0, label="w1"), Value(1.0, label="w2")
    b = Value(6.8813735870195432, label="b")
    x1w1 = x1 * w1
    x1w1.label = "x1*w1"
    x2w2 = x2 * w2
    x2w2.label = "x2*w2"
    s = x1w1 + x2w2
    s.label = "x1*w1 + x2*w2"
    n = s + b
    n.label = "n"
    o = n.tanh()
    o.label = "o"
    return o


def mlp_loss(seed: int = 0) -> Value:
    """Squared error of an MLP(2, [4, 4, 1]) whose parameters carry nn's path labels."""
    rng = random.Random(seed)
    xs = [Value(0.5, label="x0"), Value(-1.2, label="x1")]
    sizes = [2, 4, 4, 1]
    for i in range(3):
        outs = []
        for j in range(sizes[i + 1]):
            path = f"layers.{i}.neurons.{j}"
            ws = [Value(rng.uniform(-1, 1), label=f"{path}.w.{k}") for k in range(sizes[i])]
            act = autograd.dot(ws, xs) + Value(0.0, label=f"{path}.b")
            outs.append(act.relu() if i < 2 else act)
        xs = outs
    loss = (xs[0] - 1.0) ** 2
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


def main() -> None:
    o = neuron()
    o.backward()
    print(save_graph(o, HERE / "neuron.svg"))
    loss = mlp_loss()
    loss.backward()
    print(save_graph(loss, HERE / "mlp_collapsed.svg", collapse="neuron", color_by="grad"))
    if "--no-browser" not in sys.argv:
        with tempfile.TemporaryDirectory() as tmp:
            html = save_backward_animation(neuron(), Path(tmp) / "neuron.html")
            screenshot(html, HERE / "animation.png", steps=4)
        print(HERE / "animation.png")


if __name__ == "__main__":
    main()
