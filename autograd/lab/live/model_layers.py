"""The layers of a model as the live view sees them: name, activation, parameters.

Read by duck typing, so it fits nn's ``MLP`` and ``Sequential`` and micrograd's own
``MLP`` alike (``model.layers[i].neurons[j].w`` and ``.b``); layers without parameters
(``Dropout``, ``Flatten``, an activation) are passed over and a nested model's layers
join its parent's; any other model is one group of all its parameters, drawn without
per-layer activity.

>>> from autograd import Value
>>> class Neuron:
...     def __init__(self): self.w, self.b, self.nonlin = [Value(1.0)], Value(0.0), True
>>> class Layer:
...     def __init__(self): self.neurons = [Neuron(), Neuron()]
>>> class Net:
...     def __init__(self): self.layers = [Layer()]
>>> [(g.name, g.activation, len(g.params)) for g in layer_groups(Net())]
[('layer 1', 'relu', 4)]
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ...engine import Value
from ...errors import InputTypeError

__all__ = ["LayerGroup", "layer_groups", "model_parameters"]


@dataclass
class LayerGroup:
    """One layer: a display name, its activation (None if unknown) and its parameters."""

    name: str
    activation: str | None
    params: list[Value]
    units: int


def _activation(layer: Any, neuron: Any) -> str | None:
    name = getattr(layer, "activation", None) or getattr(neuron, "activation", None)
    if isinstance(name, str):
        return name
    nonlin = getattr(neuron, "nonlin", None)  # micrograd: ReLU unless nonlin=False
    return None if nonlin is None else ("relu" if nonlin else "linear")


def _neuron_params(neuron: Any) -> list[Value]:
    w = getattr(neuron, "w", None)
    b = getattr(neuron, "b", None)
    params = list(w) if isinstance(w, (list, tuple)) else []
    return params + ([b] if isinstance(b, Value) else [])


def layer_groups(model: Any) -> list[LayerGroup]:
    """The model's layers, input side first; one "model" group when it has no layer list."""
    groups = _groups(model)
    if groups:
        return groups
    params = model_parameters(model)
    return [LayerGroup("model", None, params, 0)]


def _groups(model: Any) -> list[LayerGroup] | None:
    """One group per layer with neurons, or None when some layer cannot be read so."""
    layers = getattr(model, "layers", None)
    if not isinstance(layers, (list, tuple)):
        return None
    groups: list[LayerGroup] = []
    for i, layer in enumerate(layers):
        neurons = getattr(layer, "neurons", None)
        if isinstance(neurons, (list, tuple)) and neurons:
            params = [p for n in neurons for p in _neuron_params(n)]
            name = getattr(layer, "name", None) or f"layer {i + 1}"
            groups.append(LayerGroup(name, _activation(layer, neurons[0]), params, len(neurons)))
        elif isinstance(getattr(layer, "layers", None), (list, tuple)):
            inner = _groups(layer)  # a model inside the model: its layers, by path
            if inner is None:
                return None
            outer = getattr(layer, "name", None) or f"layer {i + 1}"
            groups.extend(LayerGroup(f"{outer}/{g.name}", g.activation, g.params, g.units)
                          for g in inner)
        elif _has_parameters(layer):
            return None
    return groups


def _has_parameters(layer: Any) -> bool:
    get = getattr(layer, "parameters", None)
    return bool(list(get())) if callable(get) else bool(getattr(layer, "weights", None))


def model_parameters(model: Any) -> list[Value]:
    """``model.parameters()`` checked to be Values, or a clear error."""
    get = getattr(model, "parameters", None)
    if not callable(get):
        raise InputTypeError(f"the live view needs a model with parameters(), got {model!r} "
                             f"({type(model).__name__})")
    params = list(get())
    bad = next((p for p in params if not isinstance(p, Value)), None)
    if bad is not None:
        raise InputTypeError(f"model.parameters() must give autograd Values, got {bad!r} "
                             f"({type(bad).__name__})")
    return params
