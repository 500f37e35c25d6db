"""A tour: a neuron stepped through, its graph drawn, its gradients checked, moons trained.

What ``make demo`` runs. (1) micrograd's neuron ``o = tanh(x1*w1 + x2*w2 + b)``, its
backward pass applied one chain-rule step at a time with ``autograd.Stepper``; (2) its
graph saved as SVG, with an HTML page that animates the backward pass; (3) its
gradients checked against finite differences; (4) micrograd's moons MLP trained to
100% accuracy, its decision boundary saved as a picture.
"""

from __future__ import annotations

import pkgutil
from collections.abc import Sequence

import autograd
from autograd import Value

from . import __path__ as demos_path
from . import moons
from ._common import Run, section, start

# micrograd's neuron: b is chosen so that n = 0.8814 and o = tanh(n) = 0.7071
INPUTS = {"x1": 2.0, "x2": 0.0, "w1": -3.0, "w2": 1.0, "b": 6.8813735870195432}


def _leaf(x: float | Value, name: str) -> Value:
    return x if isinstance(x, Value) else Value(x, name)


def neuron(x1: float | Value, x2: float | Value, w1: float | Value, w2: float | Value,
           b: float | Value) -> Value:
    """``o = tanh(x1*w1 + x2*w2 + b)``, labelled as ``autograd step "n = x1*w1 + x2*w2 + b;
    o = tanh(n)"`` labels it: the inputs, n and o by name, the other nodes as ``#k``."""
    x1v, x2v = _leaf(x1, "x1"), _leaf(x2, "x2")
    w1v, w2v, bv = _leaf(w1, "w1"), _leaf(w2, "w2"), _leaf(b, "b")
    n = x1v * w1v + x2v * w2v + bv
    n.label = "n"
    o = n.tanh()
    o.label = "o"
    return o


def step_through(o: Value) -> None:
    """Print every step of the backward pass, then the gradient table."""
    stepper = autograd.Stepper(o)
    print(stepper.header())
    while (step := stepper.step()) is not None:
        print(f"\n{stepper.header()}\n{step}")
    print("\nall gradients after the last step (same as o.backward()); #k numbers the nodes,"
          "\n> marks the last step's node and * the inputs that step updated:")
    print(stepper.table())


def save_drawings(run: Run, o: Value) -> None:
    """The graph as SVG and the backward animation as HTML; DOT text without Graphviz."""
    try:
        run.saved(autograd.save_graph(o, run.path("neuron.svg")), "graph (SVG)")
        run.saved(autograd.save_backward_animation(o, run.path("neuron_backward.html")),
                  "backward animation (open it in a browser; arrow keys step)")
    except autograd.GraphvizNotFound:
        run.saved(autograd.save_graph(o, run.path("neuron.dot")), "graph (DOT text)")
        print("Graphviz's 'dot' is not installed, so no SVG or animation; install it with: "
              "sudo apt-get install graphviz  (macOS: brew install graphviz)")


def next_steps() -> str:
    """The closing pointer to every other demo (read from this package) and the tutorial."""
    others = [m.name for m in pkgutil.iter_modules(demos_path)
              if not m.name.startswith("_") and m.name != "tour"]
    return (f"next: python -m demos.NAME for NAME in {', '.join(others)} "
            "(or: autograd demo NAME); docs/tutorial.md\n"
            "watch the moons MLP learn in your browser: python -m demos.moons --live")


def main(argv: Sequence[str] | None = None) -> None:
    """The four sections, then the summary line."""
    run = start(__doc__, argv)

    section("1. A neuron, its backward pass one step at a time")
    print("o = tanh(x1*w1 + x2*w2 + b)  with  "
          + ", ".join(f"{k}={v}" for k, v in INPUTS.items()))
    o = neuron(**INPUTS)
    print(f"forward: o = {o.data:.4f}\n")
    step_through(o)

    section("2. Its graph")
    print(autograd.draw_text(o))
    save_drawings(run, o)

    section("3. Checking the gradients against finite differences")
    report = autograd.gradcheck(neuron, list(INPUTS.values()), names=list(INPUTS),
                                raise_on_failure=False)
    print(report)

    section("4. micrograd's moons: MLP(2, [16, 16, 1]), hinge loss, SGD")
    steps, n, grid = (15, 40, 30) if run.quick else (100, 100, 100)
    result = moons.train(steps, n, every=max(1, steps // 5))
    print(f"final train accuracy {result.accuracy:.0%}")
    moons.plot_boundary(run, result, grid)

    print("\n" + next_steps())
    run.finish(f"moons train accuracy: {result.accuracy:.3f}, neuron gradcheck: "
               f"{'ok' if report.ok else 'FAILED'}")


if __name__ == "__main__":
    main()
