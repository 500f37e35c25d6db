"""The exercise notebook, written as nbformat 4 JSON (no Jupyter needed to write it).

Per exercise: its prompt and hints (Markdown, hints folded), the code it gives, the answer
cell (a starter that raises ``NotImplementedError``, or the solution between nbgrader's
``### BEGIN SOLUTION`` markers) and the check cell. Answer and check cells carry nbgrader's
metadata, so ``nbgrader generate_assignment`` takes the solutions notebook as its source.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from ..errors import ConfigError
from ..files import write_atomic
from .exercise import Exercise, Text, check_lang
from .table import EXERCISES

__all__ = ["notebook", "write_notebook"]

TITLE = Text("Backprop exercises, after micrograd's lecture", "反向传播练习（跟随 micrograd 课程）")
INTRO = Text(
    "Each exercise has a prompt, hints (click to open), a cell for your answer and a check "
    "cell. Run the cells in order: the check says *right*, or raises `AssertionError` with "
    "what is wrong and why. Replace each `raise NotImplementedError(...)` with your answer.",
    "每个练习都有题目、提示（点击展开）、一个作答单元格和一个检查单元格。按顺序运行：检查通过"
    "会显示 *right*，否则抛出 `AssertionError`，说明哪里错了、为什么错。把每个 "
    "`raise NotImplementedError(...)` 换成你的答案。")
HINT = Text("Hint", "提示")
SETUP = "from autograd import exercises\n"


def _lines(text: str) -> list[str]:
    return text.splitlines(keepends=True)


def _markdown(cell_id: str, text: str) -> dict[str, Any]:
    return {"cell_type": "markdown", "id": cell_id, "metadata": {}, "source": _lines(text)}


def _code(cell_id: str, code: str, grader: dict[str, Any] | None = None) -> dict[str, Any]:
    meta = {"nbgrader": {"schema_version": 3, "grade_id": cell_id, **grader}} if grader else {}
    return {"cell_type": "code", "id": cell_id, "metadata": meta, "execution_count": None,
            "outputs": [], "source": _lines(code)}


def _cells(k: int, ex: Exercise, lang: str, solutions: bool) -> list[dict[str, Any]]:
    hints = "\n".join(f"<details><summary>{HINT[lang]} {i}</summary>\n\n{h[lang]}\n\n</details>"
                      for i, h in enumerate(ex.hints, 1))
    cells = [_markdown(f"{ex.name}-prompt", f"## {k}. {ex.title[lang]}\n\n{ex.prompt[lang]}"
                       f"\n\n{hints}")]
    if ex.given:
        cells.append(_code(f"{ex.name}-given", ex.given, {"solution": False, "grade": False,
                                                           "locked": True}))
    cells.append(_code(f"{ex.name}-answer", ex.answer_code(solutions),
                       {"solution": True, "grade": False, "locked": False}))
    cells.append(_code(f"{ex.name}-check", ex.check_code + "\n",
                       {"solution": False, "grade": True, "locked": True, "points": 1}))
    return cells


def notebook(lang: str = "en", solutions: bool = False) -> dict[str, Any]:
    """The exercise notebook as nbformat 4 JSON data, in ``lang`` (``"en"`` or ``"zh"``)."""
    check_lang(lang)
    cells = [_markdown("title", f"# {TITLE[lang]}\n\n{INTRO[lang]}"),
             _code("setup", SETUP, {"solution": False, "grade": False, "locked": True})]
    for k, ex in enumerate(EXERCISES, 1):
        cells += _cells(k, ex, lang, solutions)
    return {"nbformat": 4, "nbformat_minor": 5, "cells": cells, "metadata": {
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
        "language_info": {"name": "python"}}}


def check_notebook_name(path: str | os.PathLike[str] | bytes, where: str) -> None:
    """``ConfigError`` unless ``path`` ends in ``.ipynb`` (Jupyter opens a notebook by it)."""
    name = os.fsdecode(path)
    if not name.endswith(".ipynb"):
        raise ConfigError(f"{where}: the notebook's name must end in .ipynb, got {name!r}")


def write_notebook(path: str | os.PathLike[str], lang: str = "en",
                   solutions: bool = False) -> Path:
    """Write the exercise notebook to ``path`` (``.ipynb``), atomically; returns the path."""
    check_notebook_name(path, "write_notebook")
    data = notebook(lang, solutions)
    return write_atomic(path, json.dumps(data, ensure_ascii=False, indent=1) + "\n")
