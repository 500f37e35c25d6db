"""The ``autograd`` command in subprocesses: output, exit statuses, and every bad input."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from autograd.cli import commands as cli
from autograd.cli import demos as cli_demos

NEURON = ["n = x1*w1 + x2*w2 + b; o = tanh(n)", "x1=2", "x2=0", "w1=-3", "w2=1",
          "b=6.8813735870195432"]
ROOT = Path(__file__).resolve().parents[2]


def run(*args: str, stdin: int | None = subprocess.DEVNULL, cwd: Path = ROOT,
        ) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "autograd", *args], stdin=stdin, cwd=cwd,
                          capture_output=True, text=True, timeout=60)


def final_grads(stdout: str) -> dict[str, str]:
    """Labelled rows of the final table: label -> grad, read by the header's columns."""
    head, *rows = stdout.split("final gradients:\n")[1].splitlines()
    assert head.split() == ["#k", "label", "op", "data", "grad"]
    label, op = head.index("label"), head.index("op")
    cells = {row[label:op].strip(): row.split()[-1] for row in rows}
    return {name: grad for name, grad in cells.items() if name}


def test_step_all_prints_every_step_and_the_final_table() -> None:
    done = run("step", *NEURON, "--all")
    assert done.returncode == 0 and done.stderr == ""
    out = done.stdout
    for line in ["step 0/5: o.grad = 1.0000 (seed)", "step 1/5: o (tanh)", "step 2/5: n (add)",
                 "  n.grad += o.grad * do/dn = 1.0000 * 0.5000 = 0.5000  -> 0.5000",
                 "  b.grad += n.grad * dn/db = 0.5000 * 1.0000 = 0.5000  -> 0.5000",
                 "  x1.grad += #2.grad * d#2/dx1 = 0.5000 * -3.0000 = -1.5000  -> -1.5000",
                 "  w1.grad += #2.grad * d#2/dw1 = 0.5000 * 2.0000 = 1.0000  -> 1.0000"]:
        assert line in out.splitlines()
    assert final_grads(out) == {"x1": "-1.5000", "w1": "1.0000", "x2": "0.5000",
                                "w2": "0.0000", "b": "0.5000", "n": "0.5000", "o": "1.0000"}


def test_without_a_terminal_step_prints_everything_too() -> None:
    assert run("step", *NEURON).stdout == run("step", *NEURON, "--all").stdout


def test_a_shared_input_shows_its_accumulation() -> None:
    done = run("step", "y = x*x + x", "x=3", "--all")
    assert "(contribution 3 of 3)" in done.stdout and final_grads(done.stdout)["x"] == "7.0000"


def check_clean_error(done: subprocess.CompletedProcess, *fragments: str) -> list[str]:
    assert done.returncode == 2, done.stderr
    assert done.stdout == "" and "Traceback" not in done.stderr
    lines = done.stderr.splitlines()
    assert lines[0].startswith("autograd: error: ")
    for fragment in fragments:
        assert fragment in lines[0]
    return lines


def test_syntax_error_has_a_caret_under_the_position() -> None:
    expected = "column 9: found '*'; expected a number, a name, '(' or a function call"
    lines = check_clean_error(run("step", "x1*w1 + * b", "x1=1", "w1=2", "b=3"), expected)
    assert lines[1:] == ["  x1*w1 + * b", "          ^"]


@pytest.mark.parametrize("args, fragments", [
    (["step", "tanhh(x)", "x=1"], ["unknown function 'tanhh'", "abs, cos, exp, leaky_relu, log"]),
    (["step", "x*w", "x=1"], ["column 3: found variable 'w' without a value", "given: x"]),
    (["step", "x*2", "x=abc"], ["variable 'x=abc': found 'abc', not a number",
                                "expected NAME=NUMBER"]),
    (["step", "x*2", "x"], ["found no '='"]),
    (["step", "x*2", "x=1", "x=2"], ["'x' is given twice"]),
    (["step", "x*2", "x=1", "y=2"], ["'y' is not used by the expression; it uses x"]),
    (["step", "log(x)", "x=-1"], ["column 1: log of non-positive value -1.0 in node 'x'"]),
    (["step", "2**10**10"], ["column 4: found exponent 1e+10", "between -1000 and 1000"]),
    (["step", "(" * 10_000 + "x" + ")" * 10_000, "x=1"], ["expected at most 10,000"]),
    (["check", "2 + 3"], ["nothing to check"]),
    (["graph", "x*2", "x=1", "-o", "out.txt"], [".svg"]),
])
def test_bad_input_exits_2_with_one_clear_line(args: list[str], fragments: list[str]) -> None:
    check_clean_error(run(*args), *fragments)


def test_deep_nesting_is_one_clean_line() -> None:
    text = "(" * 150 + "x" + ")" * 150
    lines = check_clean_error(run("step", text, "x=1"), "column 101: found more than 100")
    assert len(lines) == 3 and lines[2].strip() == "^"


def test_injection_is_refused_and_nothing_runs(tmp_path: Path) -> None:
    target = Path(f"/tmp/pwned_{uuid.uuid4().hex}")
    for text in [f"__import__('os').system('touch {target}')",
                 f"x; __import__('os').system('touch {target}')"]:
        check_clean_error(run("step", text, "x=1", cwd=tmp_path), "found attribute access")
    assert not target.exists()


def test_usage_errors_exit_2() -> None:
    done = run("frobnicate")
    assert done.returncode == 2 and "invalid choice: 'frobnicate'" in done.stderr
    assert run().returncode == 2
    done = run("step")
    assert done.returncode == 2 and "EXPR" in done.stderr
    assert "Traceback" not in done.stderr


def test_help_lists_everything_and_each_command_has_an_example() -> None:
    done = run("--help")
    assert done.returncode == 0
    for name in ["step", "graph", "check", "demo"]:
        assert re.search(rf"^\s+{name}\s+\w", done.stdout, re.M)
        sub = run(name, "--help")
        assert sub.returncode == 0 and f"example:\n  autograd {name} " in sub.stdout
    assert run("--version").stdout.startswith("autograd ")


def test_check_passes_and_fails_with_exit_status() -> None:
    good = run("check", "x**3 / y + log(x)", "x=1.5", "y=2")
    assert good.returncode == 0, good.stdout + good.stderr
    assert re.search(r"^\s*x\s+1\.5\b.*\bok$", good.stdout, re.M)
    bad = run("check", "exp(x)", "x=3", "--atol", "0", "--rtol", "0")
    assert bad.returncode == 1 and "x" in bad.stdout and "Traceback" not in bad.stderr


def test_graph_writes_dot_text_without_graphviz(tmp_path: Path) -> None:
    out = tmp_path / "neuron.dot"
    done = run("graph", *NEURON, "-o", str(out), "--color-by", "grad")
    assert done.returncode == 0 and done.stdout.strip() == f"wrote {out}"
    text = out.read_text()
    assert text.lstrip().startswith("digraph") and "-1.5000" in text  # backward ran
    run("graph", *NEURON, "-o", str(out), "--no-backward")
    assert "-1.5000" not in out.read_text()


def test_graph_renders_svg_and_html(tmp_path: Path, dot_binary: str) -> None:
    svg, html = tmp_path / "g.svg", tmp_path / "g.html"
    assert run("graph", *NEURON, "-o", str(svg)).returncode == 0
    assert "<svg" in svg.read_text()
    done = run("graph", *NEURON, "-o", str(html))
    assert done.returncode == 0, done.stderr
    assert "<svg" in html.read_text() or "<html" in html.read_text().lower()


def test_demo_lists_the_demos_package() -> None:
    folder = ROOT / "demos"
    names = sorted(p.stem for p in folder.glob("*.py") if not p.stem.startswith("_"))
    done = run("demo")
    if not names:
        check_clean_error(done, "no demos found")
        return
    assert done.returncode == 0
    listed = [line.split()[0] for line in done.stdout.splitlines()[1:]]
    assert listed == names
    check_clean_error(run("demo", "no_such_demo"), "unknown demo 'no_such_demo'", names[0])


def test_demo_runs_the_module_with_its_arguments(tmp_path: Path, monkeypatch, capfd) -> None:
    package = tmp_path / "demos"
    package.mkdir()
    (package / "hello.py").write_text('"""Say hello."""\nimport sys\nprint("hello", sys.argv[1:])'
                                      '\nraise SystemExit(3)\n')
    monkeypatch.setattr(cli_demos, "_demos", lambda: (package, {"hello": "Say hello."}))
    monkeypatch.chdir(tmp_path)  # so the repository's own demos package does not shadow it
    assert cli.main(["demo", "hello", "--", "--fast", "x"]) == 3
    assert "hello ['--fast', 'x']" in capfd.readouterr().out
    assert cli.main(["demo"]) == 0
    assert "hello  Say hello." in capfd.readouterr().out


def test_main_returns_statuses_in_process(capsys) -> None:
    assert cli.main(["step", "x*y", "x=2", "y=3", "--all"]) == 0
    assert "x.grad += " in capsys.readouterr().out
    assert cli.main(["step", "x*", "x=2"]) == 2
    assert capsys.readouterr().err.startswith("autograd: error: column 3")
    assert cli.main(["--help"]) == 0


def test_a_long_table_is_windowed_around_the_current_node() -> None:
    table = "\n".join(["  #k  grad"] + [f"  #{k}  0.0" for k in range(100)])
    table = table.replace("  #60 ", "> #60 ")
    shown = cli._window(table, 10).splitlines()
    assert len(shown) == 12 and shown[0] == "  #k  grad" and "> #60  0.0" in shown
    assert shown[-1] == "  ... 90 more rows (t shows the tree)"
    assert cli._window(table, 200) == table


def test_broken_pipe_is_quiet() -> None:
    script = (f"{sys.executable} -m autograd step '{'+'.join(['x'] * 400)}' x=1 --all "
              "| head -n 1")
    done = subprocess.run(["sh", "-c", script], capture_output=True, text=True, timeout=60,
                          cwd=ROOT, env=dict(os.environ))
    assert done.stdout.startswith("x+x") and "Traceback" not in done.stderr


def test_a_path_that_cannot_be_written_is_one_line_naming_its_missing_part(
        tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "notes").write_text("a file, not a folder")
    cases = [(["exercises", "-o", "nope/deeper/x.ipynb"],
              "'nope/deeper/x.ipynb': No such file or directory (the folder 'nope' is missing)"),
             (["graph", "x*2", "x=1", "-o", "notes/g.dot"],
              "'notes/g.dot': Not a directory (the folder 'notes' is a file)")]
    for argv, line in cases:
        assert cli.main(argv) == 2
        err = capsys.readouterr().err
        assert err == f"autograd: error: {line}\n", err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes"]
