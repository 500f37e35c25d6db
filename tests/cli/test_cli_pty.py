"""``autograd step`` driven under a real pseudo-terminal: single keys, no Enter."""

from __future__ import annotations

import re
import shlex
import sys
from pathlib import Path

import pexpect

ROOT = Path(__file__).resolve().parents[2]
NEURON = ["n = x1*w1 + x2*w2 + b; o = tanh(n)", "x1=2", "x2=0", "w1=-3", "w2=1",
          "b=6.8813735870195432"]


def spawn(*extra: str, cwd: Path = ROOT) -> pexpect.spawn:
    return pexpect.spawn(sys.executable, ["-m", "autograd", "step", *NEURON, *extra], cwd=str(cwd),
                         encoding="utf-8", timeout=20, dimensions=(50, 110))


def screen(child: pexpect.spawn, position: str) -> str:
    """Wait for the screen showing ``position k/N`` and return its text."""
    child.expect(rf"position {position}\s")
    return child.before.rsplit("\x1b[2J", 1)[-1]


def row(text: str, label: str) -> list[str]:
    return next(line.split() for line in text.splitlines()
                if f" {label} " in line and "#" in line.split()[0] + line.split()[1])


def test_step_back_continue_and_quit() -> None:
    child = spawn()
    first = screen(child, "0/5")
    assert "step 0/5: o.grad = 1.0000 (seed)" in first
    assert row(first, "o")[-1] == "1.0000" and row(first, "n")[-1] == "0.0000"
    child.send("n")
    one = screen(child, "1/5")
    assert "n.grad += o.grad * do/dn = 1.0000 * 0.5000 = 0.5000  -> 0.5000" in one
    assert row(one, "n")[0] == "*" and row(one, "n")[-1] == "0.5000"
    child.send("n")
    two = screen(child, "2/5")
    assert "step 2/5: n (add)" in two and row(two, "b")[-1] == "0.5000"
    child.send("b")
    back = screen(child, "1/5")
    assert row(back, "b")[-1] == "0.0000" and row(back, "n")[-1] == "0.5000"
    child.send("c")
    end = screen(child, "5/5")
    assert "x1.grad += #2.grad * d#2/dx1 = 0.5000 * -3.0000 = -1.5000  -> -1.5000" in end
    assert row(end, "x1")[-1] == "-1.5000" and row(end, "w1")[-1] == "1.0000"
    child.send("n")
    assert "at the end" in screen(child, "5/5")
    child.send("q")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0


def test_help_tree_graph_and_unknown_keys(tmp_path: Path) -> None:
    child = spawn("--graph-dir", str(tmp_path))
    screen(child, "0/5")
    child.send("?")
    assert "undo the last step" in screen(child, "0/5")
    child.send("t")
    tree = screen(child, "0/5")
    assert "└─" in tree or "(the text tree is not available here)" in tree
    child.send("\x1b[C")  # right arrow: next
    screen(child, "1/5")
    child.send("g")
    written = Path(re.search(r"wrote (\S+)", screen(child, "1/5")).group(1))
    assert written.parent == tmp_path and written.stem == "autograd-step-1"
    assert written.suffix in (".svg", ".dot") and written.stat().st_size > 0
    child.send("z")
    assert "unknown key 'z'" in screen(child, "1/5")
    child.send("nn\x1b[Db")  # keys arriving together are applied one by one
    assert "step 1/5: o (tanh)" in screen(child, "1/5")
    child.send("\x03")  # Ctrl-C: clean exit, no traceback
    child.expect(pexpect.EOF)
    assert "Traceback" not in child.before
    child.close()
    assert child.exitstatus == 130


def test_the_terminal_is_restored_after_quitting() -> None:
    command = shlex.join([sys.executable, "-m", "autograd", "step", *NEURON])
    child = pexpect.spawn("sh", ["-c", f"stty -a; {command}; echo AFTER; stty -a"],
                          cwd=str(ROOT), encoding="utf-8", timeout=20, dimensions=(50, 110))
    child.expect("position 0/5")
    before = child.before.split("\x1b[")[0]
    child.send("q")
    child.expect("AFTER")
    child.expect(pexpect.EOF)
    after = child.before
    for flag in ("icanon", "echo"):
        assert f" {flag} " in f" {before} ".replace("\r\n", " ").replace(";", " ")
        assert f" {flag} " in f" {after} ".replace("\r\n", " ").replace(";", " ")
