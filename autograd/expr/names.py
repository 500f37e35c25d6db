"""How the expression language reads names: as Python does (NFKC), in the text and in the
values given for them alike, saying so whenever that is not what the eye sees.

Python reads the fullwidth ``ｘ`` and the mathematical ``𝐱`` as plain ``x``. So do we,
for bindings too (``ｘ=1`` binds ``x``); but one name written two ways in one text is
refused, and a name with non-ASCII letters is spelled out in messages, so a Cyrillic
``х`` beside a Latin ``x`` never passes for the same variable.

>>> normalize("ｘ1")
'x1'
>>> unicode_note("х")
" ('х' is U+0445 CYRILLIC SMALL LETTER HA)"
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from typing import Any

from ..errors import ExpressionError

__all__ = ["normalize", "read_bindings", "unicode_note"]


def normalize(name: str) -> str:
    """The name as Python's parser reads it: NFKC normal form."""
    return name if name.isascii() else unicodedata.normalize("NFKC", name)


def unicode_note(name: str) -> str:
    """For a name with non-ASCII characters, a note naming each of them; else ''."""
    if name.isascii():
        return ""
    odd = dict.fromkeys(c for c in name if not c.isascii())
    parts = [f"{c!r} is U+{ord(c):04X} {unicodedata.name(c, 'an unnamed character')}"
             for c in odd]
    return f" ({'; '.join(parts)})"


def read_bindings(values: Any) -> dict[str, Any]:
    """``evaluate``'s values: a mapping of text names, normalised, none given twice."""
    if values is None:
        return {}
    if not isinstance(values, Mapping):
        raise ExpressionError(f"evaluate: expected a dict of name -> number, got "
                              f"{type(values).__name__}")
    out: dict[str, Any] = {}
    spelled: dict[str, str] = {}
    for key, value in values.items():
        if not isinstance(key, str):
            raise ExpressionError(f"evaluate: variable names are text (str), got {key!r} "
                                  f"({type(key).__name__})")
        name = normalize(key)
        if name in out:
            raise ExpressionError(f"evaluate: {spelled[name]!r} and {key!r} are the same name "
                                  f"{name!r} as Python reads it; give it one value")
        out[name], spelled[name] = value, key
    return out
