"""Model files: JSON with a format tag, a version, the architecture and the parameters.

Never pickle: a model file is plain text a reader can open, and loading it runs no code.
Files are written atomically (a temporary file in the same folder, then ``os.replace``),
so a crash mid-write never leaves a half-written model behind.

>>> import json
>>> sorted(json.loads(model_json({"class": "Neuron", "config": {}}, {"b": 0.5})))
['architecture', 'format', 'state', 'version']
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from autograd.errors import ModelFileError

__all__ = ["FORMAT", "VERSION", "model_json", "read_model_file", "write_atomic"]

FORMAT = "scalar-autograd.model"
VERSION = 1


def model_json(architecture: Mapping[str, Any], state: Mapping[str, float]) -> str:
    """The text of a model file: one parameter per line, so a diff reads well."""
    doc = {"format": FORMAT, "version": VERSION, "architecture": architecture, "state": state}
    return json.dumps(doc, indent=1) + "\n"


def write_atomic(path: str | os.PathLike[str], text: str) -> None:
    """Write ``text`` to ``path`` so that readers see the old file or the new one, never half."""
    target = Path(path)
    fd, tmp = tempfile.mkstemp(dir=target.parent or ".", prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, target)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def read_model_file(path: str | os.PathLike[str]) -> dict[str, Any]:
    """Parse and check a model file's envelope; the ``ModelFileError`` says what is wrong."""
    name = os.fspath(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except UnicodeDecodeError as e:
        raise ModelFileError(f"model file {name!r} is not a text (JSON) file: {e}") from None
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as e:
        raise ModelFileError(
            f"model file {name!r} is not valid JSON (truncated or corrupt?): {e}") from None
    if not isinstance(doc, dict) or "format" not in doc:
        raise ModelFileError(f"model file {name!r} has no format tag: not a {FORMAT} file")
    if doc["format"] != FORMAT:
        raise ModelFileError(
            f"model file {name!r} has format tag {doc['format']!r}, expected {FORMAT!r}")
    version = doc.get("version")
    if type(version) is not int or version < 1:
        raise ModelFileError(f"model file {name!r} has a bad version {version!r}")
    if version > VERSION:
        raise ModelFileError(
            f"model file {name!r} is version {version}, newer than this library reads "
            f"({VERSION}); upgrade scalar-autograd")
    for key, kind in (("architecture", dict), ("state", dict)):
        if not isinstance(doc.get(key), kind):
            raise ModelFileError(f"model file {name!r} has no {key!r} object")
    return doc
