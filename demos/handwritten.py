"""Hand-derived backprop in numpy, checked: what is wrong in a derivation, and why.

Two derivations as learners write them: a 2-5-1 sigmoid XOR network whose backward pass
applies the sigmoid derivative to its linear output and gets the hidden layer's product
the wrong way round, and a linear regression whose gradient has the wrong sign for
``theta -= lr * gradients``. ``autograd.check_backprop`` runs each numpy forward pass on
Values, compares the hand-derived gradients with the true ones and names each mistake;
then the corrected derivations pass the check and train.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Sequence

import numpy as np

import autograd
from autograd import check_backprop

from ._common import Run, section, start

X_XOR = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
Y_XOR = np.array([[0.0], [1.0], [1.0], [0.0]])
LR = 0.5
TRUE_THETA = np.array([[2.0], [-3.4], [4.2]])  # w1, w2, then the bias (a column of ones)


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def xor_loss(W1, b1, W2, b2, X, y):
    """The forward pass: sigmoid hidden layer, linear output, mean squared error."""
    h = sigmoid(X @ W1 + b1)
    out = h @ W2 + b2
    return np.mean((out - y) ** 2)


def xor_grads(W1, b1, W2, b2, X, y, fixed: int = 0):
    """The backward pass by hand, as first written (``fixed`` = how many mistakes fixed)."""
    h = sigmoid(X @ W1 + b1)
    out = h @ W2 + b2
    d_out = 2 * (out - y) / len(X)
    if fixed < 1:
        d_out = d_out * out * (1 - out)  # mistake 1: sigmoid' of an output with no sigmoid
    d_W2 = h.T @ d_out
    d_b2 = d_out.sum(axis=0, keepdims=True)
    d_hidden = (d_out @ W2.T) * h * (1 - h)
    d_W1 = d_hidden.T @ X if fixed < 2 else X.T @ d_hidden  # mistake 2: the product reversed
    d_b1 = d_hidden.sum(axis=0, keepdims=True)
    return d_W1, d_b1, d_W2, d_b2


def mse(theta, X, y):
    return np.mean(np.square(y - X @ theta))


def gradient_as_written(theta, X, y):
    m = len(X)
    return (1 / m) * X.T @ (y - X @ theta)  # for `theta -= lr * gradients`: the wrong sign


def gradient_fixed(theta, X, y):
    return (2 / len(X)) * X.T @ (X @ theta - y)


def descend(params: list[np.ndarray], grads: Callable[..., Sequence[np.ndarray]],
            data: tuple[np.ndarray, ...], lr: float, steps: int,
            loss: Callable[..., float]) -> list[float]:
    """Plain gradient descent, ``p -= lr * g``, in place; the loss before each step."""
    history = []
    with np.errstate(over="ignore", invalid="ignore"):  # a wrong derivation may blow up
        for _ in range(steps):
            history.append(float(loss(*params, *data)))
            for p, g in zip(params, grads(*params, *data)):
                p -= lr * g
    return history


def regression_data(n: int = 200, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    X = np.c_[rng.normal(size=(n, 2)), np.ones(n)]
    return X, X @ TRUE_THETA + rng.normal(scale=1e-3, size=(n, 1))


def xor_params(seed: int = 0) -> list[np.ndarray]:
    """W1, b1, W2, b2: weights U(-1, 1) (seeded), biases zero."""
    rng = np.random.default_rng(seed)
    return [rng.uniform(-1, 1, size=(2, 5)), np.zeros((1, 5)), rng.uniform(-1, 1, size=(5, 1)),
            np.zeros((1, 1))]


def save_graph(run: Run, params: list[np.ndarray]) -> None:
    """The XOR loss's graph, one box per array (the .dot always, an SVG when `dot` exists)."""
    values = [autograd.np_values(p, n) for p, n in zip(params, ["W1", "b1", "W2", "b2"])]
    loss = xor_loss(*values, X_XOR, Y_XOR)
    loss.backward()
    dot = autograd.save_graph(loss, run.path("handwritten_graph.dot"), collapse="array")
    run.saved(dot, "the XOR loss's graph, one box per array")
    if shutil.which("dot"):
        svg = autograd.save_graph(loss, run.path("handwritten_graph.svg"), collapse="array",
                                  color_by="grad")
        run.saved(svg, "the same graph as SVG")


def plot(run: Run, wrong: list[float], right: list[float], climb: list[float]) -> None:
    plt = run.plt
    if plt is None:
        return
    fig, (left, rightax) = plt.subplots(1, 2, figsize=(10, 4))
    left.plot(wrong, label="as written (sigmoid' misplaced, W1's shape fixed)")
    left.plot(right, label="corrected")
    left.set(yscale="log", xlabel="step", ylabel="mse", title="XOR 2-5-1")
    rightax.plot(climb, color="tab:red")
    rightax.set(yscale="log", xlabel="step", ylabel="mse",
                title="regression, sign error: climbing")
    for ax in (left, rightax):
        ax.grid(True, alpha=0.3)
    left.legend()
    run.save_figure(fig, "handwritten_loss.png", "loss curves")


def main(argv: Sequence[str] | None = None) -> None:
    run = start(__doc__, argv)
    steps = 2000 if run.quick else 5000
    section("1. XOR, the backward pass as written")
    report = check_backprop(xor_loss, xor_grads, xor_params(), X_XOR, Y_XOR, lr=LR)
    print(report)
    found = len({k for r in report.failures for k in r.kinds})  # transposed, derivative
    section("2. XOR, with the sigmoid derivative removed from the linear output")
    report = check_backprop(xor_loss, lambda *a: xor_grads(*a, fixed=1), xor_params(),
                            X_XOR, Y_XOR)
    print(report)
    section("3. XOR, both fixed: the check passes, and it trains")
    report = check_backprop(xor_loss, lambda *a: xor_grads(*a, fixed=2), xor_params(),
                            X_XOR, Y_XOR)
    print(report)
    ok_xor = report.ok
    # as written it cannot even update W1 (a 5x2 gradient for a 2x5 weight); with only that
    # fixed, the misplaced sigmoid' still slows it down more and more near the targets
    wrong = descend(xor_params(), _right_shape, (X_XOR, Y_XOR), LR, steps, xor_loss)
    params = xor_params()
    right = descend(params, lambda *a: xor_grads(*a, fixed=2), (X_XOR, Y_XOR), LR, steps,
                    xor_loss)
    h = sigmoid(X_XOR @ params[0] + params[1])
    out = h @ params[2] + params[3]
    accuracy = float(np.mean((out > 0.5) == (Y_XOR > 0.5)))
    print(f"trained {steps} steps, lr {LR}: mse {right[0]:.4f} -> {right[-1]:.2e}; outputs "
          + " ".join(f"{o:.3f}" for o in out.ravel()) + f"; accuracy {accuracy:.3f}")
    print(f"(as written, W1's shape fixed so it can run: mse {wrong[0]:.4f} -> {wrong[-1]:.2e})")
    save_graph(run, xor_params())

    section("4. Linear regression, the gradient as written")
    X, y = regression_data()
    report = check_backprop(mse, gradient_as_written, [np.zeros((3, 1))], X, y, lr=0.1)
    print(report)
    found += len(report.failures)  # the sign
    climb = descend([np.zeros((3, 1))], lambda *a: [gradient_as_written(*a)], (X, y), 0.1, 30,
                    mse)
    print(f"30 steps of theta -= 0.1 * gradients: mse {climb[0]:.4g} -> {climb[-1]:.4g}")
    section("5. Linear regression, the gradient fixed")
    report = check_backprop(mse, gradient_fixed, [np.zeros((3, 1))], X, y, lr=0.1)
    print(report)
    ok_reg = report.ok
    theta = np.zeros((3, 1))
    history = descend([theta], lambda *a: [gradient_fixed(*a)], (X, y), 0.1, steps // 2, mse)
    error = float(np.max(np.abs(theta - TRUE_THETA)))
    print(f"trained {steps // 2} steps: mse {history[0]:.4f} -> {history[-1]:.2e}; theta "
          + " ".join(f"{t:.4f}" for t in theta.ravel()) + " (true 2.0 -3.4 4.2)")
    plot(run, wrong, right, climb)
    checks = "pass" if ok_xor and ok_reg else "FAIL"
    run.finish(f"diagnosed {found} mistakes; corrected derivations {checks}: xor accuracy "
               f"{accuracy:.3f}, regression max weight error {error:.1e}")


def _right_shape(W1, b1, W2, b2, X, y):
    """The derivation as written with only W1's shape fixed, so that it can run."""
    d_W1, d_b1, d_W2, d_b2 = xor_grads(W1, b1, W2, b2, X, y, fixed=0)
    return [d_W1.T, d_b1, d_W2, d_b2]


if __name__ == "__main__":
    main()
