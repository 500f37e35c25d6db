"""The colours of a drawing: the |grad| log scale of ``color_by="grad"`` with its legend,
and the highlight red.

>>> scale = GradScale([0.001, 1.0, 50.0])
>>> scale.colour(1.0), scale.colour(0.0), scale.colour(float("nan"))
(('#2171b5', 'white'), ('#fee8c8', ''), ('#e31a1c', 'white'))
"""

from __future__ import annotations

import math

__all__ = ["BAD_FILL", "HOT", "PALETTE", "ZERO_FILL", "GradScale", "node_style"]

PALETTE = ("#c6dbef", "#9ecae1", "#6baed6", "#4292c6", "#2171b5", "#08519c", "#08306b")
# ColorBrewer blues, pale to dark: small to large |grad|; dark fills take white text
ZERO_FILL, BAD_FILL, HOT = "#fee8c8", "#e31a1c", "#d62728"
_WHITE_TEXT = 4


class GradScale:
    """|grad| on a log10 scale: decades grouped into at most ``len(PALETTE)`` colours."""

    def __init__(self, grads: list[float], neurons: bool = False) -> None:
        self.neurons = neurons
        logs = [math.log10(abs(g)) for g in grads if g != 0 and math.isfinite(g)]
        self.zero = any(g == 0 for g in grads)
        self.bad = any(not math.isfinite(g) for g in grads)
        self.lo = math.floor(min(logs)) if logs else 0
        span = math.floor(max(logs)) + 1 - self.lo if logs else 0
        self.width = max(1, math.ceil(span / len(PALETTE)))
        self.buckets = math.ceil(span / self.width)

    def _index(self, bucket: int) -> int:
        top = len(PALETTE) - 1
        return top // 2 if self.buckets == 1 else round(bucket * top / (self.buckets - 1))

    def colour(self, grad: float) -> tuple[str, str]:
        """Fill and font colour for a node with this gradient."""
        if grad == 0:
            return ZERO_FILL, ""
        if not math.isfinite(grad):
            return BAD_FILL, "white"
        bucket = min(int((math.log10(abs(grad)) - self.lo) // self.width), self.buckets - 1)
        index = self._index(bucket)
        return PALETTE[index], "white" if index >= _WHITE_TEXT else ""

    def legend(self) -> str:
        """An HTML-like table: one row per colour with the |grad| range it stands for."""
        rows = ['<tr><td><b>|grad|, log scale</b></td></tr>']
        if self.neurons:
            rows.append("<tr><td>neurons: largest |param grad|</td></tr>")
        for b in reversed(range(self.buckets)):
            lo, hi = self.lo + b * self.width, self.lo + (b + 1) * self.width
            index = self._index(b)
            text = f"1e{lo} &le; |grad| &lt; 1e{hi}"
            if index >= _WHITE_TEXT:
                text = f'<font color="white">{text}</font>'
            rows.append(f'<tr><td bgcolor="{PALETTE[index]}">{text}</td></tr>')
        if self.zero:
            rows.append(f'<tr><td bgcolor="{ZERO_FILL}" style="dashed">grad = 0</td></tr>')
        if self.bad:
            rows.append(f'<tr><td bgcolor="{BAD_FILL}"><font color="white">nan / inf'
                        '</font></td></tr>')
        return ('<<table border="0" cellborder="1" cellspacing="0" cellpadding="4">'
                + "".join(rows) + "</table>>")


def node_style(scale: GradScale | None, grad: float, hot: bool, **attrs: str) -> dict[str, str]:
    """A box's DOT attributes plus its fill for ``grad`` on the scale (if any) and, when
    highlighted, a thick red border."""
    if scale is not None:
        fill, font = scale.colour(grad)
        attrs.update(style="filled,dashed" if grad == 0 else "filled", fillcolor=fill)
        if font:
            attrs["fontcolor"] = font
    if hot:
        attrs.update(color=HOT, penwidth="3")
    return attrs
