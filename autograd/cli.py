"""The ``autograd`` command: step through backward, draw a graph, check gradients, run demos.

    autograd step "n = x1*w1 + x2*w2 + b; o = tanh(n)" x1=2 x2=0 w1=-3 w2=1 b=6.8814
    autograd graph "tanh(x*w + b)" x=2 w=-3 b=6.88 -o neuron.svg
    autograd check "x**3 / y" x=1.5 y=2
    autograd demo moons

Exit status: 0 done, 1 a gradient check failed, 2 bad usage or input (one message on
stderr, never a traceback).
"""

from __future__ import annotations

import argparse
import ast
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from . import __version__
from ._expr import Expression, format_error, parse, parse_assignment
from .engine import Value
from .errors import AutogradError, ExpressionError
from .graph import topo_order
from .stepper import Stepper, gradient_table
from .trace import fmt

__all__ = ["build_parser", "main"]

KEYS = "n next  b back  c continue  g graph  t tree  q quit  ? help"
HELP = """keys (no Enter needed):
  n, space, ->   apply the next chain-rule step
  b, <-          undo the last step (every .grad goes back exactly)
  c              continue to the end (what backward() leaves)
  g              write the graph as of this step to autograd-step-<k>.svg (.dot without Graphviz)
  t              show the graph as a text tree (again: back to the table)
  q              quit
  ?              this help"""
DESCRIPTION = """Step through backward, draw graphs, check gradients and run demos.

examples:
  autograd step "n = x1*w1 + x2*w2 + b; o = tanh(n)" x1=2 x2=0 w1=-3 w2=1 b=6.8814
  autograd graph "tanh(x*w + b)" x=2 w=-3 b=6.88 -o neuron.svg
  autograd check "x**3 / y" x=1.5 y=2
  autograd demo moons

Each COMMAND has --help with an example. Exit status: 0 done, 1 a gradient check
failed, 2 bad usage or input (one message on stderr)."""
NEURON = '"n = x1*w1 + x2*w2 + b; o = tanh(n)" x1=2 x2=0 w1=-3 w2=1 b=6.8814'


class UsageError(Exception):
    """Bad command-line usage that is not about the expression (exit status 2)."""


def _inputs(text: str, assignments: Sequence[str]) -> tuple[Expression, Value, dict[str, float]]:
    """Parse EXPR and the NAME=NUMBER list; evaluate; refuse unknown or repeated names."""
    expr = parse(text)
    values: dict[str, float] = {}
    for item in assignments:
        name, number = parse_assignment(item)
        if name in values:
            raise ExpressionError(f"variable {name!r} is given twice; expected one NAME=NUMBER "
                                  "per variable")
        if name not in expr.variables:
            uses = ", ".join(expr.variables) or "no variables"
            raise ExpressionError(f"variable {name!r} is not used by the expression; it uses "
                                  f"{uses}")
        values[name] = number
    return expr, expr.evaluate(values), values


def _print_all(stepper: Stepper, expr: Expression, values: dict[str, float], out: TextIO) -> None:
    print(expr.text, file=out)
    if values:
        print("inputs: " + "  ".join(f"{k}={fmt(v)}" for k, v in values.items()), file=out)
    print(stepper.header(), file=out)
    while (step := stepper.step()) is not None:
        print(stepper.header(), file=out)
        for line in step.lines():
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
        lines += ["  " + line for line in step.lines()]
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
        from .textgraph import draw_text
    except ImportError:
        return "(the text tree is not available here)\n" + gradient_table(topo_order(root))
    return draw_text(root)


def _write_graph(stepper: Stepper, directory: str) -> Path:
    drawing = stepper.graph()
    base = Path(directory) / f"autograd-step-{stepper.position}"
    if shutil.which("dot"):
        path, data = base.with_suffix(".svg"), drawing.pipe(format="svg")
    else:
        path, data = base.with_suffix(".dot"), drawing.source.encode("utf-8")
    path.write_bytes(data)
    return path


_MOVES = {"n": "step", " ": "step", "\x1b[C": "step", "b": "back", "\x1b[D": "back",
          "c": "finish"}


def _press(stepper: Stepper, key: str, view: str, graph_dir: str) -> tuple[str, str] | None:
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
            return view, f"wrote {_write_graph(stepper, graph_dir)}"
        except (ImportError, OSError, RuntimeError, AutogradError) as err:
            return view, f"could not write the graph: {err}"
    if key == "t":
        return ("table" if view == "tree" else "tree"), ""
    if key in ("?", "h"):
        return "help", ""
    return view, f"unknown key {key!r}: press ? for help"


def _interactive(stepper: Stepper, expr: Expression, graph_dir: str) -> int:
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
                state = _press(stepper, key, view, graph_dir)
                if state is None:
                    return 0
                view, message = state
    finally:
        termios.tcsetattr(fd, termios.TCSADRAIN, saved)
        sys.stdout.write("\n")


def cmd_step(args: argparse.Namespace) -> int:
    expr, root, values = _inputs(args.expr, args.vars)
    stepper = Stepper(root)
    if args.all or not (sys.stdin.isatty() and sys.stdout.isatty()):
        _print_all(stepper, expr, values, sys.stdout)
        return 0
    return _interactive(stepper, expr, args.graph_dir)


def cmd_graph(args: argparse.Namespace) -> int:
    from .render import save_graph

    _, root, _ = _inputs(args.expr, args.vars)
    html = Path(args.output).suffix.lower() == ".html"
    if not args.no_backward and not html:  # the animation runs backward itself
        root.backward()
    kwargs = {"rankdir": args.rankdir} if args.rankdir else {}
    if args.color_by:
        kwargs["color_by"] = args.color_by
    print(f"wrote {save_graph(root, args.output, **kwargs)}")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from .gradcheck import gradcheck

    expr, _, values = _inputs(args.expr, args.vars)
    if not expr.variables:
        raise UsageError("nothing to check: the expression has no variables")
    names = list(expr.variables)
    report = gradcheck(expr.function(), [values[n] for n in names], eps=args.eps,
                       atol=args.atol, rtol=args.rtol, raise_on_failure=False, names=names)
    print(report)
    return 0 if report.ok else 1


def _demos() -> tuple[Path | None, dict[str, str]]:
    """The demos folder (next to the package, else importable) and name -> first doc line."""
    import importlib.util
    import pkgutil

    folder = Path(__file__).resolve().parent.parent / "demos"
    if not folder.is_dir():
        spec = importlib.util.find_spec("demos")
        paths = list(spec.submodule_search_locations or []) if spec else []
        folder = Path(paths[0]) if paths else None
    if folder is None:
        return None, {}
    found = {}
    for info in pkgutil.iter_modules([str(folder)]):
        if not info.name.startswith("_"):
            try:  # read the docstring without running anything
                doc = ast.get_docstring(ast.parse((folder / f"{info.name}.py").read_text()))
            except (OSError, SyntaxError, ValueError):
                doc = None
            found[info.name] = (doc or "").strip().split("\n")[0]
    return folder, dict(sorted(found.items()))


def cmd_demo(args: argparse.Namespace) -> int:
    folder, demos = _demos()
    if folder is None:
        raise UsageError("no demos found: they live in the demos/ folder of a source "
                         "checkout of scalar-autograd, which is not here")
    if not demos:
        raise UsageError(f"no demos found in {folder}")
    if args.name is None:
        print(f"demos in {folder} (run one with: autograd demo NAME):")
        width = max(map(len, demos))
        for name, doc in demos.items():
            print(f"  {name.ljust(width)}  {doc}".rstrip())
        return 0
    if args.name not in demos:
        raise UsageError(f"unknown demo {args.name!r}; expected one of: {', '.join(demos)}")
    extra = args.args[1:] if args.args[:1] == ["--"] else args.args
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(folder.parent),
                                                      env.get("PYTHONPATH")]))
    return subprocess.run([sys.executable, "-m", f"demos.{args.name}", *extra], env=env).returncode


def build_parser() -> argparse.ArgumentParser:
    """The argument parser: one subcommand per job, each with an example in its help."""
    raw = argparse.RawDescriptionHelpFormatter
    parser = argparse.ArgumentParser(prog="autograd", formatter_class=raw, description=DESCRIPTION)
    parser.add_argument("--version", action="version", version=f"autograd {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    vars_help = "input values as NAME=NUMBER (x1=2 w1=-3)"

    def command(name: str, run, help: str, example: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help, description=help, formatter_class=raw,
                           epilog=f"example:\n  autograd {name} {example}")
        p.set_defaults(run=run)
        if name != "demo":
            p.add_argument("expr", metavar="EXPR", help="expression, e.g. 'o = tanh(x*w + b)' "
                           "(write -- before a bare -x)")
            p.add_argument("vars", metavar="NAME=NUMBER", nargs="*", help=vars_help)
        return p

    p = command("step", cmd_step, "step through backward, one chain-rule step per key",
                NEURON + "\n  keys: " + KEYS)
    p.add_argument("--all", action="store_true", help="print every step and the final "
                   "gradients, then exit (the default when stdin is not a terminal)")
    p.add_argument("--graph-dir", default=".", help="where the g key writes (default: .)")
    p = command("graph", cmd_graph, "draw the graph with data and gradients to a file",
                '"o = tanh(x*w + b)" x=2 w=-3 b=6.88 -o neuron.svg --color-by grad')
    p.add_argument("-o", "--output", required=True,
                   help="output file: .svg .png .pdf (need Graphviz), .dot, or .html (animation)")
    p.add_argument("--color-by", choices=["grad"], help="shade nodes by |grad|")
    p.add_argument("--rankdir", choices=["LR", "TB", "RL", "BT"], help="layout direction")
    p.add_argument("--no-backward", action="store_true", help="draw before running backward")
    p = command("check", cmd_check, "compare gradients with finite differences",
                '"x**3 / y + log(x)" x=1.5 y=2')
    p.add_argument("--eps", type=float, default=1e-6, help="finite-difference step")
    p.add_argument("--atol", type=float, default=1e-5, help="absolute tolerance")
    p.add_argument("--rtol", type=float, default=1e-3, help="relative tolerance")
    p = command("demo", cmd_demo, "run a demo (no NAME: list them)", "moons")
    p.add_argument("name", metavar="NAME", nargs="?", help="the demo to run")
    p.add_argument("args", nargs=argparse.REMAINDER, help="arguments for the demo, after --")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status (0 ok, 1 check failed, 2 bad input)."""
    parser = build_parser()
    argv = list(sys.argv[1:] if argv is None else argv)
    # "-x**2" is an expression, not an option: a leading space keeps argparse off it
    argv = [" " + a if a[:1] == "-" and any(c in a for c in " *+/()") else a for a in argv]
    try:
        args = parser.parse_args(argv)
        if args.command is None:
            parser.print_help(sys.stderr)
            return 2
        return args.run(args)
    except SystemExit as done:  # argparse: --help, --version, usage errors
        return done.code if isinstance(done.code, int) else 2
    except ExpressionError as err:
        print("autograd: error: " + format_error(err), file=sys.stderr)
    except (UsageError, AutogradError, ValueError, TypeError, ArithmeticError, OSError) as err:
        if isinstance(err, BrokenPipeError):  # e.g. `autograd step ... --all | head`
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115
            return 0
        print(f"autograd: error: {err}", file=sys.stderr)
    except KeyboardInterrupt:
        return 130
    return 2
