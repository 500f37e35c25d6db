"""Each demo runs in its smoke mode (``--quick``), ends with its summary line and writes
every picture it promises; ``autograd demo`` lists them all."""

from __future__ import annotations

import math
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PNG = b"\x89PNG\r\n\x1a\n"

# demo -> (pattern of its last line, files it writes into --out)
DEMOS = {
    "xor": (r"train accuracy: 1\.000 \(final mse \d\.\d{5}\)", ["xor_loss.png"]),
    "regression": (r"max weight error: \d\.\de-\d\d \(\|learned - true\| over w1, w2, b\)",
                   ["regression.png"]),
    "moons": (r"train accuracy: [01]\.\d{3}", ["moons_boundary.png"]),
    "digits": (r"test accuracy: [01]\.\d{3}", ["digits_confusion.png", "digits_samples.png"]),
    "vanishing": (r"first/last layer gradient ratio: sigmoid (\S+), relu (\S+)",
                  ["vanishing.png"]),
    "tour": (r"moons train accuracy: [01]\.\d{3}, neuron gradcheck: ok", ["moons_boundary.png"]),
    "handwritten": (r"diagnosed 3 mistakes; corrected derivations pass: xor accuracy 1\.000, "
                    r"regression max weight error \d\.\de-0[4-9]",
                    ["handwritten_graph.dot", "handwritten_loss.png"]),
}


def run_demo(name: str, out: Path, env: dict[str, str] | None = None,
             code: str | None = None) -> subprocess.CompletedProcess[str]:
    """``python -m demos.NAME --quick --out OUT`` from the repository root."""
    command = [sys.executable, "-m", f"demos.{name}", "--quick", "--out", str(out)]
    if code is not None:
        command = [sys.executable, "-c", code]
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, f"demos.{name} failed:\n{done.stdout}\n{done.stderr}"
    return done


def last_line(output: str) -> str:
    return output.strip().splitlines()[-1]


def check_picture(path: Path) -> None:
    assert path.is_file(), f"{path.name} was not written"
    data = path.read_bytes()
    if path.suffix == ".png":
        assert data.startswith(PNG), f"{path.name} is not a PNG"
    else:
        assert len(data) > 100, f"{path.name} is (nearly) empty"


@pytest.mark.parametrize("name", sorted(DEMOS))
def test_demo_quick_run(name: str, tmp_path: Path) -> None:
    pattern, files = DEMOS[name]
    out = tmp_path / "pictures"  # does not exist yet: the demo creates it
    done = run_demo(name, out)
    summary = last_line(done.stdout)
    assert re.fullmatch(pattern, summary), f"summary line {summary!r} !~ {pattern!r}"
    assert "(quick smoke version)" in done.stdout.splitlines()[0]
    for file in files:
        check_picture(out / file)
        assert f"{out / file}" in done.stdout, f"the demo does not say where {file} went"


def test_vanishing_shows_the_vanishing_gradient(tmp_path: Path) -> None:
    done = run_demo("vanishing", tmp_path)
    sigmoid, relu = re.fullmatch(DEMOS["vanishing"][0], last_line(done.stdout)).groups()
    assert float(sigmoid) < 1e-3 < 1e-2 < float(relu)
    table = [line.split() for line in done.stdout.splitlines() if re.match(r"\s+\d+\s", line)]
    assert [int(row[0]) for row in table] == list(range(1, 11))
    slopes = [float(row[2]) for row in table]  # mean sigmoid' of each layer
    assert all(0 < s <= 0.25 for s in slopes)
    grads = [float(row[1]) for row in table]  # the sigmoid net's gradients grow towards the top
    assert grads[0] < grads[-1] and math.log10(grads[-1] / grads[0]) > 3


def test_tour_with_graphviz(tmp_path: Path, dot_binary: str) -> None:
    done = run_demo("tour", tmp_path)
    for file in ("neuron.svg", "neuron_backward.html", "moons_boundary.png"):
        check_picture(tmp_path / file)
    assert (tmp_path / "neuron.svg").read_text().lstrip().startswith(("<?xml", "<svg"))
    text = done.stdout
    for header in ("1. A neuron", "2. Its graph", "3. Checking the gradients", "4. micrograd"):
        assert header in text
    # micrograd's numbers: o = 0.7071, x1.grad = -1.5, w1.grad = 1.0
    assert "forward: o = 0.7071" in text
    assert "x1.grad += #2.grad * d#2/dx1 = 0.5000 * -3.0000 = -1.5000  -> -1.5000" in text
    assert "ok: 5 of 5 inputs agree" in text


def test_tour_without_graphviz_saves_dot_text(tmp_path: Path) -> None:
    env = dict(os.environ, PATH=str(tmp_path / "empty"))  # no `dot` to be found
    done = run_demo("tour", tmp_path, env=env)
    check_picture(tmp_path / "neuron.dot")
    assert (tmp_path / "neuron.dot").read_text().startswith("digraph")
    assert not (tmp_path / "neuron.svg").exists()
    assert "sudo apt-get install graphviz" in done.stdout
    assert re.fullmatch(DEMOS["tour"][0], last_line(done.stdout))


def test_demo_without_matplotlib_still_finishes(tmp_path: Path) -> None:
    code = ("import runpy, sys; sys.modules['matplotlib'] = None; "
            f"sys.argv = ['xor', '--quick', '--out', {str(tmp_path)!r}]; "
            "runpy.run_module('demos.xor', run_name='__main__')")
    done = run_demo("xor", tmp_path, code=code)
    assert "pip install scalar-autograd[plot]" in done.stdout
    assert re.fullmatch(DEMOS["xor"][0], last_line(done.stdout))
    assert list(tmp_path.iterdir()) == []


def test_autograd_demo_lists_every_demo() -> None:
    done = subprocess.run([sys.executable, "-m", "autograd", "demo"], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    listed = {line.split()[0] for line in done.stdout.splitlines()[1:] if line.strip()}
    assert listed == set(DEMOS) | {"mnist"}  # mnist's smoke test: tests/demos/test_demo_mnist.py


def test_demo_help_names_the_options() -> None:
    done = subprocess.run([sys.executable, "-m", "demos.moons", "--help"], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0
    assert "--quick" in done.stdout and "--out DIR" in done.stdout
