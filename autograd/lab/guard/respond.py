"""A refusal as plain ASGI: a status and a JSON body saying why, never a traceback."""

from __future__ import annotations

import json
from typing import Any

__all__ = ["refuse"]


async def refuse(send: Any, status: int, message: str, close: bool = False) -> None:
    """Answer ``{"error": message}`` with ``status`` (``close``: end the connection)."""
    body = json.dumps({"error": message}).encode("utf-8")
    headers = [(b"content-type", b"application/json"),
               (b"content-length", str(len(body)).encode())]
    if close:
        headers.append((b"connection", b"close"))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
