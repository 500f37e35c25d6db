"""Where npm's Pyodide (installed by ``make pyodide``) and Node are, and a way to run a
Python script in that Pyodide under Node with every network request refused.

Each finder skips the test when its part is missing, but fails it under ``CI=true``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import NoReturn

from needs import missing

ROOT = Path(__file__).resolve().parents[2]
# The Makefile's PYODIDE_DIR, exported to the tests it runs; the same folder otherwise.
DEFAULT_PYODIDE_DIR = ROOT / ".cache" / "pyodide" / "node_modules" / "pyodide"
# What runs offline under Node and in a browser: no file of these is fetched at run time.
PYODIDE_FILES = ("package.json", "pyodide.mjs", "pyodide.js", "pyodide.asm.mjs",
                 "pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json")
RUNNER = Path(__file__).with_name("run_pyodide.mjs")


def _missing(message: str) -> NoReturn:
    missing(message, "CI must install it (.ci/run, `make pyodide`)")


def node_binary() -> str:
    """Node.js (Debian's /usr/bin/node, else the one on PATH)."""
    found = "/usr/bin/node" if os.path.exists("/usr/bin/node") else shutil.which("node")
    if not found:
        _missing("node is not installed (the engine is tested in Pyodide under Node)")
    return str(found)


def pyodide_dir() -> Path:
    """The folder of npm's ``pyodide`` package, with every file it needs offline."""
    where = Path(os.environ.get("PYODIDE_DIR") or DEFAULT_PYODIDE_DIR)
    lacking = [name for name in PYODIDE_FILES if not (where / name).is_file()]
    if lacking:
        _missing(f"Pyodide is not installed in {where} (lacks {', '.join(lacking)}): "
                 "run `make pyodide`")
    return where


def run_in_pyodide(script: Path, copies: dict[Path, str] | None = None,
                   args: list[str] | None = None,
                   timeout: float = 180) -> subprocess.CompletedProcess[str]:
    """Run ``script`` in Pyodide under Node, with ``args`` in its ``sys.argv``. ``copies``
    maps host folders to the folder of Pyodide's file system they are copied into (which
    goes on ``sys.path``). Exit status: the script's, 1 on an uncaught exception, 3 if
    anything tried the network."""
    node, where = node_binary(), pyodide_dir()
    specs = [f"{host}={inside}" for host, inside in (copies or {}).items()]
    return subprocess.run([node, str(RUNNER), str(where), str(script), *specs,
                           "--", *(args or [])],
                          capture_output=True, text=True, timeout=timeout, check=False)
