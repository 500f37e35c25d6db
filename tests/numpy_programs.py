"""Random small numpy programs for the numpy bridge and ``check_backprop`` tests.

A :class:`Program` is an MLP written the way a learner writes one in numpy: ``X @ W + b``
layers with a chosen activation each (sigmoid as ``1/(1+np.exp(-z))``, ``np.tanh``,
``np.maximum(z, 0)``, softplus), a loss (mean or half-sum of squares, binary or softmax
cross-entropy) and an optional L2 term. ``forward`` is plain numpy, so it runs on floats
and on arrays of Values alike; ``backward`` is the hand derivation, right by default or
with one planted mistake.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from hypothesis import strategies as st

HIDDEN = ["sigmoid", "tanh", "relu", "softplus"]
MISTAKES = ["sign", "factor", "transpose", "misplaced", "missing", "dropped"]


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def activate(name: str, z):
    if name == "sigmoid":
        return sigmoid(z)
    if name == "tanh":
        return np.tanh(z)
    if name == "relu":
        return np.maximum(z, 0)
    if name == "softplus":
        return np.log1p(np.exp(z))
    return z


def derivative(name: str, z: np.ndarray, a: np.ndarray) -> np.ndarray:
    """d activation / d z, written from the pre-activation z and the output a."""
    return {"sigmoid": lambda: a * (1 - a), "tanh": lambda: 1 - a ** 2,
            "relu": lambda: (z > 0).astype(float), "softplus": lambda: sigmoid(z),
            "linear": lambda: np.ones_like(z)}[name]()


@dataclass(frozen=True)
class Program:
    """An MLP, its loss and data, as numpy code."""

    batch: int
    sizes: tuple[int, ...]  # input size, hidden sizes..., output size
    acts: tuple[str, ...]  # one per layer; the last may be "linear"
    loss: str  # "mse", "sse", "bce" (from logits) or "ce" (softmax, from logits)
    reg: float
    seed: int

    @property
    def names(self) -> list[str]:
        return [f"{p}{k + 1}" for k in range(len(self.acts)) for p in ("W", "b")]

    def arrays(self) -> tuple[dict[str, np.ndarray], np.ndarray, np.ndarray]:
        """Parameters (by name), inputs X and targets y, from the seed."""
        rng = np.random.default_rng(self.seed)
        params = {}
        for k, (fan_in, fan_out) in enumerate(zip(self.sizes, self.sizes[1:])):
            params[f"W{k + 1}"] = rng.normal(size=(fan_in, fan_out)) * 1.5 / np.sqrt(fan_in)
            params[f"b{k + 1}"] = rng.normal(size=(1, fan_out)) * 0.5
        X = rng.normal(size=(self.batch, self.sizes[0]))
        out = self.sizes[-1]
        if self.loss == "ce":
            y = np.eye(out)[rng.integers(0, out, size=self.batch)]
        elif self.loss == "bce":
            y = rng.integers(0, 2, size=(self.batch, out)).astype(float)
        else:
            y = rng.normal(size=(self.batch, out))
        return params, X, y

    def layers(self, params: tuple, X):
        """Every layer's pre-activation z and output a (numpy code: floats or Values)."""
        zs, outs, a = [], [], X
        for k, act in enumerate(self.acts):
            W, b = params[2 * k], params[2 * k + 1]
            z = a @ W + b
            a = activate(act, z)
            zs.append(z)
            outs.append(a)
        return zs, outs

    def forward(self, *args):
        """The loss of ``(*params, X, y)``."""
        *params, X, y = args
        _, outs = self.layers(tuple(params), X)
        out = outs[-1]
        if self.loss == "mse":
            loss = np.mean((out - y) ** 2)
        elif self.loss == "sse":
            loss = 0.5 * np.sum((out - y) ** 2)
        elif self.loss == "bce":
            p = sigmoid(out)
            loss = -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))
        else:
            shifted = out - np.max(out, axis=1, keepdims=True)
            logp = shifted - np.log(np.sum(np.exp(shifted), axis=1, keepdims=True))
            loss = -np.mean(np.sum(y * logp, axis=1))
        if self.reg:
            loss = loss + self.reg * sum(np.sum(W ** 2) for W in params[::2])
        return loss

    def backward(self, *args, mistake: str | None = None, factor: float = 2.0):
        """The hand derivation: every parameter's gradient, in order (one planted mistake)."""
        *params, X, y = args
        zs, outs = self.layers(tuple(params), X)
        out = outs[-1]
        if self.loss == "mse":
            delta = 2 * (out - y) / out.size
        elif self.loss == "sse":
            delta = out - y
        elif self.loss == "bce":
            delta = (sigmoid(out) - y) / out.size
        else:
            e = np.exp(out - out.max(axis=1, keepdims=True))
            delta = (e / e.sum(axis=1, keepdims=True) - y) / len(X)
        if mistake == "misplaced":  # the sigmoid derivative applied to a linear output
            delta = delta * out * (1 - out)
        grads = []
        for k in reversed(range(len(self.acts))):
            if not (mistake == "missing" and k == 0):
                delta = delta * derivative(self.acts[k], zs[k], outs[k])
            below = outs[k - 1] if k else X
            dW = below.T @ delta
            if self.reg and mistake != "dropped":
                dW = dW + 2 * self.reg * params[2 * k]
            grads[:0] = [dW, delta.sum(axis=0, keepdims=True)]
            delta = delta @ params[2 * k].T
        if mistake == "sign":
            grads = [-g for g in grads]
        elif mistake == "factor":
            grads = [factor * g for g in grads]
        elif mistake == "transpose":
            grads[0] = grads[0].T
        return grads

    def kink_free(self, margin: float = 1e-3) -> bool:
        """No relu input within ``margin`` of 0 (where finite differences break)."""
        params, X, _ = self.arrays()
        zs, _ = self.layers(tuple(params.values()), X)
        return all(np.min(np.abs(z)) > margin for z, act in zip(zs, self.acts) if act == "relu")


@st.composite
def programs(draw, hidden: tuple[int, int] = (1, 2), output: str | None = None,
             loss: str | None = None, reg: float | None = None,
             acts: list[str] | None = None) -> Program:
    """A random program; ``output``/``loss``/``reg``/``acts`` pin those choices."""
    n_hidden = draw(st.integers(*hidden))
    sizes = [draw(st.integers(1, 3))] + [draw(st.integers(2, 4)) for _ in range(n_hidden)]
    loss = loss or draw(st.sampled_from(["mse", "sse", "bce", "ce"]))
    sizes.append(draw(st.integers(2, 3)) if loss == "ce" else draw(st.integers(1, 2)))
    hidden_acts = [draw(st.sampled_from(acts or HIDDEN)) for _ in range(n_hidden)]
    if output is None:
        output = "linear" if loss in ("bce", "ce") else draw(
            st.sampled_from(["linear", "sigmoid", "tanh"]))
    return Program(draw(st.integers(2, 5)), tuple(sizes), tuple(hidden_acts + [output]), loss,
                   draw(st.sampled_from([0.0, 0.1])) if reg is None else reg,
                   draw(st.integers(0, 2 ** 16)))
