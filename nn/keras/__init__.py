"""``nn.keras``: Keras' layout on the scalar engine, so a Keras recipe runs with only the
package in its import lines changed (``keras`` -> ``nn.keras``, ``tensorflow`` -> ``nn``).

>>> import nn as tf
>>> model = tf.keras.Sequential([tf.keras.layers.Dense(4, activation="relu", input_shape=(2,)),
...                              tf.keras.layers.Dense(1, activation="sigmoid")])
>>> model.compile(optimizer=tf.keras.optimizers.Adam(learning_rate=0.01),
...               loss="binary_crossentropy", metrics=["accuracy"])
>>> model.count_params()
17
"""

from __future__ import annotations

from ..version import __version__ as __version__
from . import backend, callbacks, datasets, layers, losses, metrics, models, optimizers, utils
from .layers import DENSE_ACTIVATIONS, Dense, Input
from .models import OPTIMIZERS, Sequential, load_model

__all__ = ["DENSE_ACTIVATIONS", "OPTIMIZERS", "Dense", "Input", "Sequential", "backend",
           "callbacks", "datasets", "layers", "load_model", "losses", "metrics", "models",
           "optimizers", "utils"]
