"""Exercise 5: a numpy layer's gradients derived by hand, graded by ``check_backprop``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .exercise import Exercise, Text, fail, need_function, run

__all__ = ["EXERCISE", "check_layer", "layer_data", "layer_loss"]

GIVEN = """import numpy as np

def layer_loss(W, b, X, t):
    y = np.tanh(X @ W + b)            # a layer: 4 samples, 3 inputs, 2 outputs
    return np.mean((y - t) ** 2)      # mean squared error over every entry
"""
SOLUTION = """    z = X @ W + b
    y = np.tanh(z)
    dy = 2 * (y - t) / y.size         # d mean((y - t)**2) / dy
    dz = dy * (1 - y**2)              # through tanh
    return X.T @ dz, dz.sum(axis=0)   # dL/dW, dL/db (b is added to every row)
"""


def layer_loss(W: Any, b: Any, X: Any, t: Any) -> Any:
    """The exercise's loss, the same code as the notebook's given cell."""
    import numpy as np

    y = np.tanh(X @ W + b)
    return np.mean((y - t) ** 2)


def layer_data() -> tuple[Any, Any, Any, Any]:
    """W (3x2), b (2), X (4x3), t (4x2): fixed numbers, so every run grades the same."""
    import numpy as np

    rng = np.random.default_rng(7)
    return (rng.normal(size=(3, 2)) * 0.5, rng.normal(size=2) * 0.1, rng.normal(size=(4, 3)),
            rng.normal(size=(4, 2)))


def check_layer(layer_grads: Callable[..., Any]) -> str:
    """Grade ``layer_grads(W, b, X, t)`` -> ``(dL/dW, dL/db)`` with ``check_backprop``."""
    from ..check.backprop import check_backprop

    need_function("layer", layer_grads)
    W, b, X, t = layer_data()
    report = run("layer", "layer_grads (run by check_backprop)", check_backprop, layer_loss,
                 layer_grads, [W, b], X, t, names=["W", "b"])
    if not report.ok:
        raise fail("layer", [str(report)])
    return "layer: right. check_backprop agrees with autograd and finite differences."


EXERCISE = Exercise(
    name="layer",
    title=Text("A numpy layer, derived by hand", "手推一个 numpy 层的梯度"),
    prompt=Text(
        "The layer `y = tanh(X @ W + b)` with loss `mean((y - t)**2)` is in the cell below. "
        "Write `layer_grads(W, b, X, t)` returning `(dL/dW, dL/db)` with numpy, derived by "
        "hand backwards through the mean, the square, tanh and the matrix product. "
        "`check_backprop` compares them with autograd and names sign, factor, transpose "
        "and misplaced-derivative mistakes.",
        "下面的单元格里是层 `y = tanh(X @ W + b)` 和损失 `mean((y - t)**2)`。用 numpy 写出 "
        "`layer_grads(W, b, X, t)`，返回 `(dL/dW, dL/db)`：从均值、平方、tanh 到矩阵乘法"
        "逐步手推回去。`check_backprop` 会把结果与 autograd 比较，并指出符号、倍数、转置"
        "和导数放错位置等错误。"),
    hints=(Text("`mean` over all entries divides by `y.size`: `dL/dy = 2 * (y - t) / y.size`.",
                "`mean` 对所有元素取平均，要除以 `y.size`：`dL/dy = 2 * (y - t) / y.size`。"),
           Text("Through tanh multiply by `1 - y**2`; for `X @ W` the gradient of `W` is "
                "`X.T @ dz` (shapes must match `W`).",
                "经过 tanh 要乘以 `1 - y**2`；对 `X @ W`，`W` 的梯度是 `X.T @ dz`（形状要与 `W` "
                "相同）。"),
           Text("`b` is added to every row, so its gradient sums `dz` over the rows.",
                "`b` 被加到每一行，所以它的梯度是 `dz` 按行求和。")),
    given=GIVEN,
    head="def layer_grads(W, b, X, t):\n",
    starter='    raise NotImplementedError("layer: return dL/dW and dL/db")\n',
    solution=SOLUTION,
    answer="layer_grads",
    checker=check_layer,
)
