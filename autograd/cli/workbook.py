"""``autograd exercises -o FILE.ipynb [--lang en|zh] [--solutions] [--force]``: write the
backprop exercise notebook (never over an existing file without ``--force``); ``--list``
prints the exercises instead."""

from __future__ import annotations

import argparse
import os

from .usage import UsageError

__all__ = ["add_exercise_options", "cmd_exercises"]

EXAMPLE = "-o backprop.ipynb --lang zh\n  autograd exercises --list"


def add_exercise_options(p: argparse.ArgumentParser) -> None:
    from ..exercises import LANGS

    p.add_argument("-o", "--output", metavar="FILE.ipynb", help="the notebook to write")
    p.add_argument("--lang", choices=LANGS, default="en",
                   help="the notebook's language (default: en)")
    p.add_argument("--solutions", action="store_true",
                   help="fill the answer cells with the solutions (between nbgrader's "
                        "BEGIN/END SOLUTION markers)")
    p.add_argument("--force", action="store_true",
                   help="overwrite FILE.ipynb when it exists (the answers in it are lost)")
    p.add_argument("--list", action="store_true", help="list the exercises and exit")


def cmd_exercises(args: argparse.Namespace) -> int:
    from ..exercises import EXERCISES, write_notebook
    from ..exercises.notebook import check_notebook_name

    if args.list:
        width = max(len(ex.name) for ex in EXERCISES)
        for k, ex in enumerate(EXERCISES, 1):
            print(f"{k}. {ex.name.ljust(width)}  {ex.title[args.lang]}")
        return 0
    if not args.output:
        raise UsageError("say where to write the notebook: autograd exercises -o FILE.ipynb "
                         "(or --list to see the exercises)")
    check_notebook_name(args.output, "autograd exercises -o")
    if os.path.lexists(args.output) and not args.force:
        raise UsageError(f"{args.output!r} exists, and the answers in it would be lost; "
                         "choose another name, or pass --force to overwrite it")
    path = write_notebook(args.output, lang=args.lang, solutions=args.solutions)
    what = "with solutions" if args.solutions else "answer cells raise NotImplementedError"
    print(f"wrote {path} ({len(EXERCISES)} exercises, {args.lang}, {what}); open it with: "
          f"jupyter lab {path}")
    return 0
