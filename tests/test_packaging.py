"""The packaging configuration covers every package and data file, so a normal (non-editable)
install is complete. ``.ci/wheel-check`` proves it end to end by building and installing the
wheel; these checks read only ``pyproject.toml`` and run in every ``make test``."""

from __future__ import annotations

import fnmatch
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TOPS = ("autograd", "nn", "demos")


def toml_list(section: str, key: str) -> list[str]:
    """A one-line list from pyproject.toml (no tomllib: Python 3.10 is supported)."""
    text = (ROOT / "pyproject.toml").read_text()
    body = text[text.index(f"[{section}]"):]
    body = body[:body.find("\n[", 1)] if "\n[" in body[1:] else body
    found = re.search(rf'^"?{re.escape(key)}"? = \[(.*)\]$', body, re.M)
    assert found, f"pyproject.toml has no {key} in [{section}]"
    return re.findall(r'"([^"]+)"', found.group(1))


def source_files(top: str) -> list[Path]:
    return [p for p in (ROOT / top).rglob("*")
            if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"
            and "out" not in p.relative_to(ROOT / top).parts[:1]]


def test_every_package_is_found() -> None:
    include = toml_list("tool.setuptools.packages.find", "include")
    packages = [".".join(init.parent.relative_to(ROOT).parts)
                for top in TOPS for init in (ROOT / top).rglob("__init__.py")]
    assert "autograd.compiled" in packages and "autograd.cli" in packages
    missing = [p for p in packages if not any(fnmatch.fnmatchcase(p, pat) for pat in include)]
    assert not missing, f"pyproject.toml's packages.find leaves out {missing}"


def test_every_data_file_is_package_data() -> None:
    for top in ("autograd", "nn"):
        patterns = toml_list("tool.setuptools.package-data", top)
        covered = {p for pattern in patterns for p in (ROOT / top).glob(pattern)}
        data = [p for p in source_files(top) if p.suffix != ".py"]
        assert data, top
        missing = [str(p.relative_to(ROOT)) for p in data if p not in covered]
        assert not missing, f"package-data for {top} leaves out {missing}"


def test_the_lab_front_end_will_be_package_data() -> None:
    patterns = toml_list("tool.setuptools.package-data", "autograd")
    assert any(fnmatch.fnmatchcase("lab/static/js/app.js", p) for p in patterns), patterns
    assert "viz/*.html" in patterns


def test_ci_runs_the_wheel_check() -> None:
    run = (ROOT / ".ci" / "run").read_text()
    assert "bash .ci/wheel-check" in run
    assert run.index("bash .ci/wheel-check") < run.index("CI=true make test")  # pytest ends the log


def test_no_tracked_file_is_ignored() -> None:
    import shutil
    import subprocess

    from needs import missing

    if shutil.which("git") is None or not (ROOT / ".git").exists():
        missing("not a git checkout", "CI runs on a git clone: git and .git must be there")
    ignored = subprocess.run(["git", "-C", str(ROOT), "ls-files", "-ci", "--exclude-standard"],
                             capture_output=True, text=True, check=True).stdout.split()
    assert ignored == [], f".gitignore matches tracked files: {ignored}"
