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
    "exercises": {CORE, "check"},
    "cli": {CORE, "arrays", "check", "viz", "expr", "step", "compiled", "lab", "exercises",
            "facade"},
    "facade": {CORE, "arrays", "check", "viz", "expr", "step", "compiled", "lab", "exercises",
               "cli"},
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


def lazy_table(tree: ast.Module) -> tuple[int, dict[str, str]]:
    """A package's ``_LAZY`` table (name -> ``".module"`` or ``".module:attribute"``: the
    imports its PEP 562 ``__getattr__`` makes on first use) and its line; (0, {}) if none."""
    for node in tree.body:
        if (isinstance(node, ast.Assign) and len(node.targets) == 1
                and isinstance(node.targets[0], ast.Name) and node.targets[0].id == "_LAZY"):
            return node.lineno, ast.literal_eval(node.value)
    return 0, {}


def lazy_imports_as_statements(tree: ast.Module) -> list[ast.stmt]:
    """The ``_LAZY`` table written as the import statements it stands for."""
    line, table = lazy_table(tree)
    statements: list[ast.stmt] = []
    for name, where in table.items():
        module, _, attribute = where.partition(":")
        dots = len(module) - len(module.lstrip("."))
        statements.append(ast.ImportFrom(module=module[dots:] or None, level=dots,
                                         names=[ast.alias(attribute or name)], lineno=line))
    return statements


def imports(source: str, name: str, is_package: bool = False) -> list[tuple[int, str]]:
    """Every project module the source imports, resolved to an absolute dotted name;
    a ``_LAZY`` table's entries count as imports."""
    package = name if is_package else name.rpartition(".")[0]
    found = []
    tree = ast.parse(source)
    tree.body += lazy_imports_as_statements(tree)
    for node in ast.walk(tree):
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
    ("autograd.graph", '_LAZY = {"Stepper": ".step.stepper"}\n'),  # a PEP 562 table
    ("autograd.errors", '_LAZY = {"parse": ".expr.parser:parse"}\n'),
])
def test_the_rule_catches(name: str, source: str) -> None:
    assert violations(source, name)


# -- circles: none in the whole tree, imports inside functions counted --------------------


def runtime_imports(source: str, name: str, is_package: bool = False) -> set[str]:
    """The project modules a module can import when it runs: every import statement,
    inside functions too, except those under ``if TYPE_CHECKING:`` (never executed)."""
    tree = ast.parse(source)
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            node.body = [ast.Pass()]
    return {target for _, target in imports(ast.unparse(tree), name, is_package)}


def import_graph() -> dict[str, set[str]]:
    graph = {module_name(p): runtime_imports(p.read_text(encoding="utf-8"), module_name(p),
                                             p.name == "__init__.py") for p in SOURCES}
    return {m: {t for t in targets if t in graph and t != m} for m, targets in graph.items()}


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan's, without recursion)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found = []
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            for child in children:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    group = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        group.append(member)
                        if member == node:
                            break
                    if len(group) > 1:
                        found.append(sorted(group))
    return found


def test_no_import_circles_in_the_whole_tree() -> None:
    assert circles(import_graph()) == []


def test_the_circle_finder_finds_a_lazy_circle() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert circles(graph) == [["a", "b", "c"]]
    lazy = runtime_imports("def f():\n    from . import engine\n", "autograd.build")
    assert lazy == {"autograd.engine"}
    table = '_LAZY = {"Value": ".engine", "walk": ".graph:topo_order"}\n'
    assert runtime_imports(table, "autograd.build") == {"autograd.engine", "autograd.graph"}
    assert runtime_imports(table, "autograd", is_package=True) == {"autograd.engine",
                                                                   "autograd.graph"}
    typing_only = "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from . import engine\n"
    assert runtime_imports(typing_only, "autograd.build") == set()


# -- nothing registered by import side effect ------------------------------------------


def assignments_into_imports(source: str) -> list[str]:
    """Module-level statements that write into something the module imported:
    ``imported.attr = ...``, ``imported.attr += ...``, ``setattr(imported, ...)``."""
    tree = ast.parse(source)
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported |= {(a.asname or a.name).split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            imported |= {a.asname or a.name for a in node.names}

    def root(target: ast.AST) -> str | None:
        while isinstance(target, (ast.Attribute, ast.Subscript)):
            target = target.value
        return target.id if isinstance(target, ast.Name) else None

    found = []
    todo = list(tree.body)
    while todo:
        stmt = todo.pop()
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            continue
        for field in ("body", "orelse", "finalbody", "handlers"):
            todo += [s for s in getattr(stmt, field, []) if isinstance(s, ast.AST)]
        targets = (stmt.targets if isinstance(stmt, ast.Assign) else
                   [stmt.target] if isinstance(stmt, (ast.AugAssign, ast.AnnAssign)) else [])
        for t in targets:
            if isinstance(t, (ast.Attribute, ast.Subscript)) and root(t) in imported:
                found.append(f"line {stmt.lineno}: {ast.unparse(t)} = ...")
        for call in ast.walk(stmt) if isinstance(stmt, ast.Expr) else []:
            if (isinstance(call, ast.Call) and isinstance(call.func, ast.Name)
                    and call.func.id == "setattr" and call.args
                    and root(call.args[0]) in imported):
                found.append(f"line {stmt.lineno}: {ast.unparse(call)}")
    return found


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_module_assigns_into_another_at_import(path: Path) -> None:
    wrong = assignments_into_imports(path.read_text(encoding="utf-8"))
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("source", [
    "from .engine import Value\nValue._repr_svg_ = repr_svg\n",  # patching a class
    "from . import node as _n\n_n.constant_leaf = leaf\n",  # a module's stub
    "from . import backward\nif True:\n    backward.anomaly_check = check\n",
    "from .engine import Value\nsetattr(Value, '__add__', add)\n",
])
def test_the_assignment_check_catches(source: str) -> None:
    assert assignments_into_imports(source)


# -- one name, one room -----------------------------------------------------------------


def test_module_names_in_autograd_are_unique_in_the_tree() -> None:
    """No two files of ``autograd/`` share a name, nor one of ``autograd/`` with one of
    ``nn/``: a name says which room it is (``rule_text.py``, ``finite_diff.py``)."""
    ours = [p for p in SOURCES if p.parts[len(ROOT.parts)] == "autograd"
            and p.name not in ("__init__.py", "__main__.py")]
    theirs = {p.name for p in SOURCES if p.parts[len(ROOT.parts)] == "nn"}
    names = [p.name for p in ours]
    assert sorted({n for n in names if names.count(n) > 1}) == []
    assert sorted({n for n in names if n in theirs}) == []
