"""Every code block of the README and the tutorials runs on its own, in a fresh namespace and
an empty folder, as a reader who pastes just that block would run it. Doctest blocks must
print what they show; a plain block followed by an output block must print that output.
Also the README's structure: one demos table, and every demo named where demos are listed."""

from __future__ import annotations

import contextlib
import doctest
import io
import pkgutil
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

import demos

ROOT = Path(__file__).resolve().parents[1]
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
FENCE = re.compile(r"^```([^\n`]*)\n(.*?)^```[ \t]*$", re.S | re.M)
PYTHON = {"python", "py", "pycon", "python3"}
FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE


@dataclass(frozen=True)
class Block:
    path: Path
    line: int  # of the opening fence
    info: str
    code: str
    output: str | None  # the unlabelled block right after a plain python block

    @property
    def doctest(self) -> bool:
        return ">>>" in self.code

    def __str__(self) -> str:
        return f"{self.path.relative_to(ROOT)}:{self.line}"


def blocks(path: Path) -> list[Block]:
    """The runnable fenced blocks of a markdown file: python ones, and any with ``>>>``."""
    text = path.read_text(encoding="utf-8")
    fences = list(FENCE.finditer(text))
    found = []
    for k, m in enumerate(fences):
        info, code = m.group(1).strip().split(" ")[0].lower(), m.group(2)
        if info not in PYTHON and ">>>" not in code:
            continue
        after = fences[k + 1] if k + 1 < len(fences) else None
        output = None
        if after is not None and not after.group(1).strip() and ">>>" not in code \
                and not text[m.end():after.start()].strip():
            output = after.group(2)
        found.append(Block(path, text.count("\n", 0, m.start()) + 1, info, code, output))
    return found


ALL = [b for path in DOCS for b in blocks(path)]


def needs(block: Block) -> None:
    """Skip (fail under CI) when a block renders with Graphviz and ``dot`` is missing."""
    if re.search(r"save_graph\([^)]*\.(svg|png|pdf)|save_backward_animation", block.code):
        from needs import require_binary

        require_binary("dot", "the block renders with Graphviz")


@pytest.mark.parametrize("block", ALL, ids=str)
def test_block_runs_alone(block: Block, tmp_path: Path, monkeypatch) -> None:
    needs(block)
    monkeypatch.chdir(tmp_path)  # files a block writes land here
    globs = {"__name__": "__main__"}
    if block.doctest:
        test = doctest.DocTestParser().get_doctest(block.code, globs, str(block),
                                                   str(block.path), block.line)
        report = io.StringIO()
        runner = doctest.DocTestRunner(optionflags=FLAGS)
        runner.run(test, out=report.write, clear_globs=True)
        assert not runner.failures, f"{block} fails when run alone:\n{report.getvalue()}"
        return
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(block.code, str(block), "exec"), globs)  # the project's own docs
    if block.output is not None:
        checker = doctest.OutputChecker()
        assert checker.check_output(block.output, printed.getvalue(), FLAGS), (
            f"{block} prints something else than the block after it shows:\n"
            + checker.output_difference(doctest.Example("", block.output),
                                        printed.getvalue(), FLAGS))


def test_every_doctest_line_is_in_a_block_that_runs() -> None:
    for path in DOCS:
        text = path.read_text(encoding="utf-8")
        covered = sum(b.code.count("\n>>> ") + b.code.startswith(">>> ") for b in blocks(path))
        assert text.count("\n>>> ") == covered, path.name


def test_the_blocks_are_found() -> None:
    readme = [b for b in ALL if b.path.name == "README.md"]
    assert len(readme) >= 8 and any(b.output for b in readme)
    assert len([b for b in ALL if b.path.name == "tutorial.md"]) >= 14


def demo_names() -> list[str]:
    return sorted(m.name for m in pkgutil.iter_modules(demos.__path__)
                  if not m.name.startswith("_"))


def readme_section(title: str) -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return text.split(f"\n## {title}\n", 1)[1].split("\n## ", 1)[0]


def test_the_demos_table_is_one_table_with_every_demo() -> None:
    section = readme_section("Demos")
    rows = re.findall(r"^\|.*\|$", section, re.M)
    first, last = section.index(rows[0]), section.index(rows[-1]) + len(rows[-1])
    assert "\n\n" not in section[first:last], "a blank line splits the demos table"
    named = [re.match(r"\| `(\w+)` \|", row).group(1) for row in rows[2:]]
    assert sorted(named) == demo_names()


def test_every_demo_is_named_in_the_layout_and_by_the_tour() -> None:
    layout = readme_section("Layout")
    listed = re.search(r"^demos/ .*: (.*)$", layout, re.M).group(1).split()
    assert sorted(listed) == demo_names()
    from demos.tour import next_steps

    named = re.search(r"for NAME in (.*) \(", next_steps()).group(1).split(", ")
    assert sorted([*named, "tour"]) == demo_names()


def test_the_tour_names_nodes_as_the_cli_does(capsys) -> None:
    from autograd.cli import main
    from demos.tour import INPUTS, neuron, step_through

    step_through(neuron(**INPUTS))
    tour = capsys.readouterr().out
    assert main(["step", "n = x1*w1 + x2*w2 + b; o = tanh(n)",
                 *(f"{k}={v!r}" for k, v in INPUTS.items()), "--all"]) == 0
    cli = capsys.readouterr().out
    steps = [line.strip() for line in cli.splitlines() if ".grad" in line]
    assert steps and all(line in tour for line in steps)
    assert "> marks the last step's node and * the inputs that step updated" in tour
