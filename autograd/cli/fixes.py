"""Command lines that are almost right. Each slip becomes one line that shows the corrected
command: an expression the shell split into words (``o = x*2``), spaces around ``=`` in an
input (``x = 2``), an option written after ``--``, an expression that starts with ``-``.

>>> repair("o", ["=", "x*2", "x=1"])
('the shell split the expression into 3 words; quote it', 'o = x*2', ['x=1'])
>>> repair("x*2", ["x", "=", "2"])[1:]
('x*2', ['x=2'])
"""

from __future__ import annotations

import argparse
import copy
import shlex
from collections.abc import Sequence

from ..errors import ExpressionError
from ..expr.parser import parse, parse_assignment

__all__ = ["command_line", "expression_commands", "guard_expression", "html_color_by",
           "misplaced_options", "nothing_checked", "repair", "too_large"]

_OPERATORS = set(" *+-/()=;")


def _options(sub: argparse.ArgumentParser) -> dict[str, bool]:
    """Each option string of a subcommand -> whether it takes a value."""
    return {flag: action.nargs != 0 for action in sub._actions for flag in action.option_strings}


def expression_commands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    """The subcommands that take an EXPR, by name."""
    subs = next(a.choices for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return {name: p for name, p in subs.items() if any(a.dest == "expr" for a in p._actions)}


def guard_expression(argv: list[str], subs: dict[str, argparse.ArgumentParser]) -> list[str]:
    """``argv`` with a leading space on an EXPR that starts with ``-`` (``-x``, ``-x**2``),
    so that argparse reads it as the expression rather than as an unknown option."""
    if not argv or argv[0] not in subs:
        return argv
    options, out = _options(subs[argv[0]]), list(argv)
    skip, expr_seen = False, False
    for i, word in enumerate(argv[1:], 1):
        if skip:
            skip = False
            continue
        if word == "--":
            break
        flag = word.split("=", 1)[0]
        if flag in options:
            skip = options[flag] and "=" not in word
            continue
        looks_like_expr = word[:1] == "-" and word[1:2] not in ("", "-")
        if looks_like_expr and (not expr_seen or _OPERATORS & set(word[1:])):
            out[i] = " " + word
        if not word.startswith("-") or looks_like_expr:
            expr_seen = True
    return out


def command_line(sub: argparse.ArgumentParser, args: argparse.Namespace, expr: str,
                 inputs: Sequence[str]) -> str:
    """The command to run instead: EXPR (the word EXPR when long), the inputs, then every
    option not at its default."""
    expr = expr.strip()
    words = ["autograd", args.command, expr if len(expr) <= 80 else "EXPR", *inputs]
    for action in sub._actions:
        if not action.option_strings or action.dest in ("help", "expr", "vars"):
            continue
        value = getattr(args, action.dest, action.default)
        if value != action.default:
            flag = action.option_strings[0]
            words += [flag] if action.nargs == 0 else [flag, str(value)]
    return shlex.join(words)


def misplaced_options(sub: argparse.ArgumentParser, args: argparse.Namespace) -> str | None:
    """One line for options that came after ``--`` and so were read as inputs, else None."""
    options = _options(sub)
    moved, inputs, words = [], [], list(args.vars)
    while words:
        word = words.pop(0)
        flag = word.split("=", 1)[0]
        if flag not in options:
            inputs.append(word)
            continue
        moved.append(word)
        if options[flag] and "=" not in word and words:
            moved.append(words.pop(0))
    if not moved:
        return None
    fixed = sub.parse_args([*moved, "--", args.expr.strip(), *inputs],
                           namespace=copy.copy(args))
    return (f"{moved[0]} comes after --, so it was read as an input; options go before -- "
            f"(or leave -- out): {command_line(sub, fixed, args.expr, inputs)}")


def _is_input(word: str) -> bool:
    try:
        parse_assignment(word)
    except ExpressionError:
        return False
    return True


def repair(expr: str, words: Sequence[str]) -> tuple[str, str, list[str]] | None:
    """(what went wrong, EXPR, inputs) for a command line the shell split apart, else None.

    ``x = 2`` (three words) becomes ``x=2``; words before the first input that are not
    inputs belong to the expression (``o = x*2`` unquoted). None when that does not give
    an expression that parses and a list of NAME=NUMBER inputs.
    """
    def spaced(piece: Sequence[str]) -> bool:  # NAME = NUMBER, NAME= NUMBER, NAME =NUMBER
        return len(piece) == 1 or (piece[1] == "=" if len(piece) == 3 else
                                   piece[0].endswith("=") or piece[1].startswith("="))

    inputs, glued, i = [], False, 0
    while i < len(words):
        for n in (3, 2, 1):
            piece = words[i:i + n]
            joined = "".join(piece)
            if len(piece) == n and spaced(piece) and _is_input(joined):
                inputs.append(joined)
                glued |= n > 1
                i += n
                break
        else:
            inputs.append(words[i])
            i += 1
    lead = 0
    while lead < len(inputs) and not _is_input(inputs[lead]):
        lead += 1
    text = " ".join([expr.strip(), *inputs[:lead]])
    inputs = inputs[lead:]
    if not (lead or glued) or not all(map(_is_input, inputs)):
        return None
    try:
        parse(text)
    except ExpressionError:
        return None
    if lead and glued:
        why = ("the shell split the expression and the inputs; quote the expression and "
               "write each input as NAME=NUMBER with no spaces")
    elif lead:
        why = f"the shell split the expression into {lead + 1} words; quote it"
    else:
        why = "write each input as one word, NAME=NUMBER with no spaces around '='"
    return why, text, inputs


def _rerun(args: argparse.Namespace, **changes: object) -> str:
    """The same command with some options changed."""
    fixed = copy.copy(args)
    for name, value in changes.items():
        setattr(fixed, name, value)
    return command_line(args.sub, fixed, args.expr, args.vars)


def too_large(args: argparse.Namespace, count: int) -> str:
    """A graph of ``count`` nodes past ``--max-nodes``, and the command that draws it."""
    return (f"the graph has {count:,} nodes, more than --max-nodes {args.max_nodes:,}; draw it "
            f"anyway with: {_rerun(args, max_nodes=count)}")


def html_color_by(args: argparse.Namespace) -> str:
    """``--color-by`` asked of the animation, and the command without it."""
    return ("--color-by shades still drawings (.svg .png .pdf .dot); the .html animation "
            f"highlights each step instead: {_rerun(args, color_by=None)}")


def nothing_checked(args: argparse.Namespace, default_eps: float = 1e-6) -> str:
    """A check in which every input was skipped, and what to do instead."""
    fix = ("check at another point" if args.eps == default_eps else
           f"use a smaller step: {_rerun(args, eps=default_eps)}")
    return (f"nothing was checked (at eps={args.eps:g} every input is next to a point where f "
            f"is not differentiable or undefined); {fix}")
