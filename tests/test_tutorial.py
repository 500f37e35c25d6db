"""The tutorials' code runs as doctests (``--doctest-glob='*.md'`` over ``docs``, and block
by block in ``test_docs.py``); these tests keep that wiring in place and the English and
Chinese versions in step."""

from __future__ import annotations

import doctest
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ENGLISH = ROOT / "docs" / "tutorial.md"
CHINESE = ROOT / "docs" / "tutorial.zh-CN.md"


def code_blocks(path: Path) -> list[str]:
    """The ```python blocks of a markdown file, examples and outputs included."""
    return re.findall(r"^```python\n(.*?)^```$", path.read_text(encoding="utf-8"), re.S | re.M)


def test_pytest_runs_the_tutorials_as_doctests() -> None:
    text = (ROOT / "pyproject.toml").read_text()  # no tomllib: Python 3.10 is supported
    options = text[text.index("[tool.pytest.ini_options]"):]
    testpaths = re.search(r"^testpaths = \[(.*)\]$", options, re.M).group(1)
    addopts = re.search(r"^addopts = (.*)$", options, re.M).group(1)
    assert '"docs"' in testpaths
    assert "--doctest-glob='*.md'" in addopts


def test_both_languages_run_the_same_code() -> None:
    english, chinese = code_blocks(ENGLISH), code_blocks(CHINESE)
    assert len(english) >= 14
    assert english == chinese


def test_every_section_has_examples() -> None:
    parser = doctest.DocTestParser()
    for path in (ENGLISH, CHINESE):
        text = path.read_text(encoding="utf-8")
        sections = re.split(r"^## \d\. ", text, flags=re.M)[1:]
        assert len(sections) == 7, path.name
        for section in sections:
            assert parser.get_examples(section), f"{path.name}: {section.splitlines()[0]}"


def test_chinese_uses_the_usual_terms() -> None:
    text = CHINESE.read_text(encoding="utf-8")
    for term in ("反向传播", "误差逆传播", "链式法则", "梯度", "计算图", "损失函数", "梯度消失"):
        assert term in text, term
