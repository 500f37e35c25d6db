"""The classic numpy-style XOR network: 2-5-1 sigmoid units, MSE, gradient descent.

The network that introduced many people to backpropagation: two inputs, five sigmoid
hidden units, one sigmoid output, the mean squared error, and plain full-batch gradient
descent -- here with nn.Layer on the scalar engine. It learns all four XOR cases.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

import nn
from autograd import Value

from ._common import Run, start

SEED = 0
LEARNING_RATE = 2.0


class XorNet(nn.Module):
    """2 inputs -> 5 sigmoid units -> 1 sigmoid unit, weights U(-1, 1) (seeded)."""

    def __init__(self, hidden: int = 5, seed: int = SEED) -> None:
        rng = random.Random(seed)
        self.hidden = nn.Layer(2, hidden, activation="sigmoid", seed=rng)
        self.output = nn.Layer(hidden, 1, activation="sigmoid", seed=rng)

    def __call__(self, x: Sequence[float]) -> Value:
        return self.output(self.hidden(x))


def train(steps: int, lr: float = LEARNING_RATE, seed: int = SEED,
          every: int = 0) -> tuple[XorNet, list[float], list[float]]:
    """Full-batch gradient descent on the four XOR points; returns the model, the loss per
    step and the final outputs. ``every`` > 0 prints a progress line that often."""
    X, y = nn.datasets.xor()
    rows, targets = X.tolist(), y.tolist()
    model = XorNet(seed=seed)
    opt = nn.SGD(model.parameters(), lr=lr)
    losses: list[float] = []
    for k in range(steps):
        preds = [model(x) for x in rows]
        loss = nn.mse(preds, targets)
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.data)
        if every and (k % every == 0 or k == steps - 1):
            outs = " ".join(f"{p.data:.3f}" for p in preds)
            print(f"step {k:5d}  mse {loss.data:.5f}  outputs {outs}")
    outputs = [model(x).data for x in rows]
    return model, losses, outputs


def plot_loss(run: Run, losses: list[float]) -> None:
    """The loss curve on a log scale, saved as xor_loss.png."""
    plt = run.plt
    if plt is None:
        return
    fig, ax = plt.subplots(figsize=(6, 4))
    ax.plot(range(len(losses)), losses, color="tab:blue")
    ax.set_yscale("log")
    ax.set_xlabel("gradient-descent step")
    ax.set_ylabel("mean squared error")
    ax.set_title("XOR, 2-5-1 sigmoid network")
    ax.grid(True, which="both", alpha=0.3)
    run.save_figure(fig, "xor_loss.png", "loss curve")


def main(argv: Sequence[str] | None = None) -> None:
    """Train, print the four predictions, plot the loss curve, print the summary."""
    run = start(__doc__, argv)
    steps = 1000 if run.quick else 5000
    print(f"network: 2 -> 5 sigmoid -> 1 sigmoid, MSE, gradient descent, lr {LEARNING_RATE}, "
          f"{steps} steps")
    model, losses, outputs = train(steps, every=max(1, steps // 5))
    print(f"{len(model.parameters())} parameters, e.g. {model.parameters()[0].label}")
    X, y = nn.datasets.xor()
    print("\n x1  x2  target  output  predicted")
    for (a, b), t, o in zip(X.tolist(), y.tolist(), outputs):
        print(f" {a:.0f}   {b:.0f}   {t}       {o:.4f}  {int(o > 0.5)}")
    accuracy = sum((o > 0.5) == bool(t) for o, t in zip(outputs, y.tolist())) / len(outputs)
    plot_loss(run, losses)
    run.finish(f"train accuracy: {accuracy:.3f} (final mse {losses[-1]:.5f})")


if __name__ == "__main__":
    main()
