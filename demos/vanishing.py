"""Vanishing gradients: 10-layer sigmoid vs ReLU nets, gradient size per layer.

Two networks of the same shape (16 inputs, ten hidden layers of 16 units, one linear
output unit), each with the initialization meant for it (Glorot for sigmoid, He for ReLU),
see the same batch; one backward pass of the MSE. The size of the weight gradients
(RMS per layer) shrinks by orders of magnitude towards the input in the sigmoid net --
each layer multiplies the gradient by sigmoid'(z) <= 0.25 -- and stays level in the
ReLU net, whose derivative is 1 wherever a unit is active.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

import nn
from autograd import Value

from ._common import Run, start

SEED = 0
WIDTH, LAYERS = 16, 10
NETS = {"sigmoid": "xavier", "relu": "he"}  # activation -> its initialization


def make_net(activation: str, seed: int = SEED) -> nn.MLP:
    """LAYERS hidden layers of WIDTH units, then a single linear output unit."""
    return nn.MLP(WIDTH, [WIDTH] * LAYERS + [1], activation=activation,
                  init=NETS[activation], seed=seed)


def layer_gradients(net: nn.MLP, X: np.ndarray, y: np.ndarray) -> tuple[list[float], list[float]]:
    """One backward pass of the batch MSE. Returns per layer (input side first, the output
    layer last) the RMS of its weight gradients, and the mean derivative of its activation
    over the batch."""
    outputs: list[Value] = []
    slopes: list[list[float]] = [[] for _ in net.layers]
    for row in X.tolist():
        xs: list[Value] | Value = [Value(x) for x in row]
        for i, layer in enumerate(net.layers):
            xs = layer(xs)
            for v in xs if isinstance(xs, list) else [xs]:
                slopes[i].append(_slope(v, layer.neurons[0].activation))
        outputs.append(xs)
    net.zero_grad()
    nn.mse(outputs, y.tolist()).backward()
    rms = [math.sqrt(np.mean([w.grad ** 2 for neuron in layer.neurons for w in neuron.w]))
           for layer in net.layers]
    return rms, [float(np.mean(s)) for s in slopes]


def _slope(out: Value, activation: str) -> float:
    """The activation's derivative at this unit, from its output."""
    if activation == "sigmoid":
        return out.data * (1.0 - out.data)  # sigmoid' = s (1 - s) <= 0.25
    if activation == "relu":
        return float(out.data > 0)
    return 1.0  # the linear output layer


def plot(run: Run, norms: dict[str, list[float]]) -> None:
    """Both nets' per-layer gradient sizes on one log-scale plot."""
    plt = run.plt
    if plt is None:
        return
    fig, ax = plt.subplots(figsize=(7, 4.5))
    layers = range(1, LAYERS + 1)
    for (name, values), style in zip(norms.items(), ["o-", "s-"]):
        ax.plot(layers, values[:LAYERS], style, label=f"{name} ({NETS[name]} init)")
    ax.set_yscale("log")
    ax.set_xticks(list(layers))
    ax.set_xlabel(f"hidden layer (1 = next to the input, {LAYERS} = next to the output)")
    ax.set_ylabel("RMS of the layer's weight gradients")
    ax.set_title(f"{LAYERS}-layer nets, {WIDTH} units wide: the vanishing gradient")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend()
    run.save_figure(fig, "vanishing.png", "gradient size per layer (log scale)")


def main(argv: Sequence[str] | None = None) -> None:
    """Backward once through each net, print the per-layer table, plot it, summarize."""
    run = start(__doc__, argv)
    batch = 4 if run.quick else 64
    rng = np.random.default_rng(SEED)
    X, y = rng.normal(size=(batch, WIDTH)), rng.normal(size=batch)
    print(f"batch: {batch} samples of {WIDTH} N(0, 1) inputs, N(0, 1) targets; loss: MSE")
    norms, slopes = {}, {}
    for activation in NETS:
        norms[activation], slopes[activation] = layer_gradients(make_net(activation), X, y)
    print("\n layer   sigmoid grad   mean sigmoid'   relu grad   share of relu units on")
    for i in range(LAYERS + 1):
        last = i == LAYERS
        s_slope = "(linear)" if last else f"{slopes['sigmoid'][i]:.3f}"
        r_slope = "(linear)" if last else f"{slopes['relu'][i]:.0%}"
        print(f" {'out' if last else i + 1:>5}   {norms['sigmoid'][i]:12.2e}   {s_slope:>13}   "
              f"{norms['relu'][i]:9.2e}   {r_slope:>22}")
    ratios = {name: values[0] / values[LAYERS - 1] for name, values in norms.items()}
    print(f"\nEach sigmoid layer scales the gradient flowing back by its weights and a "
          f"sigmoid' of at most 0.25;\nacross {LAYERS} such layers the product becomes tiny, so "
          "the first layers barely learn.\nA ReLU passes the gradient through unchanged "
          "(derivative 1) wherever a unit is on.")
    plot(run, norms)
    run.finish(f"first/last layer gradient ratio: sigmoid {ratios['sigmoid']:.1e}, "
               f"relu {ratios['relu']:.2g}")


if __name__ == "__main__":
    main()
