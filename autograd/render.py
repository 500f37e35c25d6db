"""Rendering drawings to files with Graphviz's ``dot`` program, and saying how to get it.

DOT text needs nothing installed; SVG/PNG/PDF need the ``dot`` binary, and when it is
missing :class:`~autograd.errors.GraphvizNotFound` says how to install it. Files are
written atomically (a temporary file, then ``os.replace``), so a failure leaves no
half-written picture behind.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import AutogradError, GraphTooLargeError, GraphvizNotFound, OptionError

if TYPE_CHECKING:
    from .engine import Value

__all__ = ["FORMATS", "find_dot", "render", "repr_svg", "save_graph", "write_atomic"]

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


def render(source: str, fmt: str) -> bytes:
    """DOT text laid out and rendered by ``dot -T<fmt>`` (``svg``, ``png``, ``pdf``)."""
    dot = find_dot(f"render the graph as {fmt.upper()}")
    done = subprocess.run([dot, f"-T{fmt}"], input=source.encode("utf-8"),
                          capture_output=True, check=False)
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip()
        raise AutogradError(f"dot -T{fmt} failed (exit status {done.returncode}): {message}")
    return done.stdout


def _file_mode() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def write_atomic(path: str | os.PathLike[str], data: bytes) -> Path:
    """Write ``data`` to ``path`` through a temporary file in the same folder + ``os.replace``."""
    target = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp",
                               dir=target.parent if str(target.parent) else ".")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.chmod(tmp, _file_mode())  # mkstemp makes 0600; give what open() would give
        os.replace(tmp, target)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return target


def save_graph(root: Value, path: str | os.PathLike[str], **draw_kwargs: Any) -> Path:
    """Save the graph under ``root``; the extension picks the format.

    ``.svg .png .pdf`` are rendered by Graphviz's ``dot``; ``.dot`` is the DOT text (no
    binary needed); ``.html`` is the step-by-step backward animation. ``draw_kwargs``
    go to :func:`autograd.viz.draw_dot` (or the animation, for ``.html``).
    """
    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS:
        raise OptionError(f"save_graph: cannot tell the format of {os.fspath(path)!r}: "
                          f"the extension must be one of {', '.join(FORMATS)}")
    if suffix == ".html":
        from .animation import save_backward_animation

        return save_backward_animation(root, path, **draw_kwargs)
    from .viz import draw_dot

    source = draw_dot(root, **draw_kwargs).source
    data = source.encode("utf-8") if suffix == ".dot" else render(source, suffix[1:])
    return write_atomic(path, data)


def repr_svg(root: Value, **draw_kwargs: Any) -> str | None:
    """The graph as SVG text for Jupyter, or None (so it falls back to text) when ``dot``
    is missing or the graph is too large to draw."""
    if shutil.which("dot") is None:
        return None
    from .viz import draw_dot

    try:
        return render(draw_dot(root, **draw_kwargs).source, "svg").decode("utf-8")
    except GraphTooLargeError:
        return None
