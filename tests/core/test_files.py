"""autograd.files.write_atomic: the one writer behind drawings and model files.

Old file or new file, never half; the mode open() would give; no temporary left on any
failure; a killed writer's temporary removed by the next write; errors name the target.
"""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import textwrap

import pytest

from autograd import files
from autograd.files import write_atomic

fcntl = pytest.importorskip("fcntl") if os.name == "posix" else None


@pytest.fixture
def umask():
    """Set the process umask for one test, restoring it afterwards."""
    old = os.umask(0o022)
    os.umask(old)
    yield lambda mask: os.umask(mask)
    os.umask(old)


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_writes_text_or_bytes_and_leaves_only_the_target(tmp_path):
    write_atomic(tmp_path / "a.txt", "héllo")
    write_atomic(tmp_path / "b.bin", b"\x00\xff")
    assert (tmp_path / "a.txt").read_text(encoding="utf-8") == "héllo"
    assert (tmp_path / "b.bin").read_bytes() == b"\x00\xff"
    assert sorted(os.listdir(tmp_path)) == ["a.txt", "b.bin"]


@pytest.mark.parametrize("mask", [0o022, 0o077, 0o002, 0o027])
def test_a_new_file_gets_the_mode_open_would_give(tmp_path, umask, mask):
    umask(mask)
    with open(tmp_path / "by_open.txt", "w") as f:
        f.write("x")
    write_atomic(tmp_path / "by_writer.txt", "x")
    assert _mode(tmp_path / "by_writer.txt") == _mode(tmp_path / "by_open.txt") == 0o666 & ~mask


def test_an_existing_file_keeps_its_permissions_as_with_open(tmp_path, umask):
    umask(0o022)
    target = tmp_path / "secret.txt"
    target.write_text("old")
    os.chmod(target, 0o600)
    write_atomic(target, "new")
    assert target.read_text() == "new" and _mode(target) == 0o600


def _only(tmp_path, *names):
    assert sorted(os.listdir(tmp_path)) == sorted(names)


@pytest.mark.parametrize("where", ["fsync", "replace", "fchmod", "write"])
@pytest.mark.parametrize("error", [OSError("disk full"), KeyboardInterrupt()])
def test_every_failure_removes_the_temporary_and_keeps_the_old_file(
        tmp_path, monkeypatch, where, error):
    target = tmp_path / "out.txt"
    target.write_text("old")

    def boom(*args, **kwargs):
        raise error

    if where == "write":
        real_fdopen = os.fdopen

        def fdopen(fd, *args, **kwargs):
            f = real_fdopen(fd, *args, **kwargs)
            f.write = boom
            return f

        monkeypatch.setattr(os, "fdopen", fdopen)
    else:
        monkeypatch.setattr(os, where, boom)
    with pytest.raises(type(error)):
        write_atomic(target, "new")
    monkeypatch.undo()
    assert target.read_text() == "old"
    _only(tmp_path, "out.txt")


def test_a_write_error_names_the_target_not_the_temporary(tmp_path):
    target = tmp_path / "missing-folder" / "graph.svg"
    with pytest.raises(FileNotFoundError) as info:
        write_atomic(target, "x")
    assert info.value.filename == os.fspath(target)
    assert ".tmp" not in str(info.value) and "graph.svg" in str(info.value)


def test_replacing_a_folder_names_the_target(tmp_path):
    (tmp_path / "out").mkdir()
    with pytest.raises(OSError) as info:
        write_atomic(tmp_path / "out", "x")
    assert info.value.filename == os.fspath(tmp_path / "out") and ".tmp" not in str(info.value)
    _only(tmp_path, "out")


def test_the_next_write_removes_temporaries_a_killed_writer_left(tmp_path):
    target = tmp_path / "model.json"
    script = textwrap.dedent(f"""
        import os, signal
        from autograd.files import write_atomic
        os.replace = lambda *a: os.kill(os.getpid(), signal.SIGKILL)
        write_atomic({os.fspath(target)!r}, "x" * 100000)
    """)
    for _ in range(3):
        done = subprocess.run([sys.executable, "-c", script], check=False)
        assert done.returncode == -signal.SIGKILL
    stale = [n for n in os.listdir(tmp_path) if n.endswith(".tmp")]
    assert len(stale) == 1 and stale[0].startswith(".model.json.")  # each run removed the last
    write_atomic(target, "fresh")
    _only(tmp_path, "model.json")
    assert target.read_text() == "fresh"


@pytest.mark.skipif(fcntl is None, reason="live writers are told apart by file locks")
def test_a_live_writers_temporary_and_other_files_are_left_alone(tmp_path):
    target = tmp_path / "model.json"
    live = tmp_path / ".model.json.abcd1234.tmp"
    other = tmp_path / ".other.json.abcd1234.tmp"  # another target's
    lookalike = tmp_path / ".model.json.not-random.tmp"  # not a name the writer makes
    for path in (live, other, lookalike):
        path.write_text("partial")
    link = tmp_path / ".model.json.zzzz9999.tmp"
    link.symlink_to(other)
    with open(live, "rb") as held:
        fcntl.flock(held, fcntl.LOCK_EX)  # as a writer in another process would
        write_atomic(target, "new")
    _only(tmp_path, "model.json", live.name, other.name, lookalike.name, link.name)
    assert other.read_text() == "partial"


def test_a_cleaner_racing_a_new_writer_never_loses_its_file(tmp_path, monkeypatch):
    # The cleaner removes a temporary between the writer creating and locking it: the
    # writer sees its file gone and starts again with a new name.
    target = tmp_path / "model.json"
    real_stat, removed = os.fstat, []

    def fstat(fd):
        result = real_stat(fd)
        if not removed and stat.S_ISREG(result.st_mode) and result.st_nlink:
            name = next(n for n in os.listdir(tmp_path) if n.endswith(".tmp"))
            os.unlink(tmp_path / name)
            removed.append(name)
            return real_stat(fd)
        return result

    monkeypatch.setattr(files.os, "fstat", fstat)
    write_atomic(target, "kept")
    monkeypatch.undo()
    assert removed and target.read_text() == "kept"
    _only(tmp_path, "model.json")


def test_drawings_share_the_writer_and_name_the_target_on_error(tmp_path):
    from autograd import Value, save_graph

    x = Value(2.0, label="x")
    y = x * x
    target = tmp_path / "nowhere" / "graph.dot"
    with pytest.raises(FileNotFoundError) as info:
        save_graph(y, target)
    assert info.value.filename == os.fspath(target) and ".tmp" not in str(info.value)
    (tmp_path / ".graph.dot.q1w2e3r4.tmp").write_text("left by a killed run")
    save_graph(y, tmp_path / "graph.dot")
    _only(tmp_path, "graph.dot")  # the stale temporary of the same target is gone
