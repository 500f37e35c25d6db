"""``import autograd`` is the engine alone, and the stepper, gradcheck and the text tree
work with nothing but the standard library (numpy, graphviz and tqdm made unimportable)."""

from __future__ import annotations

import ast
import importlib
import json
import math
import pkgutil
import random
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import autograd
from portable.pyodide_env import ROOT, run_in_pyodide

SCRIPT = Path(__file__).with_name("engine_anywhere.py")
HEAVY = ("numpy", "graphviz", "tqdm")
# What `import autograd` may load: the engine's own modules, and the lab's package for the
# `autograd.lab` function (its modules load when it is called).
ENGINE = {"autograd", "autograd.backward", "autograd.build", "autograd.custom",
          "autograd.engine", "autograd.errors", "autograd.graph", "autograd.lab",
          "autograd.lazy", "autograd.micrograd", "autograd.modes", "autograd.nary",
          "autograd.node", "autograd.ops", "autograd.real", "autograd.rule_text",
          "autograd.trace"}
BLOCK = f"import sys\nfor name in {HEAVY!r}:\n    sys.modules[name] = None  # import fails\n"


def python(code: str, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True,
                          text=True, cwd=cwd, timeout=120, check=False)


def test_import_autograd_loads_the_engine_alone(tmp_path: Path) -> None:
    done = python("import json, sys\nbefore = set(sys.modules)\nimport autograd\n"
                  "print(json.dumps(sorted(set(sys.modules) - before)))", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    loaded = json.loads(done.stdout)
    ours = {name for name in loaded if name.split(".")[0] == "autograd"}
    assert ours == ENGINE
    assert not [name for name in loaded if name.split(".")[0] in HEAVY]
    assert len(loaded) <= 60, loaded  # 40 today: the engine's 17 and standard library


def by_hand(x1: float, x2: float, w1: float, w2: float, b: float) -> list[float]:
    d = 1.0 / math.cosh(x1 * w1 + x2 * w2 + b) ** 2
    return [w1 * d, w2 * d, x1 * d, x2 * d, d]


def check_report(stdout: str, cases: list[list[float]]) -> dict[str, Any]:
    """The script's RESULT line says what plain arithmetic says, wherever it ran."""
    (line,) = [line for line in stdout.splitlines() if line.startswith("RESULT ")]
    result = json.loads(line.removeprefix("RESULT "))
    assert result["failures"] == []
    assert len(result["neurons"]) == len(cases)
    for case, got in zip(cases, result["neurons"]):
        assert got["inputs"] == case
        assert math.isclose(got["data"], math.tanh(case[0] * case[2] + case[1] * case[3]
                                                   + case[4]), rel_tol=1e-12, abs_tol=1e-15)
        for grad, want in zip(got["grads"], by_hand(*case)):
            assert math.isclose(grad, want, rel_tol=1e-9, abs_tol=1e-12), (case, grad, want)
        assert got["stepped"] == got["grads"]  # the stepper leaves what backward leaves
        assert got["steps"] == 5  # tanh, +, +, *, *
        assert got["first_step"].startswith("n.grad += o.grad * do/dn = 1.0000 * ")
        assert got["gradcheck_ok"] and got["gradcheck"].startswith("ok: 5 of 5 inputs agree")
    tree = result["text_tree"].splitlines()
    assert tree[0].startswith("#9 o [tanh] data ")
    assert sum(f" {name} data " in "\n".join(tree) for name in ("x1", "x2", "w1", "w2", "b")) == 5
    x = result["custom_op"]["x"]
    assert math.isclose(result["custom_op"]["grad"],
                        math.log1p(math.exp(x)) + x / (1 + math.exp(-x)), rel_tol=1e-12)
    assert result["custom_op"]["gradcheck_ok"]
    assert result["imported"] == {name: False for name in HEAVY}
    assert result["svg_in_a_notebook"] is None  # no graphviz: the notebook shows text
    assert result["tools"]["draw_dot"].startswith("MissingDependency: autograd.draw_dot needs "
                                                  "graphviz, which is not installed")
    assert "pip install numpy" in result["tools"]["np_values"]
    return result


def cases(seed: int, count: int) -> list[list[float]]:
    rng = random.Random(seed)
    return [[round(rng.uniform(-3, 3), 6) for _ in range(5)] for _ in range(count)]


def test_the_tools_work_without_numpy_graphviz_tqdm(tmp_path: Path) -> None:
    inputs = [[2.0, 0.0, -3.0, 1.0, 6.8813735870195432], *cases(22, 12)]
    done = python(BLOCK + "import runpy\nsys.argv = sys.argv[1:]\n"
                  "runpy.run_path(sys.argv[0], run_name='__main__')",
                  str(SCRIPT), json.dumps(inputs), cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert check_report(done.stdout, inputs)["platform"] == sys.platform


def test_the_same_script_runs_in_pyodide_under_node(tmp_path: Path) -> None:
    """The project's source files copied into Pyodide's file system, nothing fetched."""
    inputs = [[2.0, 0.0, -3.0, 1.0, 6.8813735870195432], *cases(7, 12)]
    done = run_in_pyodide(SCRIPT, {ROOT / "autograd": "/project"}, [json.dumps(inputs)])
    assert done.returncode == 0, done.stdout + done.stderr
    result = check_report(done.stdout, inputs)
    assert result["platform"] == "emscripten" and result["python"] >= [3, 10]


def test_a_tool_that_needs_numpy_says_so_when_used(tmp_path: Path) -> None:
    """Every name resolves (``from autograd import *`` works); using one whose package is
    missing says which to install, and it works once that package can be imported."""
    done = python(BLOCK + "from autograd import *\n"
                  "print(len([name for name in __import__('autograd').__all__ "
                  "if name in globals()]))\n"
                  "print(check_backprop)\n"
                  "try:\n    check_backprop(None, None)\n"
                  "except MissingDependency as err:\n    print(err)\n"
                  "print(gradcheck.__module__, hasattr(__import__('autograd'), 'no_such'))\n"
                  "del sys.modules['numpy']  # as if numpy were installed now\n"
                  "print(np_values([1.5, 2.0]))", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    message = ("autograd.check_backprop needs numpy, which is not installed (the engine, the "
               "stepper, gradcheck and draw_text do without it); install it with: "
               "pip install numpy")
    assert done.stdout.splitlines() == [
        str(len(autograd.__all__)), f"<autograd.check_backprop: not available ({message})>",
        message, "autograd.check.gradcheck False",
        "[Value(data=1.5, grad=0.0) Value(data=2.0, grad=0.0)]"]


LAZY_PACKAGES = ["autograd", "autograd.check", "autograd.viz", "autograd.lab"]


@pytest.mark.parametrize("name", LAZY_PACKAGES)
def test_each_lazy_name_is_what_its_module_defines(name: str) -> None:
    package = importlib.import_module(name)
    table = package._LAZY
    submodules = {info.name for info in pkgutil.iter_modules(package.__path__)}
    # `import` would rebind such a name to the module, unless the name is that module
    assert not {export for export, where in table.items() if where != f".{export}:"} & submodules
    assert set(package.__all__) <= set(vars(package)) | set(table)
    assert set(package.__all__) <= set(dir(package))
    for export, where in table.items():
        module, colon, attribute = where.partition(":")
        found = importlib.import_module(module, name)
        defined = found if colon and not attribute else getattr(found, attribute or export)
        assert getattr(package, export) is defined, export


@pytest.mark.parametrize("name", LAZY_PACKAGES)
def test_type_checkers_see_the_lazy_names(name: str) -> None:
    """The ``if TYPE_CHECKING:`` imports name each lazy export where ``_LAZY`` does."""
    package = importlib.import_module(name)
    tree = ast.parse(Path(package.__file__).read_text(encoding="utf-8"))
    seen = set()
    for node in tree.body:
        if isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING":
            for statement in node.body:
                assert isinstance(statement, ast.ImportFrom)
                for alias in statement.names:
                    where = "." * statement.level + (statement.module or "")
                    if statement.module is None:  # `from . import module`: the module itself
                        seen.add((alias.name, f"{where}{alias.name}:"))
                        continue
                    attribute = "" if alias.name == (alias.asname or alias.name) else alias.name
                    seen.add((alias.asname or alias.name,
                              where + (f":{alias.name}" if attribute else "")))
    assert set(package._LAZY.items()) <= seen


def test_the_command_line_without_numpy_graphviz_tqdm(tmp_path: Path) -> None:
    """``autograd step`` and ``check`` need neither; ``graph`` says what to install."""
    run = BLOCK + "from autograd.cli import main\nsys.exit(main(sys.argv[1:]))"
    step = python(run, "step", "o = tanh(x*w)", "x=2", "w=-1", "--all", cwd=tmp_path)
    assert step.returncode == 0, step.stderr
    d = 1 - math.tanh(-2.0) ** 2  # do/dx = w * d, do/dw = x * d
    assert f"x.grad += #2.grad * d#2/dx = {d:.4f} * -1.0000 = {-d:.4f}" in step.stdout
    check = python(run, "check", "x**3 / y + log(x)", "x=1.5", "y=2", cwd=tmp_path)
    assert check.returncode == 0 and "ok: 2 of 2 inputs agree" in check.stdout, check.stderr
    graph = python(run, "graph", "o = tanh(x*w)", "x=1", "w=2", "-o", "g.dot", cwd=tmp_path)
    assert graph.returncode == 2
    assert graph.stderr == ("autograd: error: autograd graph needs graphviz, which is not "
                            "installed (the engine, the stepper, gradcheck and draw_text do "
                            "without it); install it with: pip install graphviz\n")
    assert not (tmp_path / "g.dot").exists()
