"""Shared test set-up: system-binary requirements that skip locally but fail under CI."""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, settings
from needs import require_binary

settings.register_profile(
    "default", deadline=None, max_examples=60,
    suppress_health_check=[HealthCheck.too_slow])
settings.register_profile(
    "ci", deadline=None, max_examples=60, derandomize=True,
    suppress_health_check=[HealthCheck.too_slow])
settings.register_profile(  # HYPOTHESIS_PROFILE=stress: 10x the examples, for bug hunts
    "stress", deadline=None, max_examples=600,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE")
                      or ("ci" if os.environ.get("CI") == "true" else "default"))


@pytest.fixture
def dot_binary() -> str:
    """Graphviz's `dot`, required for rendering tests."""
    return require_binary("dot", "Graphviz renders SVG/PNG/PDF")


@pytest.fixture
def chromium_binary() -> str:
    """Debian's chromium, for the in-browser animation tests."""
    return require_binary("/usr/bin/chromium", "the HTML animation is tested in a real browser")
