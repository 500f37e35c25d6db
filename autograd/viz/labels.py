"""The text inside a drawing: numbers as ``%.4f``, names escaped for DOT, record-box labels.

>>> record(["x", "data 2.0000", "a|b"], braces=True)
'{ x | data 2.0000 | a\\\\|b }'
"""

from __future__ import annotations

import math
import re

__all__ = ["fmt_num", "plain", "record"]

_RECORD_SPECIAL = re.compile(r'([\\{}|<>"])')


def fmt_num(x: float) -> str:
    """``%.4f`` as everywhere in the project (``0.0000``, never ``-0.0000``); ``%.4e`` past
    1e9 so a box stays small."""
    text = f"{x:.4f}" if not math.isfinite(x) or abs(x) < 1e9 else f"{x:.4e}"
    return "0.0000" if text == "-0.0000" else text


def plain(text: str) -> str:
    """``text`` as one line for a DOT label: backslashes and quotes escaped."""
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")


def record(fields: list[str], braces: bool) -> str:
    """A record-shape label: the fields escaped and joined by ``|``; ``braces`` turns the
    row of fields the other way (across in LR/RL, stacked in TB/BT)."""
    text = " | ".join(_RECORD_SPECIAL.sub(r"\\\1", f) for f in fields)
    return f"{{ {text} }}" if braces else text
