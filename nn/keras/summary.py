"""``model.summary()``'s table: every layer's name, kind, output shape and parameter
count, read through the layer protocol, then the totals (trainable and frozen).
"""

from __future__ import annotations

from typing import Any

__all__ = ["summary_text"]

_WIDTH = 65


def summary_text(model: Any) -> str:
    """Keras' summary of a built model, as text."""
    rule, line = "_" * _WIDTH, "=" * _WIDTH
    rows = [f'Model: "{model.name}"', rule,
            f" {'Layer (type)':<28}{'Output Shape':<26}Param #", line]
    for layer in model.layers:
        kind = f"{layer.name} ({type(layer).__name__})"
        shape = "(" + ", ".join("None" if d is None else str(d) for d in layer.output_shape)
        shape += ",)" if len(layer.output_shape) == 1 else ")"
        rows.append(f" {kind:<28}{shape:<26}{layer.count_params()}")
    total = len(model.weights)
    frozen = len(model.non_trainable_weights)
    rows += [line, f"Total params: {total:,}", f"Trainable params: {total - frozen:,}",
             f"Non-trainable params: {frozen:,}", rule]
    return "\n".join(rows)
