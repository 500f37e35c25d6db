"""numpy on Values: run unmodified numpy forward code on arrays of Values.

``np_values(W, "W")`` wraps a parameter array as leaves labelled ``W[i,j]``; the user's
numpy code (``X @ W``, ``np.exp``, ``np.mean``, broadcasting...) then builds one scalar
graph of ``dot``/``sum`` nodes, which backward, the stepper and the drawings read like any
other; ``np_grads(W)`` gives the gradients back as a float array.

>>> import numpy as np
>>> W = np_values(np.array([[1.0], [-2.0]]), label="W")
>>> X = np.array([[1.0, 0.5], [0.0, 1.0]])
>>> loss = np.mean((X @ W - 1.0) ** 2)
>>> loss.backward()
>>> loss.data, np_grads(W).ravel().tolist()
(5.0, [-1.0, -3.5])
"""

from .functions import supported_names
from .tape import Record, recording
from .valuearray import ValueArray, np_grads, np_values

__all__ = ["ValueArray", "np_values", "np_grads", "supported_names", "recording", "Record"]
