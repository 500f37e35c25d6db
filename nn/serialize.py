"""Model files: JSON with a format tag, a version, the architecture and the parameters.

Never pickle: a model file is plain text a reader can open, and loading it runs no code.
Saving refuses NaN/inf parameters (strict JSON has no such numbers) and writes through
:func:`autograd.files.write_atomic`. Reading is defensive: only a regular file (never a
FIFO, device or folder: checked before anything is read), at most ``max_bytes`` of it,
strict JSON (no ``NaN``/``Infinity``, no duplicate keys, no number beyond a float), and
every refusal is a ``ModelFileError`` naming the file.

>>> import json
>>> sorted(json.loads(model_json({"class": "Neuron", "config": {}}, {"b": 0.5})))
['architecture', 'format', 'state', 'version']
"""

from __future__ import annotations

import codecs
import json
import math
import os
import stat
from collections.abc import Iterable, Mapping
from typing import Any

from autograd.errors import ModelFileError, ModelFileNotFound
from autograd.files import write_atomic

__all__ = ["DEFAULT_MAX_BYTES", "FORMAT", "HEAD_BYTES", "VERSION", "file_limit", "finite_state",
           "model_json", "read_model_file", "read_model_head", "save_model_file", "write_atomic"]

FORMAT = "scalar-autograd.model"
VERSION = 1
DEFAULT_MAX_BYTES = 256 * 2**20  # when the caller does not know the architecture
HEAD_BYTES = 2**20  # where a loader looks for the architecture before reading further
_MAX_DIGITS = 400  # an integer past ~309 digits is beyond any float
_MAX_NESTING = 32  # of the architecture; a real one is a few levels deep
_O_READ = (os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
           | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0))


class _Refused(ValueError):
    """A strict-JSON refusal from inside the parser; re-raised naming the file."""


def short(x: Any, limit: int = 60) -> str:
    """``repr(x)`` cut to ``limit`` characters, for messages about hostile content."""
    try:
        text = repr(x)
    except RecursionError:
        return f"a deeply nested {type(x).__name__}"
    return text if len(text) <= limit else text[:limit - 3] + "..."


def finite_state(state: Mapping[str, float], doing: str, hint: str = "") -> None:
    """Refuse a NaN/inf parameter, naming the first one: model files hold finite numbers."""
    for name, x in state.items():
        if not math.isfinite(x):
            raise ModelFileError(f"{doing}: parameter {name!r} is {x!r}; model parameters "
                                 f"must be finite numbers{hint}")


def model_json(architecture: Mapping[str, Any], state: Mapping[str, float]) -> str:
    """The text of a model file: one parameter per line, so a diff reads well."""
    doc = {"format": FORMAT, "version": VERSION, "architecture": architecture, "state": state}
    try:
        return json.dumps(doc, indent=1, allow_nan=False) + "\n"
    except ValueError as err:  # a NaN/inf inside the architecture's config
        raise ModelFileError(f"cannot write a model file: {err}") from None


def save_model_file(path: str | os.PathLike[str], architecture: Mapping[str, Any],
                    state: Mapping[str, float]) -> None:
    """Check every parameter is finite, then write the model file atomically."""
    finite_state(state, f"cannot save {os.fspath(path)!r}",
                 " (did training diverge? lower the learning rate or restore a checkpoint)")
    write_atomic(path, model_json(architecture, state))


def file_limit(architecture: Mapping[str, Any], names: Iterable[str]) -> int:
    """The largest file a model of this architecture could plausibly be saved as, in bytes.

    Generous (4x the widest numbers, plus 64 KiB for hand edits), yet a 2 GB file or a
    parameter list meant for a far bigger network is refused before a byte is read.
    """
    need = len(json.dumps(architecture)) + sum(len(n) + 32 for n in names) + 256
    return 4 * need + 65536


def _read_bytes(name: str, path: str | os.PathLike[str], max_bytes: int,
                whole: bool = True) -> tuple[bytes, int]:
    """The file's first ``max_bytes`` (``whole``: all of it, refused if larger) and its size,
    if it is a regular file; never blocks."""
    try:
        st = os.stat(path)  # before opening: opening a device or FIFO can block or act
        if stat.S_ISREG(st.st_mode):
            fd = os.open(path, _O_READ)  # O_NONBLOCK: a FIFO swapped in now cannot block
            try:
                st = os.fstat(fd)
                if stat.S_ISREG(st.st_mode) and (st.st_size <= max_bytes or not whole):
                    with os.fdopen(fd, "rb", closefd=False) as f:
                        data = f.read(max_bytes + 1)
                    if len(data) <= max_bytes:
                        return data, st.st_size
                    if not whole:
                        return data[:max_bytes], max(st.st_size, len(data))
            finally:
                os.close(fd)
    except FileNotFoundError:
        raise ModelFileNotFound(f"model file {name!r} does not exist") from None
    except OSError as err:
        raise ModelFileError(f"model file {name!r} cannot be read: {err.strerror}") from None
    if not stat.S_ISREG(st.st_mode):
        link = f" (a link to {os.path.realpath(path)!r})" if os.path.islink(path) else ""
        raise ModelFileError(
            f"model file {name!r}{link} is {_kind(st.st_mode)}, not a regular file")
    raise ModelFileError(
        f"model file {name!r} is {max(st.st_size, max_bytes + 1):,} bytes or more, far larger "
        f"than a model file of this architecture (at most {max_bytes:,} bytes)")


def _kind(mode: int) -> str:
    kinds = ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a FIFO (named pipe)"),
             (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
             (stat.S_ISSOCK, "a socket"))
    return next((text for test, text in kinds if test(mode)), "not a file")


def _constant(text: str) -> Any:
    raise _Refused(f"holds {text}, which strict JSON forbids; model files hold finite numbers")


def _float(text: str) -> float:
    x = float(text)
    if not math.isfinite(x):
        raise _Refused(f"holds the number {short(text, 30)}, beyond the range of a float")
    return x


def _int(text: str) -> int:
    if len(text) > _MAX_DIGITS:
        raise _Refused(f"holds a number of {len(text):,} digits, beyond the range of a float")
    return int(text)


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    obj = dict(pairs)
    if len(obj) < len(pairs):
        seen: set[str] = set()
        dup = next(k for k, _ in pairs if k in seen or seen.add(k))  # type: ignore[func-returns-value]
        raise _Refused(f"has the key {short(dup)} twice in one object")
    return obj


def _parse(name: str, data: bytes) -> Any:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise ModelFileError(f"model file {name!r} is not a text (JSON) file: {e}") from None
    try:
        return json.loads(text, parse_constant=_constant, parse_float=_float, parse_int=_int,
                          object_pairs_hook=_object)
    except _Refused as e:
        raise ModelFileError(f"model file {name!r} {e}") from None
    except json.JSONDecodeError as e:
        raise ModelFileError(
            f"model file {name!r} is not valid JSON (truncated or corrupt?): {e}") from None
    except RecursionError:
        raise ModelFileError(
            f"model file {name!r} is nested too deeply to be a model file") from None


def read_model_file(path: str | os.PathLike[str],
                    max_bytes: int = DEFAULT_MAX_BYTES) -> dict[str, Any]:
    """Read, parse and check a model file's envelope; ``ModelFileError`` says what is wrong."""
    name = os.fspath(path)
    doc = _parse(name, _read_bytes(name, path, max_bytes)[0])
    return _check_envelope(name, doc)


def _check_envelope(name: str, doc: Any, need_state: bool = True) -> dict[str, Any]:
    """The parsed file, if its format tag, version and (nesting-checked) parts are right."""
    if not isinstance(doc, dict) or "format" not in doc:
        raise ModelFileError(f"model file {name!r} has no format tag: not a {FORMAT} file")
    if doc["format"] != FORMAT:
        raise ModelFileError(
            f"model file {name!r} has format tag {short(doc['format'])}, expected {FORMAT!r}")
    version = doc.get("version")
    if type(version) is not int or version < 1:
        raise ModelFileError(f"model file {name!r} has a bad version {short(version)}")
    if version > VERSION:
        raise ModelFileError(
            f"model file {name!r} is version {version}, newer than this library reads "
            f"({VERSION}); upgrade scalar-autograd")
    for key, kind in (("architecture", dict), ("state", dict))[:2 if need_state else 1]:
        if not isinstance(doc.get(key), kind):
            raise ModelFileError(f"model file {name!r} has no {key!r} object")
    if _nesting(doc["architecture"]) > _MAX_NESTING:
        raise ModelFileError(f"model file {name!r} has an architecture nested more than "
                             f"{_MAX_NESTING} levels deep: not one this library writes")
    return doc


def read_model_head(path: str | os.PathLike[str],
                    max_bytes: int = HEAD_BYTES) -> tuple[dict[str, Any], int]:
    """A model file's architecture and its size in bytes, reading at most ``max_bytes``.

    ``save`` writes the architecture before the weights, so a loader can check what the
    file declares -- and how large the file may be -- before reading the rest.
    """
    name = os.fspath(path)
    data, size = _read_bytes(name, path, max_bytes, whole=False)
    if len(data) >= size:  # the whole file: read it as any model file
        doc = _parse(name, data)
        return _check_envelope(name, doc, need_state=False)["architecture"], size
    text = codecs.getincrementaldecoder("utf-8-sig")().decode(data, final=False)
    head = _head_fields(name, text)
    if "architecture" not in head:
        raise ModelFileError(f"model file {name!r} has no architecture in its first "
                             f"{max_bytes:,} bytes (save writes it before the weights)")
    return _check_envelope(name, head, need_state=False)["architecture"], size


def _head_fields(name: str, text: str) -> dict[str, Any]:
    """The top-level fields of a JSON object up to and including ``architecture``."""
    decoder = json.JSONDecoder(parse_constant=_constant, parse_float=_float, parse_int=_int,
                               object_pairs_hook=_object)
    ws = json.decoder.WHITESPACE.match  # type: ignore[attr-defined]
    fields: dict[str, Any] = {}
    try:
        i = ws(text, 0).end()
        if text[i:i + 1] != "{":
            raise ModelFileError(f"model file {name!r} is not a JSON object")
        i += 1
        while "architecture" not in fields:
            i = ws(text, i).end()
            key, i = decoder.raw_decode(text, i)
            i = ws(text, i).end()
            if not isinstance(key, str) or text[i:i + 1] != ":":
                raise ModelFileError(f"model file {name!r} is not valid JSON near byte {i}")
            value, i = decoder.raw_decode(text, ws(text, i + 1).end())
            if key in fields:
                raise _Refused(f"has the key {short(key)} twice in one object")
            fields[key] = value
            i = ws(text, i).end()
            if text[i:i + 1] != ",":
                break
            i += 1
    except _Refused as e:
        raise ModelFileError(f"model file {name!r} {e}") from None
    except (json.JSONDecodeError, RecursionError):
        if "architecture" not in fields:
            raise ModelFileError(f"model file {name!r} has no architecture in its first "
                                 f"{len(text.encode()):,} bytes (save writes it before the "
                                 "weights), or is not valid JSON") from None
    return fields


def _nesting(obj: Any) -> int:
    """How deeply lists and objects nest in ``obj``, found without recursion."""
    deepest, stack = 0, [(obj, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, (dict, list)):
            deepest = max(deepest, depth)
            if depth <= _MAX_NESTING:
                stack += [(x, depth + 1) for x in (item.values() if isinstance(item, dict)
                                                   else item)]
    return deepest
