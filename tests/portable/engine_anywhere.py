"""The engine with the standard library alone: values, backward, the stepper, gradcheck,
the text tree and a custom op, printing results that a test checks.

The same script runs in a venv with the wheel installed ``--no-deps`` (no numpy, graphviz
or tqdm) and in Pyodide under Node. Usage::

    python engine_anywhere.py ['[[x1, x2, w1, w2, b], ...]']

It prints readable lines, then one line ``RESULT <json>``, and exits 1 if one of its own
checks fails (gradients against the derivative written out by hand, the stepper against
backward, gradcheck's verdict).
"""

from __future__ import annotations

import json
import math
import sys

import autograd
from autograd import MissingDependency, Stepper, Value, custom_op, draw_text, gradcheck

NAMES = ("x1", "x2", "w1", "w2", "b")
DEFAULT = [[2.0, 0.0, -3.0, 1.0, 6.8813735870195432]]  # micrograd's neuron


def neuron(x1: Value, x2: Value, w1: Value, w2: Value, b: Value) -> Value:
    n = x1 * w1 + x2 * w2 + b
    n.label = "n"
    o = n.tanh()
    o.label = "o"
    return o


def by_hand(x1: float, x2: float, w1: float, w2: float, b: float) -> list[float]:
    """d tanh(x1*w1 + x2*w2 + b) / d(x1, x2, w1, w2, b)."""
    d = 1.0 - math.tanh(x1 * w1 + x2 * w2 + b) ** 2
    return [w1 * d, w2 * d, x1 * d, x2 * d, d]


def leaves(values: list[float]) -> list[Value]:
    return [Value(v, label=name) for v, name in zip(values, NAMES)]


failures: list[str] = []


def expect(ok: bool, what: str) -> None:
    if not ok:
        failures.append(what)
        print(f"FAILED: {what}")


def run_neuron(values: list[float]) -> dict[str, object]:
    xs = leaves(values)
    o = neuron(*xs)
    o.backward()
    grads = [x.grad for x in xs]
    for name, got, want in zip(NAMES, grads, by_hand(*values)):
        expect(math.isclose(got, want, rel_tol=1e-12, abs_tol=1e-12),
               f"backward: d o/d {name} = {got}, by hand {want}")

    ys = leaves(values)
    stepper = Stepper(neuron(*ys))
    first = str(stepper.step())
    stepper.finish()
    stepped = [y.grad for y in ys]
    expect(stepped == grads, f"Stepper.finish() left {stepped}, backward {grads}")
    stepper.goto(0)
    expect(all(y.grad == 0.0 for y in ys), "Stepper.goto(0) put the gradients back to 0")

    report = gradcheck(neuron, values, raise_on_failure=False, names=list(NAMES))
    expect(not report.failures, f"gradcheck failed:\n{report}")
    return {"inputs": values, "data": o.data, "grads": grads, "stepped": stepped,
            "steps": stepper.total, "first_step": first,
            "gradcheck": str(report).splitlines()[-1], "gradcheck_ok": not report.failures}


def softplus_case(x: float) -> dict[str, object]:
    """A custom op joins backward, the stepper and gradcheck like a built-in one."""
    softplus = custom_op("softplus_anywhere", lambda v: math.log1p(math.exp(v)),
                         lambda v: (1 / (1 + (-v).exp()) if isinstance(v, Value)
                                    else 1 / (1 + math.exp(-v)),),
                         rule="1/(1 + exp(-v))")
    v = Value(x, label="v")
    y = softplus(v) * v
    y.backward()
    want = math.log1p(math.exp(x)) + x / (1 + math.exp(-x))
    expect(math.isclose(v.grad, want, rel_tol=1e-12), f"custom op: grad {v.grad}, by hand {want}")
    report = gradcheck(lambda a: softplus(a) * a, [x], raise_on_failure=False)
    expect(not report.failures, f"gradcheck of the custom op failed:\n{report}")
    return {"x": x, "data": y.data, "grad": v.grad, "gradcheck_ok": not report.failures}


def tools_that_need_more(root: Value) -> dict[str, str]:
    """What the tools that need graphviz or numpy say, used where those are missing."""
    said = {}
    for name, use in (("draw_dot", lambda: autograd.draw_dot(root)),
                      ("np_values", lambda: autograd.np_values([1.0, 2.0]))):
        try:
            use()
            said[name] = "worked"
        except MissingDependency as err:
            said[name] = f"MissingDependency: {err}"
    return said


def main(argv: list[str]) -> int:
    cases = json.loads(argv[1]) if len(argv) > 1 else DEFAULT
    results = [run_neuron([float(v) for v in case]) for case in cases]
    o = neuron(*leaves([float(v) for v in cases[0]]))
    o.backward()
    tree = draw_text(o)
    print(tree)
    print(results[0]["first_step"])
    print(results[0]["gradcheck"])
    custom = softplus_case(0.5)
    result = {
        "platform": sys.platform,
        "from": autograd.__file__,
        "python": list(sys.version_info[:3]),
        "neurons": results,
        "text_tree": tree,
        "custom_op": custom,
        "svg_in_a_notebook": o._repr_svg_(),
        "tools": tools_that_need_more(o),
        "imported": {name: sys.modules.get(name) is not None  # None: blocked, not imported
                     for name in ("numpy", "graphviz", "tqdm")},
        "failures": failures,
    }
    print("RESULT " + json.dumps(result))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
