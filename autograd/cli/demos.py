"""``autograd demo [NAME]``: list the demos beside the package, or run one as a module."""

from __future__ import annotations

import argparse
import ast
import os
import subprocess
import sys
from pathlib import Path

from .usage import UsageError

__all__ = ["cmd_demo"]


def _demos() -> tuple[Path | None, dict[str, str]]:
    """The demos folder (next to the package, else importable) and name -> first doc line."""
    import importlib.util
    import pkgutil

    folder = Path(__file__).resolve().parents[2] / "demos"  # beside the autograd package
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
