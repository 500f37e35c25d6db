"""System binaries the tests need: skipped locally when missing, a failure under CI=true.

A module of its own (not ``conftest``), so test files import it by one unambiguous name
however many ``conftest.py`` files the tree holds.
"""

from __future__ import annotations

import os
import shutil

import pytest


def require_binary(path_or_name: str, why: str) -> str:
    """The binary's path; skip the test if it is missing, but fail under CI=true."""
    found = path_or_name if os.path.exists(path_or_name) else shutil.which(path_or_name)
    if found:
        return found
    message = f"{path_or_name} is not installed ({why})"
    if os.environ.get("CI") == "true":
        pytest.fail(f"{message}; CI must install it (.ci/run)")
    pytest.skip(message)
    raise AssertionError("unreachable")
