"""Almost-right command lines: each gets one line on stderr that shows the corrected command,
and that command works. Also the check that checks nothing, --color-by with .html, and the
graph-size limit as a CLI option."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

import pexpect
import pytest
from hypothesis import given
from hypothesis import strategies as st

from autograd.cli.fixes import repair

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "autograd", *args], cwd=cwd, text=True,
                          stdin=subprocess.DEVNULL, capture_output=True, timeout=60)


def suggestion(done: subprocess.CompletedProcess, *fragments: str) -> list[str]:
    """The one error line's corrected command, as argv words after ``autograd``."""
    assert done.returncode == 2 and done.stdout == "", done.stderr
    lines = done.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("autograd: error: "), done.stderr
    assert "Traceback" not in done.stderr
    for fragment in fragments:
        assert fragment in lines[0]
    words = shlex.split(lines[0].split(": autograd ", 1)[1])
    return words


@pytest.mark.parametrize("argv, why, fixed", [
    (["step", "o", "=", "x*2", "x=1"], "the shell split the expression into 3 words",
     ["step", "o = x*2", "x=1"]),
    (["step", "x", "+", "y", "x=1", "y=2", "--all"], "quote it",
     ["step", "x + y", "x=1", "y=2", "--all"]),
    (["step", "x*2", "x", "=", "2"], "no spaces around '='", ["step", "x*2", "x=2"]),
    (["step", "x*2", "x=", "2"], "no spaces around '='", ["step", "x*2", "x=2"]),
    (["check", "x*y", "x", "=2", "y=3"], "no spaces around '='", ["check", "x*y", "x=2", "y=3"]),
    (["step", "o", "=", "x*2", "x", "=", "1"], "quote the expression and write each input",
     ["step", "o = x*2", "x=1"]),
    (["step", "--", "-x*2", "x=1", "--all"], "--all comes after --",
     ["step", "-x*2", "x=1", "--all"]),
    (["step", "--", "-x", "x=1", "--out", "pics", "--all"], "--out comes after --",
     ["step", "-x", "x=1", "--all", "--out", "pics"]),
])
def test_each_slip_is_one_line_with_a_command_that_works(argv, why, fixed) -> None:
    words = suggestion(run(*argv), why)
    assert words == fixed
    if "step" in words:
        words = [*words, "--all"] if "--all" not in words else words
    done = run(*words)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr


def test_an_expression_may_start_with_a_minus() -> None:
    for text in ["-x", "-x*2", "-tanh(x)", "-(x + 1)"]:
        done = run("step", text, "x=1", "--all")
        assert done.returncode == 0, done.stderr
        assert done.stdout.splitlines()[0] == text  # echoed as written
    assert run("step", "--all", "-x", "x=3").returncode == 0
    assert "-2.0000" in run("step", "-x*2", "x=1", "--all", "--out", ".").stdout
    assert run("step", "-h").returncode == 0  # options still work


@given(st.lists(st.sampled_from(["x", "y", "+", "*", "=", "o", "2", "x=1", "y=2", "(", ")"]),
                max_size=7))
def test_a_repair_is_always_a_parseable_expression_and_inputs(words) -> None:
    from autograd.expr.parser import parse, parse_assignment

    fixed = repair("x", words)
    if fixed is not None:
        _, expr, inputs = fixed
        parse(expr)
        for item in inputs:
            parse_assignment(item)


def test_good_command_lines_are_not_second_guessed() -> None:
    assert repair("x*2", ["x=2"]) is None
    assert repair("x*2", ["x=abc"]) is None  # a bad number stays the parser's message
    done = run("step", "x*2", "x=abc")
    assert "found 'abc', not a number" in done.stderr


def test_check_that_checks_nothing_fails_and_says_why() -> None:
    done = run("check", "x*x", "x=1", "--eps", "1e308")
    assert done.returncode == 1 and "Traceback" not in done.stderr
    line = done.stderr.strip()
    assert "nothing was checked" in line and line.endswith("use a smaller step: "
                                                            "autograd check 'x*x' x=1")
    assert run("check", "x*x", "x=1").returncode == 0
    at_kink = run("check", "relu(x)", "x=0")
    assert at_kink.returncode == 1 and "check at another point" in at_kink.stderr
    assert run("check", "relu(x) + x*y", "x=0", "y=2").returncode == 0  # y was checked


def test_color_by_with_an_html_animation_is_one_line(tmp_path: Path) -> None:
    out = tmp_path / "n.html"
    words = suggestion(run("graph", "x*w", "x=1", "w=2", "-o", str(out), "--color-by", "grad"),
                       "--color-by shades still drawings")
    assert words == ["graph", "x*w", "x=1", "w=2", "-o", str(out)]
    assert not out.exists()


def test_graph_size_limit_is_a_cli_option(tmp_path: Path) -> None:
    out = tmp_path / "big.dot"
    text = "+".join(["x"] * 300)
    words = suggestion(run("graph", text, "x=1", "-o", str(out), "--max-nodes", "100"),
                       "the graph has 300 nodes, more than --max-nodes 100", "draw it anyway")
    assert "max_nodes" not in " ".join(words)
    assert words[-2:] == ["--max-nodes", "300"] and words[1] == "EXPR"  # long text elided
    words[1] = text
    assert run(*words).returncode == 0 and out.read_text().startswith("digraph")
    assert run("graph", text, "x=1", "-o", str(out)).returncode == 0  # under 1000 by default


def spawn(*extra: str, cwd: Path) -> pexpect.spawn:
    return pexpect.spawn(sys.executable, ["-m", "autograd", "step", "y = x*w", "x=2", "w=3",
                                          *extra], cwd=str(ROOT if cwd is None else cwd),
                         encoding="utf-8", timeout=20, dimensions=(40, 110))


@pytest.mark.parametrize("out", [None, "pictures/step"])
def test_the_g_key_says_where_it_wrote(tmp_path: Path, out: str | None) -> None:
    child = spawn(*(["--out", out] if out else []), cwd=tmp_path)
    child.expect(r"position 0/1\s")
    child.send("n")
    child.expect(r"position 1/1\s")
    child.send("g")
    child.expect(r"wrote (/\S+)")
    written = Path(child.match.group(1))
    assert written.is_absolute() and written.is_file()
    assert written.parent == (tmp_path / out if out else tmp_path).resolve()
    assert re.fullmatch(r"autograd-step-1\.(svg|dot)", written.name)
    child.send("q")
    child.expect(pexpect.EOF)


def test_the_g_key_names_the_cli_option_for_large_graphs(tmp_path: Path) -> None:
    child = spawn("--max-nodes", "2", cwd=tmp_path)
    child.expect(r"position 0/1\s")
    child.send("g")
    child.expect(r"could not write the graph: the graph has 3 nodes, more than --max-nodes 2; "
                 r"start again with --max-nodes 3")
    child.send("q")
    child.expect(pexpect.EOF)
