"""The token check: every request carries the server's random token, else 403.

The token comes in the URL the server prints (``?token=``) or, from the page's own
scripts, in the ``X-Lab-Token`` header; it is compared in constant time.
"""

from __future__ import annotations

import secrets
from typing import Any
from urllib.parse import parse_qs

from .respond import refuse

__all__ = ["TokenRequired", "given_token"]


def given_token(scope: Any) -> str:
    """The token a request carries (the header wins over the query), or ``""``."""
    for name, value in scope.get("headers", []):
        if name == b"x-lab-token":
            return value.decode("latin-1")
    query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
    return query.get("token", [""])[0]


class TokenRequired:
    """403 for any HTTP request without the token."""

    def __init__(self, app: Any, token: str) -> None:
        self.app = app
        self.token = token.encode()

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            given = given_token(scope).encode("utf-8", "replace")
            if not given or not secrets.compare_digest(given, self.token):
                await refuse(send, 403, "403 Forbidden: this lab needs its token; open the "
                                        "URL that autograd lab printed")
                return
        await self.app(scope, receive, send)
