"""``autograd lab EXPR VARS``: the backprop lab for an expression, served to the browser
from 127.0.0.1 with a random token in the URL; Ctrl-C stops it. ``--site DIR`` writes the
classroom site instead: a folder any static host serves, Python running in the page."""

from __future__ import annotations

import argparse

from ..lab.scene import CONTROLS
from .arguments import read_inputs
from .demos import cmd_demo
from .usage import UsageError

__all__ = ["LIVE_DEMOS", "add_lab_options", "cmd_lab"]

LIVE_DEMOS = ("moons",)  # demos with --live: training watched in the lab's viewer


def _lr(text: str) -> float:
    """``--lr``: a finite number in (0, MAX_LR], else argparse's usage error (exit 2)."""
    from ..lab.user_numbers import learning_rate

    try:
        return learning_rate(float(text), "the learning rate")
    except ValueError as err:
        raise argparse.ArgumentTypeError(str(err) if "must be" in str(err) else
                                         f"the learning rate must be a number, got {text!r}"
                                         ) from None


def _hide(text: str) -> list[str]:
    """``--hide``: known groups of controls, else argparse's usage error (exit 2)."""
    from ..lab.scene import controls

    try:
        return controls(text)
    except ValueError as err:
        raise argparse.ArgumentTypeError(str(err)) from None


def _port(text: str) -> int:
    """``--port``: 0 (a free one) or a port number."""
    try:
        port = int(text)
    except ValueError:
        port = -1
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"the port must be a whole number in [0, 65535] "
                                         f"(0: a free one), got {text!r}")
    return port


def add_lab_options(p: argparse.ArgumentParser) -> None:
    """The ``lab`` subcommand's own options."""
    p.add_argument("--port", type=_port, default=0, help="port on 127.0.0.1 (default: a free one)")
    p.add_argument("--no-browser", action="store_true", help="print the URL, open no browser")
    p.add_argument("--lr", type=_lr, default=0.1, help="learning rate of the gradient step "
                   "button (default: 0.1; the page can change it)")
    p.add_argument("--quiz", action="store_true", help="predict mode: type each value and "
                   "gradient before the lab shows it (the page can turn it off)")
    p.add_argument("--hide", type=_hide, default=[], metavar="GROUPS",
                   help="controls not to show, comma-separated: " + ", ".join(CONTROLS))
    p.add_argument("--rankdir", choices=["LR", "TB", "RL", "BT"], default="LR",
                   help="layout direction")
    p.add_argument("--site", metavar="DIR", help="write the classroom site to DIR instead of "
                   "serving: a folder any static web host serves, the engine running in the "
                   "page (Pyodide); nothing to install for the class")
    p.add_argument("--pyodide", metavar="DIR", help="with --site: npm's pyodide package folder "
                   "(default: $PYODIDE_DIR, or this checkout's .cache from `make pyodide`)")
    p.add_argument("--train", metavar="DEMO", choices=LIVE_DEMOS,
                   help=f"watch a demo network learn, live ({', '.join(LIVE_DEMOS)})")


def cmd_lab(args: argparse.Namespace) -> int:
    from ..lab.server import LabServer
    from ..lab.state import LabState

    if args.train:
        unused = [name for name, given in (
            ("an expression", args.expr is not None), ("--site", args.site is not None),
            ("--pyodide", args.pyodide is not None), ("--quiz", args.quiz),
            ("--hide", bool(args.hide)), ("--port", args.port != 0), ("--lr", args.lr != 0.1),
            ("--rankdir", args.rankdir != "LR")) if given]
        if unused:
            raise UsageError(f"lab --train {args.train} watches the demo learn and takes only "
                             f"--no-browser; {', '.join(unused)} "
                             f"{'is' if len(unused) == 1 else 'are'} for an expression's lab")
        return _train(args)
    if args.expr is None:
        raise UsageError("lab: give an expression and its inputs (EXPR NAME=NUMBER ...), "
                         "or --train DEMO to watch a network learn")

    if args.site is not None:
        if not args.site.strip():
            raise UsageError("lab: --site needs a folder name, e.g. --site class")
        return _site(args)
    if args.pyodide is not None:
        raise UsageError("lab: --pyodide goes with --site DIR (the site ships Pyodide; the "
                         "served lab runs Python here)")
    expr, _, values = read_inputs(args.expr, args.vars)
    state = LabState.from_expression(expr.text, values, rankdir=args.rankdir, lr=args.lr)
    server = LabServer(state, port=args.port, quiz=args.quiz, hide=args.hide)
    try:
        server.run(open_browser=False if args.no_browser else None)
    except KeyboardInterrupt:  # Ctrl-C: the server has already shut down
        pass
    print("autograd lab: stopped", flush=True)
    return 0


def _site(args: argparse.Namespace) -> int:
    """``--site DIR``: write the folder, say its size and how to serve it."""
    from ..lab.classroom_site import save_site

    expr, _, values = read_inputs(args.expr, args.vars)
    index = save_site(expr.text, args.site, quiz=args.quiz, hide=args.hide, rankdir=args.rankdir,
                      lr=args.lr, pyodide=args.pyodide, **values)
    size = sum(f.stat().st_size for f in index.parent.rglob("*") if f.is_file())
    print(f"autograd lab: wrote the classroom site to {index.parent} ({size / 1e6:.1f} MB)\n"
          f"  serve the folder from any static host, e.g.: python -m http.server -d "
          f"{index.parent}\n  (opened as a file, it steps but its inputs stay still: browsers "
          "run Python only from a web server)", flush=True)
    return 0


def _train(args: argparse.Namespace) -> int:
    """Run the demo with ``--live``: it serves its own page and prints the URL."""
    extra = ["--live"] + (["--no-browser"] if args.no_browser else [])
    try:
        return cmd_demo(argparse.Namespace(name=args.train, args=extra))
    except KeyboardInterrupt:  # Ctrl-C reached the demo too, which stops by itself
        print("autograd lab: stopped", flush=True)
        return 0
