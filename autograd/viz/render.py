"""Rendering drawings to files with Graphviz's ``dot`` program, and saying how to get it.

DOT text needs nothing installed; SVG/PNG/PDF need the ``dot`` binary, and when it is
missing :class:`~autograd.errors.GraphvizNotFound` says how to install it. Files are
written by :func:`autograd.files.write_atomic`, so a failure leaves no half-written
picture behind.
"""

from __future__ import annotations

import shutil
import subprocess

from ..errors import AutogradError, GraphvizNotFound
from ..files import write_atomic

__all__ = ["FORMATS", "INSTALL_HINT", "find_dot", "render", "write_atomic"]

FORMATS = (".svg", ".png", ".pdf", ".dot", ".html")
INSTALL_HINT = (
    "Install Graphviz, then try again:\n"
    "  Debian/Ubuntu:  sudo apt-get install graphviz\n"
    "  macOS:          brew install graphviz\n"
    "  conda:          conda install -c conda-forge graphviz\n"
    "Saving to a .dot file needs no binary: save_graph(root, 'graph.dot') writes the DOT "
    "text, which any Graphviz viewer can show; draw_text(root) prints the graph as text.")


def find_dot(purpose: str = "render the graph") -> str:
    """The path of Graphviz's ``dot`` program, or ``GraphvizNotFound`` saying how to install it."""
    found = shutil.which("dot")
    if found is None:
        raise GraphvizNotFound(
            f"Graphviz's 'dot' program was not found on PATH, and it is needed to {purpose}.\n"
            + INSTALL_HINT)
    return found


def render(source: str, fmt: str, timeout: float | None = None) -> bytes:
    """DOT text laid out and rendered by ``dot -T<fmt>`` (``svg``, ``png``, ``pdf``);
    ``TimeoutError`` (``dot`` stopped) if it takes over ``timeout`` seconds."""
    dot = find_dot(f"render the graph as {fmt.upper()}")
    try:
        done = subprocess.run([dot, f"-T{fmt}"], input=source.encode("utf-8"),
                              capture_output=True, check=False, timeout=timeout)
    except subprocess.TimeoutExpired:
        raise TimeoutError(f"dot -T{fmt} ran over {timeout:g} s") from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip()
        raise AutogradError(f"dot -T{fmt} failed (exit status {done.returncode}): {message}")
    return done.stdout
