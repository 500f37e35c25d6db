"""The ``autograd`` command: step through backward, draw a graph, check gradients, run demos.

    autograd step "n = x1*w1 + x2*w2 + b; o = tanh(n)" x1=2 x2=0 w1=-3 w2=1 b=6.8814
    autograd graph "tanh(x*w + b)" x=2 w=-3 b=6.88 -o neuron.svg
    autograd check "x**3 / y" x=1.5 y=2
    autograd exercises -o backprop.ipynb --lang en
    autograd demo moons

Exit status: 0 done, 1 a gradient check failed, 2 bad usage or input (one message on
stderr, never a traceback).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from .. import __version__
from ..errors import AutogradError, ExpressionError, GraphTooLargeError
from ..expr.parser import format_error
from ..graph import topo_order
from ..lazy import as_missing_dependency
from . import fixes
from .arguments import read_inputs
from .demos import cmd_demo
from .lab import add_lab_options, cmd_lab
from .step import HELP as HELP
from .step import KEYS, cmd_step
from .step import _window as _window
from .usage import UsageError as UsageError
from .workbook import EXAMPLE as EXERCISES_EXAMPLE
from .workbook import add_exercise_options, cmd_exercises

__all__ = ["build_parser", "main"]

DESCRIPTION = """Step through backward, draw graphs, check gradients and run demos.

examples:
  autograd step "n = x1*w1 + x2*w2 + b; o = tanh(n)" x1=2 x2=0 w1=-3 w2=1 b=6.8814
  autograd graph "tanh(x*w + b)" x=2 w=-3 b=6.88 -o neuron.svg
  autograd check "x**3 / y" x=1.5 y=2
  autograd exercises -o backprop.ipynb --lang en
  autograd demo moons

Each COMMAND has --help with an example. Exit status: 0 done, 1 a gradient check
failed, 2 bad usage or input (one message on stderr)."""
NEURON = '"n = x1*w1 + x2*w2 + b; o = tanh(n)" x1=2 x2=0 w1=-3 w2=1 b=6.8814'


def cmd_graph(args: argparse.Namespace) -> int:
    from ..lab.offline import save_graph

    _, root, _ = read_inputs(args.expr, args.vars)
    html = Path(args.output).suffix.lower() == ".html"
    if html and args.color_by:
        raise UsageError(fixes.html_color_by(args))
    if not args.no_backward and not html:  # the animation runs backward itself
        root.backward()
    kwargs = {"rankdir": args.rankdir} if args.rankdir else {}
    if args.color_by:
        kwargs["color_by"] = args.color_by
    try:
        path = save_graph(root, args.output, max_nodes=args.max_nodes, **kwargs)
    except GraphTooLargeError:
        raise UsageError(fixes.too_large(args, len(topo_order(root)))) from None
    print(f"wrote {path}")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from ..check.gradcheck import NOT_DIFF, gradcheck

    expr, _, values = read_inputs(args.expr, args.vars)
    if not expr.variables:
        raise UsageError("nothing to check: the expression has no variables")
    names = list(expr.variables)
    report = gradcheck(expr.function(), [values[n] for n in names], eps=args.eps,
                       atol=args.atol, rtol=args.rtol, raise_on_failure=False, names=names)
    print(report)
    if report.rows and all(row.status == NOT_DIFF for row in report.rows):
        print("autograd: check failed: " + fixes.nothing_checked(args), file=sys.stderr)
        return 1
    return 0 if report.ok else 1


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
        p.set_defaults(run=run, sub=p)
        if name not in ("demo", "exercises"):
            p.add_argument("expr", metavar="EXPR", nargs="?" if name == "lab" else None,
                           help="expression, e.g. 'o = tanh(x*w + b)' (quote it: one argument)")
            p.add_argument("vars", metavar="NAME=NUMBER", nargs="*", help=vars_help)
        return p

    p = command("step", cmd_step, "step through backward, one chain-rule step per key",
                NEURON + "\n  keys: " + KEYS)
    p.add_argument("--all", action="store_true", help="print every step and the final "
                   "gradients, then exit (the default when stdin is not a terminal)")
    p.add_argument("--out", "--graph-dir", dest="graph_dir", metavar="DIR", default=".",
                   help="folder the g key writes its graph files to (default: .)")
    p.add_argument("--max-nodes", type=int, default=1000, help="largest graph g draws")
    p = command("graph", cmd_graph, "draw the graph with data and gradients to a file",
                '"o = tanh(x*w + b)" x=2 w=-3 b=6.88 -o neuron.svg --color-by grad')
    p.add_argument("-o", "--output", required=True,
                   help="output file: .svg .png .pdf (need Graphviz), .dot, or .html (animation)")
    p.add_argument("--color-by", choices=["grad"], help="shade nodes by |grad|")
    p.add_argument("--rankdir", choices=["LR", "TB", "RL", "BT"], help="layout direction")
    p.add_argument("--no-backward", action="store_true", help="draw before running backward")
    p.add_argument("--max-nodes", type=int, default=1000,
                   help="largest graph to draw (default: 1000)")
    p = command("check", cmd_check, "compare gradients with finite differences",
                '"x**3 / y + log(x)" x=1.5 y=2')
    p.add_argument("--eps", type=float, default=1e-6, help="finite-difference step")
    p.add_argument("--atol", type=float, default=1e-5, help="absolute tolerance")
    p.add_argument("--rtol", type=float, default=1e-3, help="relative tolerance")
    p = command("lab", cmd_lab, "open the backprop lab in the browser: step, inspect, edit "
                "inputs, take gradient steps, predict each step (--quiz)", NEURON)
    add_lab_options(p)
    p = command("exercises", cmd_exercises, "write the backprop exercise notebook (English "
                "or Chinese), each exercise checked with its diagnosis", EXERCISES_EXAMPLE)
    add_exercise_options(p)
    p = command("demo", cmd_demo, "run a demo (no NAME: list them)", "moons")
    p.add_argument("name", metavar="NAME", nargs="?", help="the demo to run")
    p.add_argument("args", nargs=argparse.REMAINDER, help="arguments for the demo, after --")
    return parser


def os_error_line(err: OSError) -> str:
    """A file error as one line: the path, what is wrong, and the part of the path that is
    missing or is a file (rather than Python's ``[Errno 2] ...``)."""
    if err.filename is None or not err.strerror:
        return str(err)
    path = Path(os.fsdecode(err.filename))
    line = f"{os.fspath(path)!r}: {err.strerror}"
    if isinstance(err, (FileNotFoundError, NotADirectoryError)):
        for part in reversed(path.parents):
            if str(part) != "." and not part.is_dir():
                what = "a file" if part.exists() else "missing"
                return f"{line} (the folder {os.fspath(part)!r} is {what})"
    return line


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status (0 ok, 1 check failed, 2 bad input)."""
    parser = build_parser()
    argv = list(sys.argv[1:] if argv is None else argv)
    argv = fixes.guard_expression(argv, fixes.expression_commands(parser))
    args = None
    try:
        args = parser.parse_args(argv)
        if args.command is None:
            parser.print_help(sys.stderr)
            return 2
        if getattr(args, "expr", None) is not None:
            args.expr = args.expr.lstrip(" ")  # the space guard_expression added
            if line := fixes.misplaced_options(args.sub, args):
                raise UsageError(line)
        return args.run(args)
    except SystemExit as done:  # argparse: --help, --version, usage errors
        return done.code if isinstance(done.code, int) else 2
    except ExpressionError as err:
        fixed = fixes.repair(args.expr, args.vars) if hasattr(args, "vars") else None
        if fixed:
            why, expr, inputs = fixed
            line = f"{why}: {fixes.command_line(args.sub, args, expr, inputs)}"
        else:
            line = format_error(err)
        print("autograd: error: " + line, file=sys.stderr)
    except (UsageError, AutogradError, ValueError, TypeError, ArithmeticError, OSError) as err:
        if isinstance(err, BrokenPipeError):  # e.g. `autograd step ... --all | head`
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115
            return 0
        line = os_error_line(err) if isinstance(err, OSError) else str(err)
        print(f"autograd: error: {line}", file=sys.stderr)
    except ModuleNotFoundError as err:  # numpy or graphviz, where the wheel came alone
        command = getattr(args, "command", None)
        missing = as_missing_dependency(err, f"autograd {command}" if command else "autograd")
        if missing is None:
            raise
        print(f"autograd: error: {missing}", file=sys.stderr)
    except KeyboardInterrupt:
        return 130
    return 2
