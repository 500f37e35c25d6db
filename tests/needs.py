"""What the tests need from the machine (a binary, a package, a device): a test that lacks
it is skipped on a developer's machine and fails under CI=true, where it must be there.

A module of its own (not ``conftest``), so test files import it by one unambiguous name
however many ``conftest.py`` files the tree holds.
"""

from __future__ import annotations

import importlib
import os
import shutil
from types import ModuleType
from typing import NoReturn

import pytest


def missing(message: str, in_ci: str = "CI must install it (.ci/run)") -> NoReturn:
    """Skip the test for ``message`` on a developer's machine; under CI=true fail it,
    saying ``in_ci``."""
    if os.environ.get("CI") != "true":
        pytest.skip(message)
    pytest.fail(f"{message}; {in_ci}")


def require_binary(path_or_name: str, why: str) -> str:
    """The binary's path, or :func:`missing`."""
    found = path_or_name if os.path.exists(path_or_name) else shutil.which(path_or_name)
    if found:
        return found
    missing(f"{path_or_name} is not installed ({why})")


def require_module(name: str, install: str) -> ModuleType:
    """The imported module, or :func:`missing` saying how to install it."""
    try:
        return importlib.import_module(name)
    except ImportError:
        missing(f"{name} is not installed ({install})",
                "the dev extra must provide it (.ci/run installs it)")
