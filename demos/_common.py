"""What every demo shares: ``--quick`` and ``--out``, the output folder, lazy matplotlib
(Agg, no window), the clock and the final one-line summary.

A demo reads as ``run = start(__doc__)``, then its own work, then ``run.finish(line)``.
"""

from __future__ import annotations

import argparse
import os
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

__all__ = ["DEFAULT_OUT", "Run", "section", "start"]

_HERE = Path(__file__).resolve().parent
# demos/out/ in a source checkout; an installed copy writes below the working folder instead
DEFAULT_OUT = _HERE / "out" if (_HERE.parent / "pyproject.toml").is_file() else Path("demos-out")
PLOT_HINT = "matplotlib is not installed, so no pictures: pip install scalar-autograd[plot]"


def shown(path: Path) -> str:
    """``path`` relative to the working directory when it is below it (shorter to read)."""
    try:
        return os.path.relpath(path) if Path(path).resolve().is_relative_to(Path.cwd()) \
            else str(path)
    except ValueError:  # another drive on Windows
        return str(path)


def section(title: str) -> None:
    """Print a section header: a blank line, the title, and a rule under it."""
    print(f"\n{title}\n{'-' * len(title)}")


class Run:
    """One demo run: its options, its output folder, the clock, and matplotlib if present."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.quick: bool = args.quick
        self.out: Path = Path(args.out)
        self.out.mkdir(parents=True, exist_ok=True)
        self.files: list[Path] = []
        self._start = time.perf_counter()
        self._plt: Any = None
        self._plt_checked = False

    @property
    def seconds(self) -> float:
        """Seconds since the demo started."""
        return time.perf_counter() - self._start

    @property
    def plt(self) -> Any:
        """``matplotlib.pyplot`` on the Agg backend, or None (with a one-time hint)."""
        if not self._plt_checked:
            self._plt_checked = True
            try:
                import matplotlib

                matplotlib.use("Agg")
                import matplotlib.pyplot as plt
            except ImportError:
                print(PLOT_HINT)
            else:
                self._plt = plt
        return self._plt

    def path(self, name: str) -> Path:
        """Where the output file ``name`` goes."""
        return self.out / name

    def saved(self, path: Path, what: str) -> None:
        """Record an output file and say where it went."""
        self.files.append(path)
        print(f"saved {what}: {shown(path)}")

    def save_figure(self, fig: Any, name: str, what: str) -> Path:
        """Save a matplotlib figure as ``name`` in the output folder and close it."""
        path = self.path(name)
        fig.tight_layout()
        fig.savefig(path, dpi=100)
        self._plt.close(fig)
        self.saved(path, what)
        return path

    def finish(self, summary: str) -> None:
        """Print the run time, then the one summary line that ends every demo."""
        print(f"\nfinished in {self.seconds:.1f} s; output folder: {shown(self.out)}")
        print(summary)


def start(doc: str | None, argv: Sequence[str] | None = None,
          options: Callable[[argparse.ArgumentParser], None] | None = None) -> Run:
    """Parse the demo's command line (``--quick``, ``--out DIR``, plus ``options``) and
    print its title; the module docstring is the help text."""
    text = (doc or "").strip()
    parser = argparse.ArgumentParser(description=text.split("\n")[0],
                                     epilog="\n".join(text.split("\n")[1:]).strip() or None,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true",
                        help="a smoke version that runs in a few seconds")
    parser.add_argument("--out", metavar="DIR", default=str(DEFAULT_OUT),
                        help=f"folder for the pictures (default: {shown(DEFAULT_OUT)}/)")
    if options is not None:
        options(parser)
    run = Run(parser.parse_args(argv))
    title = text.split("\n")[0]
    print(title.rstrip(".") + " (quick smoke version)" if run.quick else title)
    return run


def save_predictions(run: Run, images: Any, side: int, labels: Any, predicted: Any,
                     indices: Sequence[int], title: str, name: str) -> None:
    """Save a 3x8 grid of ``side`` x ``side`` images titled with their predicted labels
    (red, with the true label, when wrong); shared by the digits and mnist demos."""
    plt = run.plt
    if plt is None:
        return
    fig, axes = plt.subplots(3, 8, figsize=(10, 4.4))
    picked = list(indices)[:24]
    for ax, k in zip(axes.ravel(), picked + [None] * (24 - len(picked))):
        ax.axis("off")
        if k is None:
            continue
        ax.imshow(images[k].reshape(side, side), cmap="gray_r")
        ok = labels[k] == predicted[k]
        ax.set_title(f"{predicted[k]}" + ("" if ok else f" (true {labels[k]})"),
                     color="black" if ok else "red", fontsize=9)
    fig.suptitle(title)
    run.save_figure(fig, name, "sample predictions")
