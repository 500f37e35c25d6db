"""The machine-needs helpers: a missing part skips a test on a developer's machine and
fails it under CI=true (where .ci/run installs everything)."""

from __future__ import annotations

import pytest
from needs import missing, require_binary, require_module


def test_a_missing_part_skips_outside_ci_and_fails_in_ci(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="graphviz is not here"):
        missing("graphviz is not here")
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="graphviz is not here; CI must install"):
        missing("graphviz is not here")


def test_present_parts_are_returned_and_absent_ones_go_through_missing(monkeypatch):
    assert require_binary("sh", "a shell").endswith("sh")
    assert require_module("json", "the standard library").dumps([1]) == "[1]"
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="no-such-binary-xyz is not installed"):
        require_binary("no-such-binary-xyz", "a test")
    with pytest.raises(pytest.fail.Exception, match="dev extra must provide it"):
        require_module("no_such_module_xyz", "pip install nothing")
