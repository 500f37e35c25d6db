"""Linear regression by gradient descent, recovering the true weights.

Synthetic data ``y = 2.0*x1 - 3.4*x2 + 4.2 + noise`` (seeded), a single linear neuron
(``nn.Neuron(2, nonlin=False)``), the mean squared error and full-batch gradient
descent. The learned weights and bias end up next to the true ones.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

import nn

from ._common import Run, start

TRUE_W = (2.0, -3.4)
TRUE_B = 4.2
SEED = 0


def make_data(n: int, noise: float = 0.01, seed: int = SEED) -> tuple[np.ndarray, np.ndarray]:
    """``n`` samples of x ~ N(0, 1) in two features, y = x . TRUE_W + TRUE_B + noise."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, len(TRUE_W)))
    y = X @ np.array(TRUE_W) + TRUE_B + rng.normal(scale=noise, size=n)
    return X, y


def fit(X: np.ndarray, y: np.ndarray, steps: int, lr: float = 0.1,
        every: int = 0) -> tuple[nn.Neuron, list[float], list[list[float]]]:
    """Gradient descent on the MSE; returns the neuron, the loss per step and the
    parameters (w1, w2, b) before each step. ``every`` > 0 prints progress that often."""
    neuron = nn.Neuron(X.shape[1], nonlin=False, seed=SEED)
    opt = nn.SGD(neuron.parameters(), lr=lr)
    rows, targets = X.tolist(), y.tolist()
    losses, path = [], []
    for k in range(steps):
        path.append([p.data for p in neuron.parameters()])
        loss = nn.mse([neuron(x) for x in rows], targets)
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.data)
        if every and (k % every == 0 or k == steps - 1):
            w1, w2, b = path[-1]
            print(f"step {k:3d}  mse {loss.data:10.6f}  w1 {w1:7.4f}  w2 {w2:7.4f}  b {b:7.4f}")
    path.append([p.data for p in neuron.parameters()])
    return neuron, losses, path


def plot(run: Run, losses: list[float], path: list[list[float]]) -> None:
    """Parameter trajectories against the true values, and the loss curve."""
    plt = run.plt
    if plt is None:
        return
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4))
    names, truth = ["w1", "w2", "b"], [*TRUE_W, TRUE_B]
    for i, (name, true) in enumerate(zip(names, truth)):
        line, = left.plot([p[i] for p in path], label=f"learned {name}")
        left.axhline(true, linestyle="--", color=line.get_color(), alpha=0.6,
                     label=f"true {name} = {true}")
    left.set_xlabel("gradient-descent step")
    left.set_ylabel("parameter value")
    left.set_title("parameters approach the true weights")
    left.legend(fontsize=8)
    right.plot(losses, color="tab:red")
    right.set_yscale("log")
    right.set_xlabel("gradient-descent step")
    right.set_ylabel("mean squared error")
    right.set_title("loss")
    right.grid(True, which="both", alpha=0.3)
    run.save_figure(fig, "regression.png", "parameter paths and loss curve")


def main(argv: Sequence[str] | None = None) -> None:
    """Make the data, fit it, compare learned with true weights, plot, summarize."""
    run = start(__doc__, argv)
    n, steps = (100, 30) if run.quick else (1000, 100)
    X, y = make_data(n)
    print(f"data: {n} samples, y = {TRUE_W[0]}*x1 - {-TRUE_W[1]}*x2 + {TRUE_B} + N(0, 0.01^2)")
    print(f"model: one linear neuron, MSE, full-batch gradient descent, lr 0.1, {steps} steps\n")
    neuron, losses, path = fit(X, y, steps, every=max(1, steps // 10))
    learned = path[-1]
    # the exact least-squares fit: the best any method can do with this noise
    exact = np.linalg.lstsq(np.c_[X, np.ones(n)], y, rcond=None)[0].tolist()
    print("\n       true   learned   error    least squares")
    errors = []
    for name, true, got, best in zip(["w1", "w2", "b"], [*TRUE_W, TRUE_B], learned, exact):
        errors.append(abs(got - true))
        print(f" {name:<3} {true:7.4f}  {got:7.4f}  {errors[-1]:.1e}  {best:7.4f}")
    plot(run, losses, path)
    run.finish(f"max weight error: {max(errors):.1e} (|learned - true| over w1, w2, b)")


if __name__ == "__main__":
    main()
