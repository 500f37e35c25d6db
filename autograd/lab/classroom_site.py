"""The classroom site: one folder that runs the lab in a browser with no Python installed.

``save_site(expr, folder, x=2, w=-3)`` (``autograd lab EXPR VARS --site DIR``) writes
``index.html`` (the lab's page: the viewer with every frame precomputed, so stepping and
predict mode work at once), ``autograd.zip`` (this package's pure-Python source),
``site_worker.js`` and ``pyodide/`` (CPython compiled to WebAssembly: the five files of npm's
``pyodide`` package that run it, no other package). The page starts Pyodide in a Web Worker,
imports the engine from the zip and recomputes in the browser whenever a slider moves, a
gradient step or a check is asked (:mod:`.site_runtime`), on the layout Graphviz made here.
Nothing is fetched from outside the folder: any static host serves it (GitHub Pages,
``python -m http.server``).
"""

from __future__ import annotations

import io
import os
import shutil
import zipfile
from collections.abc import Sequence
from pathlib import Path

from ..errors import MissingDependency, OptionError
from ..files import write_atomic
from .page import asset, page
from .scene import controls, initial_model
from .state import LabState

__all__ = ["PYODIDE_FILES", "find_pyodide", "save_site"]

# What a browser needs of npm's pyodide package to run Python with no other package.
PYODIDE_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip",
                 "pyodide-lock.json")
_PACKAGE = Path(__file__).resolve().parents[1]  # the autograd folder
# ``make pyodide``'s folder, in a checkout of this project (an installed wheel has none)
_CHECKOUT_CACHE = _PACKAGE.parent / ".cache" / "pyodide" / "node_modules" / "pyodide" \
    if (_PACKAGE.parent / "pyproject.toml").is_file() else None
_HOW = ("install it once with npm (`npm install --prefix DIR pyodide`; in a checkout of this "
        "project, `make pyodide`), then pass --pyodide DIR/node_modules/pyodide or set "
        "PYODIDE_DIR")


def find_pyodide(given: str | os.PathLike[str] | None = None) -> Path:
    """npm's ``pyodide`` package folder: ``given``, else ``$PYODIDE_DIR``, else a checkout's
    ``.cache/pyodide`` (``make pyodide``); ``MissingDependency`` says how to get it."""
    candidates = [Path(given)] if given else \
        [Path(p) for p in (os.environ.get("PYODIDE_DIR"), _CHECKOUT_CACHE) if p]
    for where in candidates:
        if all((where / name).is_file() for name in PYODIDE_FILES):
            return where
    looked = (f"looked in {', '.join(str(c) for c in candidates)} for "
              f"{', '.join(PYODIDE_FILES)}" if candidates else
              "no --pyodide given and PYODIDE_DIR is not set")
    raise MissingDependency(f"the classroom site ships Pyodide, which was not found ({looked}); "
                            f"{_HOW}")


def _package_zip() -> bytes:
    """This package's Python source as a zip (the engine the page imports in Pyodide)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for path in sorted(_PACKAGE.rglob("*.py")):
            if "__pycache__" not in path.parts:
                name = path.relative_to(_PACKAGE.parent).as_posix()
                z.writestr(zipfile.ZipInfo(name, (2020, 1, 1, 0, 0, 0)), path.read_bytes())
    return out.getvalue()


def save_site(expr: str, folder: str | os.PathLike[str], /, *, quiz: bool = False,
              hide: Sequence[str] | str = (), rankdir: str = "LR", lr: float = 0.1,
              pyodide: str | os.PathLike[str] | None = None, **values: float) -> Path:
    """Write the classroom site for ``expr`` with its inputs' ``values`` into ``folder``;
    returns the path of its ``index.html``. ``quiz`` opens it in predict mode; ``hide``
    names controls not shown; ``pyodide`` is npm's pyodide package folder (see
    :func:`find_pyodide`). Needs Graphviz's ``dot`` here, to lay the graph out once."""
    state = LabState.from_expression(expr, values, rankdir=rankdir, lr=lr)
    source = find_pyodide(pyodide)
    root = Path(folder)
    if root.exists() and not root.is_dir():
        raise OptionError(f"--site: {os.fspath(folder)!r} is a file; give a folder")
    if (root / "index.html").exists() and not (root / "site_worker.js").is_file():
        raise OptionError(f"--site: {os.fspath(folder)!r} already has an index.html that is "
                          "not a lab site; give a new folder (a site written before is "
                          "rewritten)")
    (root / "pyodide").mkdir(parents=True, exist_ok=True)
    for name in PYODIDE_FILES:
        shutil.copyfile(source / name, root / "pyodide" / name)
    write_atomic(root / "autograd.zip", _package_zip())
    write_atomic(root / "site_worker.js", asset("site_worker.js"))
    spec = {"expr": state.expr, "values": state.values(), "lr": state.lr,
            "layout": state.layout.to_json(svg=False)}
    data = {"model": initial_model(state.scene(svg=True), quiz, controls(hide)),
            "site": {"pyodide": "pyodide/", "package": "autograd.zip", "worker": "site_worker.js",
                     "spec": spec}}
    return write_atomic(root / "index.html", page(state.title, data).encode("utf-8"))
