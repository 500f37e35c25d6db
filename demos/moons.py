"""micrograd's moons demo: MLP(2, [16, 16, 1]), hinge loss + L2, SGD, 100% accuracy.

Exactly micrograd's recipe: 100 noisy two-moons points (labels -1/+1), a 2-16-16-1
ReLU network, the max-margin loss ``mean(relu(1 - y*score))`` plus ``1e-4 * sum(p*p)``,
and 100 full-batch SGD steps with learning rate ``1.0 - 0.9*k/100``. Then the decision
boundary, evaluated over a grid under ``autograd.no_grad()``, is saved as a picture.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

import numpy as np

import autograd
import nn

from ._common import Run, start

SEED = 0
ALPHA = 1e-4  # L2 regularization strength


@dataclass
class Trained:
    """What ``train`` returns: the model, its data and how it did."""

    model: nn.MLP
    X: np.ndarray
    y: np.ndarray  # labels -1 / +1
    accuracy: float  # on the training points, after the last step
    losses: list[float]
    monitor: Any = None  # the live view's Monitor, when watched live


def accuracy(model: nn.MLP, X: np.ndarray, y: np.ndarray) -> float:
    """The share of points whose score has the sign of their label."""
    with autograd.no_grad():
        return float(np.mean([(model(x).data > 0) == (t > 0) for x, t in zip(X.tolist(), y)]))


def train(steps: int = 100, n: int = 100, seed: int = SEED, every: int = 10,
          monitor: Callable[..., Any] | None = None) -> Trained:
    """micrograd's training loop on ``n`` moons points; prints progress every ``every`` steps.

    ``monitor(X, y, model)`` makes the live view's ``Monitor``, updated once per step.
    """
    X, labels = nn.datasets.moons(n, noise=0.1, seed=seed)
    y = 2 * labels - 1  # -1 / +1 for the hinge loss
    model = nn.MLP(2, [16, 16, 1], seed=seed)
    live = monitor(X, y, model) if monitor is not None else None
    params = model.parameters()
    opt = nn.SGD(params, lr=1.0)
    rows, targets = X.tolist(), y.tolist()
    losses = []
    try:
        for k in range(steps):
            scores = [model(x) for x in rows]
            data_loss = nn.hinge(scores, targets)
            reg_loss = ALPHA * autograd.sum([p * p for p in params])
            loss = data_loss + reg_loss
            acc = np.mean([(s.data > 0) == (t > 0) for s, t in zip(scores, targets)])
            opt.zero_grad()
            loss.backward()
            if live is not None:
                live.update(loss=loss, model=model, step=k, accuracy=acc)
            opt.lr = 1.0 - 0.9 * k / max(steps, 100)
            opt.step()
            losses.append(loss.data)
            if every and (k % every == 0 or k == steps - 1):
                print(f"step {k:3d}  loss {loss.data:.4f}  accuracy {acc:.0%}")
    except BaseException:  # Ctrl-C included: the live view's server stops with the run
        if live is not None:
            live.close()
        raise
    if live is not None:
        live.finish()
    return Trained(model, X, y, accuracy(model, X, y), losses, live)


def plot_boundary(run: Run, result: Trained, grid: int = 100,
                  name: str = "moons_boundary.png") -> None:
    """The sign of the score over a ``grid`` x ``grid`` mesh, with the training points."""
    plt = run.plt
    if plt is None:
        return
    X, model = result.X, result.model
    xs = np.linspace(X[:, 0].min() - 1, X[:, 0].max() + 1, grid)
    ys = np.linspace(X[:, 1].min() - 1, X[:, 1].max() + 1, grid)
    xx, yy = np.meshgrid(xs, ys)
    with autograd.no_grad():
        scores = np.array([model(p).data for p in np.c_[xx.ravel(), yy.ravel()].tolist()])
    fig, ax = plt.subplots(figsize=(6, 5))
    ax.contourf(xx, yy, (scores > 0).reshape(xx.shape), levels=[-0.5, 0.5, 1.5],
                colors=["#f4b6b6", "#b6c8f4"], alpha=0.8)
    ax.contour(xx, yy, scores.reshape(xx.shape), levels=[0.0], colors="k", linewidths=1)
    ax.scatter(X[:, 0], X[:, 1], c=result.y, s=30, cmap="coolwarm_r", edgecolors="k")
    ax.set_xlim(xs[0], xs[-1])
    ax.set_ylim(ys[0], ys[-1])
    ax.set_title(f"MLP(2, [16, 16, 1]) decision boundary, train accuracy "
                 f"{result.accuracy:.0%}")
    run.save_figure(fig, name, "decision boundary")


def live_monitor(X: np.ndarray, y: np.ndarray, model: nn.MLP,
                 open_browser: bool | None = None) -> Any:
    """The live view in a browser tab: loss, boundary, gradients, one sample's hinge loss.
    Training starts once the page is open."""
    from autograd.lab.live import Monitor

    monitor = Monitor(X, y, sample_loss=lambda out, t: nn.hinge([out], [t]), model=model,
                      title="moons: MLP(2, [16, 16, 1]), hinge loss, SGD")
    monitor.serve(open_browser)
    return monitor


def live_ready() -> bool:
    """Whether the live view can run here; if not, say in one line how to get it."""
    try:
        import starlette  # noqa: F401
        import uvicorn  # noqa: F401
    except ImportError:
        print("--live needs the lab's local server: pip install 'scalar-autograd[lab]' "
              "(or: make demo, which installs it)")
        return False
    return True


def _options(parser: Any) -> None:
    parser.add_argument("--live", action="store_true",
                        help="watch it learn in the browser (the lab's local server)")
    parser.add_argument("--steps", type=int, default=None, help="training steps (default 100)")
    parser.add_argument("--no-browser", action="store_true", help="with --live: print the URL only")


def main(argv: Sequence[str] | None = None) -> None:
    """Train micrograd's moons MLP, plot its decision boundary, print the accuracy."""
    run = start(__doc__, argv, _options)
    steps, n, grid = (15, 40, 30) if run.quick else (100, 100, 100)
    steps = run.args.steps or steps
    print(f"data: {n} moons points, noise 0.1; model: MLP(2, [16, 16, 1]), "
          f"hinge loss + {ALPHA:g} * L2, SGD lr 1.0 - 0.9*k/{max(steps, 100)}, {steps} steps")
    if run.args.live and not live_ready():
        raise SystemExit(2)
    watch = partial(live_monitor, open_browser=False if run.args.no_browser else None)
    try:
        result = train(steps, n, monitor=watch if run.args.live else None)
    except KeyboardInterrupt:  # Ctrl-C while waiting for the page, paused or training
        print("\nstopped (Ctrl-C)", flush=True)
        raise SystemExit(130) from None
    print(f"{len(result.model.parameters())} parameters; final train accuracy "
          f"{result.accuracy:.0%}")
    plot_boundary(run, result, grid)
    if run.args.live:
        _keep_serving(run, result)
    run.finish(f"train accuracy: {result.accuracy:.3f}")


def _keep_serving(run: Run, result: Trained) -> None:
    """Save the run as one HTML file, then keep the page up (click points) until Ctrl-C."""
    live = result.monitor
    run.saved(live.save_html(run.path("moons_live.html")), "the run, replayable offline")
    print("training done; the page stays up to explore -- Ctrl-C to stop", flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        print()
    finally:
        live.close()


if __name__ == "__main__":
    main()
