"""Keras' data set cache is a folder of the test's own, so a developer's real
``~/.keras/datasets`` never changes what the tests see."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def keras_home(tmp_path_factory, monkeypatch):
    home = tmp_path_factory.mktemp("keras-home")
    monkeypatch.setenv("KERAS_HOME", str(home))
    return home
