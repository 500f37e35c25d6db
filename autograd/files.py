"""Files written atomically: readers see the old file or the new one, never half of one.

Every file the project writes (drawings, animations, model files) goes through
:func:`write_atomic`: a temporary file in the target's folder, flushed to disk, then
``os.replace``. The temporary is created as ``open()`` would create the target (mode
0666 less the umask; an existing target keeps its permission bits), removed on every
failure, and one left behind by a killed process is removed by the next write to the
same target. Errors name the target, never the temporary.

>>> import pathlib, tempfile
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> write_atomic(folder / "note.txt", "hello").read_text()
'hello'
>>> sorted(p.name for p in folder.iterdir())
['note.txt']
"""

from __future__ import annotations

import os
import re
import secrets
import stat
import time
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows: stale temporaries are recognised by age instead
    fcntl = None  # type: ignore[assignment]

__all__ = ["temp_name", "write_atomic"]

_STALE_AGE = 600.0  # seconds; only where files cannot be locked
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)


def temp_name(target: Path) -> Path:
    """A fresh temporary's path beside ``target``: ``.<name>.<8 random>.tmp``."""
    return target.with_name(f".{target.name}.{secrets.token_hex(4)}.tmp")


def write_atomic(path: str | os.PathLike[str], data: bytes | str) -> Path:
    """Write ``data`` (text is UTF-8 encoded) to ``path`` atomically; return the path."""
    target = Path(path)
    payload = data.encode("utf-8") if isinstance(data, str) else bytes(data)
    _remove_stale(target)
    tmp: Path | None = None
    try:
        fd, tmp = _create(target)
        with os.fdopen(fd, "wb") as f:
            f.write(payload)
            f.flush()
            os.fsync(f.fileno())
            os.replace(tmp, target)  # still locked, so no cleaner takes it for stale
        tmp = None
    except OSError as err:
        raise _about(err, target) from None
    finally:
        if tmp is not None:
            _unlink(tmp)
    _sync_folder(target.parent)
    return target


def _create(target: Path) -> tuple[int, Path]:
    """Create and lock a new temporary beside ``target``, with the mode open() would give."""
    while True:
        tmp = temp_name(target)
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _CLOEXEC, 0o666)
        try:
            if fcntl is not None:
                fcntl.flock(fd, fcntl.LOCK_EX)
                if os.fstat(fd).st_nlink == 0:  # a cleaner removed it before we locked it
                    os.close(fd)
                    continue
            try:
                old = os.stat(target)
            except OSError:
                pass
            else:
                if stat.S_ISREG(old.st_mode) and hasattr(os, "fchmod"):
                    os.fchmod(fd, stat.S_IMODE(old.st_mode) & 0o777)
        except BaseException:
            os.close(fd)
            _unlink(tmp)
            raise
        return fd, tmp


def _remove_stale(target: Path) -> None:
    """Remove temporaries of ``target`` whose writer is gone (killed mid-write)."""
    pattern = re.compile(rf"\.{re.escape(target.name)}\.[a-z0-9_]{{8}}\.tmp\Z")
    try:
        names = [n for n in os.listdir(target.parent) if pattern.match(n)]
    except OSError:
        return  # the write itself reports a missing or unreadable folder
    for name in names:
        candidate = target.parent / name
        try:
            fd = os.open(candidate, os.O_RDONLY | os.O_NONBLOCK | _NOFOLLOW | _CLOEXEC)
        except OSError:
            continue  # a symlink, unreadable, or already gone: not ours to remove
        try:
            st = os.fstat(fd)
            if not stat.S_ISREG(st.st_mode) or st.st_uid != _uid():
                continue
            if fcntl is not None:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except OSError:
                    continue  # a live writer holds it
            elif time.time() - st.st_mtime < _STALE_AGE:
                continue
            now = os.stat(candidate, follow_symlinks=False)
            if (now.st_dev, now.st_ino) == (st.st_dev, st.st_ino):
                os.unlink(candidate)  # while locked: a writer that locks after us sees it gone
        except OSError:
            continue
        finally:
            os.close(fd)


def _uid() -> int:
    return os.geteuid() if hasattr(os, "geteuid") else 0


def _unlink(path: Path) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (best effort: not every system can open a folder)."""
    try:
        fd = os.open(folder, os.O_RDONLY | _CLOEXEC)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _about(err: OSError, target: Path) -> OSError:
    """The same error as ``open(target, 'w')`` would raise: naming the target, not the temp."""
    if err.errno is None:
        return err
    try:
        return type(err)(err.errno, err.strerror, os.fspath(target))
    except TypeError:
        return err
