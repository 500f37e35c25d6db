"""Limits on what a client may send: body size, a sender's pace, and JSON's shape.

A body over ``max_body`` bytes gets a 413 (by its ``Content-Length`` before reading,
or once the streamed bytes pass the limit); a body that trickles in slower than
``BODY_TIMEOUT`` seconds per chunk gets a 408 and the connection closes. ``read_json``
refuses what ``json.loads`` would choke on or accept too gladly: nesting deeper than
``MAX_DEPTH`` (which would raise ``RecursionError``), ``NaN`` and ``Infinity``.

>>> read_json(b'{"action": "check", "args": {}}')
{'action': 'check', 'args': {}}
>>> read_json(b"[" * 100 + b"]" * 100)
Traceback (most recent call last):
...
autograd.lab.guard.body_limits.BadRequest: the JSON is nested 100 deep; at most 32 levels
"""

from __future__ import annotations

import asyncio
import json
import re
from typing import Any

from .respond import refuse

__all__ = ["BODY_TIMEOUT", "MAX_BODY", "MAX_DEPTH", "BadRequest", "BodyLimit", "read_json"]

MAX_BODY = 1 << 20  # bytes: an action is a few hundred; a model's every input, ~100 KB
MAX_DEPTH = 32  # JSON nesting; an action needs 3
BODY_TIMEOUT = 10.0  # seconds a client may take to send each chunk of a body
_STRINGS = re.compile(rb'"(?:[^"\\]|\\.)*"', re.S)
_BRACKETS = re.compile(rb"[\[\]{}]")


class BadRequest(ValueError):
    """A request body the lab will not read (the message says why)."""


def _depth(raw: bytes) -> int:
    deepest = level = 0
    for m in _BRACKETS.finditer(_STRINGS.sub(b'""', raw)):
        level += 1 if m.group() in (b"[", b"{") else -1
        deepest = max(deepest, level)
    return deepest


def _no_constant(name: str) -> Any:
    raise BadRequest(f"the JSON holds {name}; numbers must be finite")


def read_json(raw: bytes, max_depth: int = MAX_DEPTH) -> Any:
    """Parse a request body as JSON: nesting at most ``max_depth``, numbers finite."""
    depth = _depth(raw)
    if depth > max_depth:
        raise BadRequest(f"the JSON is nested {depth} deep; at most {max_depth} levels")
    try:
        data = json.loads(raw, parse_constant=_no_constant)
    except (ValueError, UnicodeDecodeError, RecursionError) as err:
        if isinstance(err, BadRequest):
            raise
        raise BadRequest("the request body must be JSON") from None
    if _infinite(data):
        raise BadRequest("the JSON holds a number too large for a float; numbers must be "
                         "finite")
    return data


def _infinite(data: Any) -> bool:
    """True when a number overflowed to infinity (``1e999``); walked without recursion."""
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, float) and item in (float("inf"), float("-inf")):
            return True
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


def _length(scope: Any) -> int | None:
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


class BodyLimit:
    """413 for a body over ``max_body`` bytes, 408 for one sent too slowly: the body is
    read here, whole, before the app runs, and handed to it as one message."""

    def __init__(self, app: Any, max_body: int = MAX_BODY, timeout: float | None = None
                 ) -> None:
        self.app, self.max_body, self._timeout = app, max_body, timeout

    @property
    def timeout(self) -> float:
        """Seconds allowed per chunk of a body (``BODY_TIMEOUT`` unless given)."""
        return BODY_TIMEOUT if self._timeout is None else self._timeout

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = _length(scope)
        if length is not None and length > self.max_body:
            await refuse(send, 413, f"413: the request body has {length:,} bytes; the lab "
                                    f"reads at most {self.max_body:,}", close=True)
            return
        chunks: list[bytes] = []
        read = 0
        while True:
            try:
                message = await asyncio.wait_for(receive(), self.timeout)
            except asyncio.TimeoutError:
                await refuse(send, 408, f"408: the request body took over {self.timeout:g} s "
                                        "to arrive", close=True)
                return
            if message["type"] != "http.request":  # the client left
                return
            chunks.append(message.get("body", b""))
            read += len(chunks[-1])
            if read > self.max_body:
                await refuse(send, 413, f"413: the request body is over {self.max_body:,} "
                                        "bytes", close=True)
                return
            if not message.get("more_body", False):
                break
        body: list[Any] = [{"type": "http.request", "body": b"".join(chunks),
                            "more_body": False}]

        async def replay() -> Any:
            return body.pop() if body else await receive()

        await self.app(scope, replay, send)
