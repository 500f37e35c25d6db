"""npm's Pyodide, as the Makefile installs it, runs Python under Node with no network:
one run (Pyodide takes seconds to start) checks the runner's whole contract."""

from __future__ import annotations

import json
from pathlib import Path

from portable.pyodide_env import pyodide_dir, run_in_pyodide


def test_pyodide_runs_a_script_offline_and_refuses_requests(tmp_path: Path) -> None:
    version = json.loads((pyodide_dir() / "package.json").read_text(encoding="utf-8"))["version"]
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "here.py").write_text("WHERE = 'copied'\n", encoding="utf-8")
    (tmp_path / "pkg" / "__pycache__").mkdir()  # never copied
    script = tmp_path / "probe.py"
    script.write_text(
        "import json, os, sys\n"
        "from pkg.here import WHERE\n"
        "print(sys.platform, sys.version_info[:2] >= (3, 10), WHERE, sys.argv[1:])\n"
        "print(sorted(os.listdir('/lib/extra/pkg')))\n"
        "import js\n"
        "try:\n"
        "    js.fetch('http://127.0.0.1:9/')\n"
        "except Exception as err:\n"
        "    print('refused:', 'network blocked' in str(err))\n"
        "print('to stderr', file=sys.stderr)\n"
        "raise SystemExit(7)\n", encoding="utf-8")
    done = run_in_pyodide(script, {tmp_path / "pkg": "/lib/extra"}, ["a b", "--c"])
    assert done.stdout.splitlines() == [
        "emscripten True copied ['a b', '--c']", "['here.py']", "refused: True"], (
        version, done.stdout, done.stderr)
    assert done.returncode == 3  # a request was tried: the run fails whatever the script says
    assert "to stderr" in done.stderr
    assert "1 network request(s) refused: fetch http://127.0.0.1:9/" in done.stderr
    assert "(the script's own exit status: 7)" in done.stderr
