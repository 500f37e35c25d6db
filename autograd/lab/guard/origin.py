"""Host allow-list and Origin check: the lab answers this machine's own pages only.

A ``Host`` that names another machine means a DNS-rebinding page (``evil.example``
resolved to 127.0.0.1); an ``Origin`` other than the page's own means another site's
script. Both get a 403, as Jupyter's server does. Requests without ``Origin`` (a
command-line client, a same-origin ``GET``) pass on to the token check.

>>> local_host("127.0.0.1:8765"), local_host("[::1]:80"), local_host("LocalHost")
(True, True, True)
>>> local_host("evil.example:8765"), local_host("127.0.0.1.evil.example"), local_host("")
(False, False, False)
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from .respond import refuse

__all__ = ["LOCAL", "LocalOnly", "local_host"]

LOCAL = frozenset({"127.0.0.1", "localhost", "::1"})


def _hostname(host: str) -> str | None:
    """The name part of a ``Host`` header (``[::1]:80`` -> ``::1``); None if malformed."""
    try:
        parts = urlsplit("//" + host)
        parts.port  # noqa: B018  (raises on a port that is not a number)
    except ValueError:
        return None
    if parts.username is not None or parts.password is not None or parts.path:
        return None
    return (parts.hostname or "").lower()


def local_host(host: str) -> bool:
    """True when a ``Host`` header names this machine (any port)."""
    return _hostname(host.strip()) in LOCAL


def _same_origin(origin: str, host: str) -> bool:
    try:
        parts = urlsplit(origin)
    except ValueError:
        return False
    return parts.scheme == "http" and parts.netloc.lower() == host.strip().lower() \
        and not parts.path


def _header(scope: Any, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key == name:
            return value.decode("latin-1")
    return None


class LocalOnly:
    """403 unless ``Host`` is 127.0.0.1, localhost or [::1] (any port) and ``Origin``,
    when sent, is the page's own; a cross-site fetch (``Sec-Fetch-Site``) is refused."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        problem = self.problem(scope)
        if problem:
            await refuse(send, 403, f"403 Forbidden: {problem}")
            return
        await self.app(scope, receive, send)

    @staticmethod
    def problem(scope: Any) -> str:
        """Why the request is refused, or ``""``."""
        host = _header(scope, b"host")
        if host is None or not local_host(host):
            return (f"the Host {host!r} is not this machine; the lab answers only "
                    "127.0.0.1, localhost and [::1]")
        origin = _header(scope, b"origin")
        if origin is not None and not _same_origin(origin, host):
            return f"requests from {origin!r} are refused; only the lab's own page may call it"
        site, mode = _header(scope, b"sec-fetch-site"), _header(scope, b"sec-fetch-mode")
        if site == "cross-site" and mode != "navigate":
            return "requests from another site's page are refused"
        return ""
