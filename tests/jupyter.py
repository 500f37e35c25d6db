"""A real JupyterLab for the notebook tests: started on 127.0.0.1 with a random token in a
temporary folder (its kernel from this venv), serving one notebook of the test's cells."""

from __future__ import annotations

import os
import secrets
import shutil
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from child_server import child_server, free_port
from needs import require_binary


def notebook(path: Path, cells: Sequence[str]) -> Path:
    """A notebook of code cells, for this venv's python3 kernel."""
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(cell) for cell in cells]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    nbformat.write(nb, str(path))
    return path


def isolated_env(tmp_path: Path) -> dict[str, str]:
    """Jupyter's config, data and runtime folders in tmp_path; the kernel is this venv's."""
    env = dict(os.environ)
    for name in ("JUPYTER_CONFIG_DIR", "JUPYTER_RUNTIME_DIR", "IPYTHONDIR"):
        folder = tmp_path / name.lower()
        folder.mkdir()
        env[name] = str(folder)
    env["JUPYTER_PLATFORM_DIRS"] = "1"
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    return env


@contextmanager
def jupyter_lab(tmp_path: Path, name: str, cells: Sequence[str], why: str) -> Iterator[str]:
    """``jupyter lab --no-browser`` serving ``name`` made of ``cells``; yields its URL."""
    jupyter = shutil.which("jupyter", path=str(Path(sys.executable).parent)) or \
        require_binary("jupyter", why)
    root = tmp_path / "work"
    root.mkdir()
    notebook(root / name, cells)
    port, token = free_port(), secrets.token_hex(16)
    base = f"http://127.0.0.1:{port}"
    with child_server(
            [jupyter, "lab", "--no-browser", "--ServerApp.ip=127.0.0.1",
             f"--ServerApp.port={port}", f"--IdentityProvider.token={token}",
             f"--ServerApp.root_dir={root}", "--expose-app-in-browser", "--LabApp.news_url=",
             "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
             f"--LabApp.workspaces_dir={tmp_path / 'workspaces'}"]
            + (["--allow-root"] if hasattr(os, "geteuid") and os.geteuid() == 0 else []),
            f"{base}/api/status?token={token}", "JupyterLab", log=tmp_path / "jupyter.log",
            timeout=120, env=isolated_env(tmp_path), cwd=root):
        yield f"{base}/lab/tree/{name}?token={token}"
