"""Keras' kernel initializers by name, drawn from the model's Python generator.

The limits and deviations are Keras': Glorot (``fan_in + fan_out``), He and LeCun
(``fan_in``), ``random_normal``/``random_uniform`` at 0.05, ``truncated_normal`` redrawn
beyond two deviations. Keras 2's short names ``normal`` and ``uniform`` are the random
ones.

>>> import random
>>> w = draw("lecun_uniform", random.Random(0), 4, 3)
>>> len(w), max(abs(x) for x in w) <= (3 / 4) ** 0.5
(4, True)
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable

__all__ = ["INITIALIZERS", "draw"]


def _truncated(rng: random.Random, std: float) -> float:
    while True:
        x = rng.gauss(0.0, std)
        if abs(x) <= 2 * std:
            return x


Draw = Callable[[random.Random, int, int], float]
INITIALIZERS: dict[str, Draw] = {
    "glorot_uniform": lambda r, i, o: r.uniform(-1, 1) * math.sqrt(6 / (i + o)),
    "glorot_normal": lambda r, i, o: _truncated(r, math.sqrt(2 / (i + o)) / .87962566103423978),
    "he_uniform": lambda r, i, o: r.uniform(-1, 1) * math.sqrt(6 / i),
    "he_normal": lambda r, i, o: _truncated(r, math.sqrt(2 / i) / .87962566103423978),
    "lecun_uniform": lambda r, i, o: r.uniform(-1, 1) * math.sqrt(3 / i),
    "lecun_normal": lambda r, i, o: _truncated(r, math.sqrt(1 / i) / .87962566103423978),
    "random_normal": lambda r, i, o: r.gauss(0.0, 0.05),
    "random_uniform": lambda r, i, o: r.uniform(-0.05, 0.05),
    "truncated_normal": lambda r, i, o: _truncated(r, 0.05),
    "zeros": lambda r, i, o: 0.0,
    "ones": lambda r, i, o: 1.0,
}
INITIALIZERS["normal"] = INITIALIZERS["random_normal"]  # Keras 2's names
INITIALIZERS["uniform"] = INITIALIZERS["random_uniform"]


def draw(name: str, rng: random.Random, fan_in: int, fan_out: int) -> list[float]:
    """``fan_in`` weights of one unit, drawn as Keras' initializer ``name`` draws them."""
    f = INITIALIZERS[name]
    return [f(rng, fan_in, fan_out) for _ in range(fan_in)]
