"""nn: neural networks on the scalar engine -- micrograd's MLP and a Keras-style front.

Every parameter is a ``Value`` labelled with its path (``layers.0.neurons.3.w.5``), so a
model's graph can be stepped through, drawn and gradient-checked like any expression.

>>> import nn
>>> X, y = nn.datasets.xor()
>>> model = nn.Sequential([nn.Dense(8, "tanh", input_shape=(2,)),
...                        nn.Dense(1, "sigmoid")], seed=0)
>>> model.compile(optimizer=nn.Adam(lr=0.05), loss="binary_crossentropy",
...               metrics=["accuracy"])
>>> history = model.fit(X, y, epochs=100, batch_size=4, verbose=0)
>>> model.evaluate(X, y)[1]
1.0
"""

from __future__ import annotations

from . import datasets, fit, keras, losses, nn, optim, random, version
from .datasets import digits, mnist, moons, read_idx, xor
from .fit import History
from .keras import Dense, Sequential
from .layers import MLP, Layer, Neuron
from .losses import binary_cross_entropy, cross_entropy, hinge, mse, softmax
from .module import Module
from .optim import SGD, Adam, AdamW, Optimizer, RMSprop
from .tensor import Tensor
from .version import __version__ as __version__

__all__ = [
    # modules
    "datasets", "losses", "optim",
    "fit", "keras", "nn", "random", "version",
    # networks
    "Module", "Neuron", "Layer", "MLP",
    # Keras-style front
    "Sequential", "Dense", "History", "Tensor",
    # losses
    "mse", "binary_cross_entropy", "hinge", "cross_entropy", "softmax",
    # optimizers
    "Optimizer", "SGD", "RMSprop", "Adam",
    "AdamW",
    # datasets
    "xor", "moons", "digits", "mnist", "read_idx",
]
