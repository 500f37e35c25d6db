"""``autograd step``: every chain-rule step printed at once, or the interactive screen
(terminal in cbreak mode, one key per action: next, back, continue, graph, tree, help)."""

from __future__ import annotations

import argparse
import os
import re
import shutil
import sys
from pathlib import Path
from typing import TextIO

from ..engine import Value
from ..errors import AutogradError, GraphTooLargeError
from ..expr.parser import Expression
from ..graph import topo_order
from ..step.stepper import Stepper, gradient_table
from ..trace import fmt
from .arguments import read_inputs

__all__ = ["HELP", "KEYS", "cmd_step", "interactive", "print_all"]

KEYS = "n next  b back  c continue  g graph  t tree  q quit  ? help"
HELP = """keys (no Enter needed):
  n, space, ->   apply the next chain-rule step
  b, <-          undo the last step (every .grad goes back exactly)
  c              continue to the end (what backward() leaves)
  g              write the graph as of this step to autograd-step-<k>.svg (.dot without
                 Graphviz) in the --out folder, and say where
  t              show the graph as a text tree (again: back to the table)
  q              quit
  ?              this help"""


def print_all(stepper: Stepper, expr: Expression, values: dict[str, float], out: TextIO) -> None:
    """Every step to ``out`` then the final gradients (``--all``, or no terminal)."""
    print(expr.text, file=out)
    if values:
        print("inputs: " + "  ".join(f"{k}={fmt(v)}" for k, v in values.items()), file=out)
    print(stepper.header(), file=out)
    while (step := stepper.step()) is not None:
        print(stepper.header(), file=out)
        for line in step.explain():
            print("  " + line, file=out)
    print("\nfinal gradients:", file=out)
    print(gradient_table(topo_order(stepper.root)), file=out)


def _window(table: str, rows: int) -> str:
    """At most ``rows`` table rows, centred on the current node (marked ``>``)."""
    head, *body = table.splitlines()
    if len(body) <= rows:
        return table
    at = next((i for i, line in enumerate(body) if line.startswith(">")), 0)
    lo = max(0, min(at - rows // 2, len(body) - rows))
    more = f"  ... {len(body) - rows} more rows (t shows the tree)"
    return "\n".join([head, *body[lo:lo + rows], more])


def _screen(stepper: Stepper, expr: Expression, view: str, message: str) -> str:
    height = shutil.get_terminal_size((100, 40)).lines
    lines = [f"autograd step: {expr.text}", stepper.header()]
    step = stepper.current
    if step is None:
        lines.append("  (the root is seeded; press n for the first chain-rule step)")
    else:
        lines += ["  " + line for line in step.explain()]
    if view == "help":
        body = HELP
    elif view == "tree":
        body = _tree(stepper.root)
    else:
        body = "gradients so far (> this step's node, * inputs it just updated):\n" + _window(
            stepper.table(), max(5, height - len(lines) - 6))
    lines += ["", body, "", message, f"position {stepper.position}/{stepper.total}   {KEYS}"]
    return "\x1b[H\x1b[2J" + "\n".join(lines) + "\n"


def _tree(root: Value) -> str:
    try:
        from ..viz.text_tree import draw_text
    except ImportError:
        return "(the text tree is not available here)\n" + gradient_table(topo_order(root))
    return draw_text(root)


def _write_graph(stepper: Stepper, directory: str, max_nodes: int = 1000) -> Path:
    """The graph as of this step in ``directory`` (made if missing); its absolute path."""
    try:
        drawing = stepper.graph(max_nodes=max_nodes)
    except GraphTooLargeError:
        count = len(topo_order(stepper.root))
        raise GraphTooLargeError(f"the graph has {count:,} nodes, more than --max-nodes "
                                 f"{max_nodes:,}; start again with --max-nodes {count}") from None
    folder = Path(directory).expanduser().resolve()
    folder.mkdir(parents=True, exist_ok=True)
    base = folder / f"autograd-step-{stepper.position}"
    if shutil.which("dot"):
        path, data = base.with_suffix(".svg"), drawing.pipe(format="svg")
    else:
        path, data = base.with_suffix(".dot"), drawing.source.encode("utf-8")
    path.write_bytes(data)
    return path


_MOVES = {"n": "step", " ": "step", "\x1b[C": "step", "b": "back", "\x1b[D": "back",
          "c": "finish"}


def _press(stepper: Stepper, key: str, view: str, graph_dir: str,
           max_nodes: int = 1000) -> tuple[str, str] | None:
    """Act on one key: the next (view, message), or None to quit."""
    view = "table" if view == "help" else view
    if key in ("q", "Q", "\x04"):
        return None
    if key in _MOVES:
        if getattr(stepper, _MOVES[key])() is None and key != "c":
            return view, ("at the end: every gradient is final (b goes back, q quits)"
                          if _MOVES[key] == "step" else "at the start: position 0")
        return view, ""
    if key == "g":
        try:
            return view, f"wrote {_write_graph(stepper, graph_dir, max_nodes)}"
        except (ImportError, OSError, RuntimeError, AutogradError) as err:
            return view, f"could not write the graph: {err}"
    if key == "t":
        return ("table" if view == "tree" else "tree"), ""
    if key in ("?", "h"):
        return "help", ""
    return view, f"unknown key {key!r}: press ? for help"


def interactive(stepper: Stepper, expr: Expression, graph_dir: str,
                max_nodes: int = 1000) -> int:
    """Redraw the screen after each key until q; the terminal mode is restored on exit."""
    import termios
    import tty

    fd = sys.stdin.fileno()
    saved = termios.tcgetattr(fd)
    view, message = "table", ""
    try:
        tty.setcbreak(fd)  # one key at a time, no echo; Ctrl-C still interrupts
        while True:
            sys.stdout.write(_screen(stepper, expr, view, message))
            sys.stdout.flush()
            data = os.read(fd, 64).decode("utf-8", "replace")
            if not data:
                return 0
            for key in re.findall(r"\x1b\[[A-D]|.", data, re.S):  # arrows are 3 bytes
                state = _press(stepper, key, view, graph_dir, max_nodes)
                if state is None:
                    return 0
                view, message = state
    finally:
        termios.tcsetattr(fd, termios.TCSADRAIN, saved)
        sys.stdout.write("\n")


def cmd_step(args: argparse.Namespace) -> int:
    """``autograd step``: interactive on a terminal, else (or with ``--all``) printed."""
    expr, root, values = read_inputs(args.expr, args.vars)
    stepper = Stepper(root)
    if args.all or not (sys.stdin.isatty() and sys.stdout.isatty()):
        print_all(stepper, expr, values, sys.stdout)
        return 0
    return interactive(stepper, expr, args.graph_dir, args.max_nodes)
