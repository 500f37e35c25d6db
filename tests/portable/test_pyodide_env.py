"""npm's Pyodide, as the Makefile installs it, runs Python under Node with no network."""

from __future__ import annotations

import json
from pathlib import Path

from portable.pyodide_env import pyodide_dir, run_in_pyodide


def test_pyodide_runs_python_offline(tmp_path: Path) -> None:
    package = json.loads((pyodide_dir() / "package.json").read_text(encoding="utf-8"))
    script = tmp_path / "hello.py"
    script.write_text("import sys, json\n"
                      "print(sys.platform, sys.version_info[:2] >= (3, 10))\n"
                      "print(json.dumps({'sum': sum(range(10))}))\n"
                      "print('to stderr', file=sys.stderr)\n"
                      "raise SystemExit(7)\n", encoding="utf-8")
    done = run_in_pyodide(script)
    assert done.returncode == 7, done.stderr
    assert done.stdout.splitlines() == ["emscripten True", '{"sum": 45}'], (
        package["version"], done.stdout)
    assert "to stderr" in done.stderr


def test_a_request_fails_the_run(tmp_path: Path) -> None:
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "here.py").write_text("WHERE = 'copied'\n", encoding="utf-8")
    script = tmp_path / "fetch.py"
    script.write_text("from pkg.here import WHERE\nprint(WHERE)\n"
                      "import js\n"
                      "try:\n"
                      "    js.fetch('http://127.0.0.1:9/')\n"
                      "except Exception as err:\n"
                      "    print('refused:', 'network blocked' in str(err))\n",
                      encoding="utf-8")
    done = run_in_pyodide(script, {tmp_path / "pkg": "/lib/extra"})
    assert done.stdout.splitlines() == ["copied", "refused: True"], done.stderr
    assert done.returncode == 3
    assert "1 network request(s) refused: fetch http://127.0.0.1:9/" in done.stderr
