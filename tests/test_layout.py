"""The import rule of docs/architecture.md, read from every module's source with ``ast``.

Imports point down only: the core imports only the core; each reader imports the core
(and the step reader also draws); the lab and the CLI sit on top; nothing in ``autograd``
imports ``nn``, and ``nn`` never imports the CLI. Imports inside functions count too.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# What each layer may import from inside the project, besides itself.
CORE = "core"
ALLOWED = {
    CORE: {CORE},
    "arrays": {CORE},
    "check": {CORE, "arrays"},
    "viz": {CORE},
    "expr": {CORE},
    "compiled": {CORE},
    "step": {CORE, "viz"},
    "lab": {CORE, "arrays", "check", "viz", "expr", "step", "compiled"},
    "cli": {CORE, "arrays", "check", "viz", "expr", "step", "compiled", "lab", "facade"},
    "facade": {CORE, "arrays", "check", "viz", "expr", "step", "compiled", "lab", "cli"},
    "nn": {CORE, "arrays", "check", "viz", "compiled", "lab", "facade"},
}


def layer(module: str) -> str:
    """The layer of a dotted module name inside the project."""
    parts = module.split(".")
    if parts[0] == "nn":
        return "nn"
    if module in ("autograd", "autograd.__main__", "autograd.testing"):
        return "facade"
    if len(parts) > 2 or (len(parts) == 2 and (ROOT / "autograd" / parts[1]).is_dir()):
        return parts[1]
    return CORE


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def is_module(dotted: str) -> bool:
    path = ROOT / Path(*dotted.split("."))
    return path.is_dir() or path.with_suffix(".py").is_file()


def imports(source: str, name: str, is_package: bool = False) -> list[tuple[int, str]]:
    """Every project module the source imports, resolved to an absolute dotted name."""
    package = name if is_package else name.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            for alias in node.names:  # `from . import backward` imports the module backward
                sub = f"{target}.{alias.name}"
                found.append((node.lineno, sub if is_module(sub) else target))
    return [(line, t) for line, t in found if t.split(".")[0] in ("autograd", "nn")]


def violations(source: str, name: str, is_package: bool = False) -> list[str]:
    here = layer(name)
    return [f"{name}:{line} imports {target} ({layer(target)} layer)"
            for line, target in imports(source, name, is_package)
            if layer(target) != here and layer(target) not in ALLOWED[here]]


SOURCES = sorted(p for top in ("autograd", "nn") for p in (ROOT / top).rglob("*.py"))


def test_every_layer_is_known() -> None:
    assert {layer(module_name(p)) for p in SOURCES} <= set(ALLOWED)


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_imports_point_down(path: Path) -> None:
    wrong = violations(path.read_text(encoding="utf-8"), module_name(path),
                       path.name == "__init__.py")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("name, source", [
    ("autograd.engine", "def f():\n    from .viz.render import render\n"),  # core -> reader
    ("autograd.graph", "from autograd.step import Stepper\n"),
    ("autograd.check.finite_diff", "import nn\n"),  # a reader -> nn
    ("autograd.viz.dot", "from ..step.stepper import Stepper\n"),  # sideways, upwards
    ("nn.layers", "from autograd.cli import main\n"),  # nn -> the CLI
    ("autograd.arrays.linalg", "from ..check import gradcheck\n"),  # the bridge -> a reader
])
def test_the_rule_catches(name: str, source: str) -> None:
    assert violations(source, name)
