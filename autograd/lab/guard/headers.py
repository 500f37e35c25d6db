"""Security headers on every response, and a content security policy made from the page.

No other site may frame the lab (``frame-ancestors 'none'``, ``X-Frame-Options``), the
browser may not guess content types (``nosniff``), no URL (with its token) leaks in a
``Referer``, and a page runs only its own code: the policy lists a SHA-256 hash of each
inline ``<script>`` and ``<style>`` of the very page sent, and files from the server
itself (``'self'``); anything injected into the page is refused by the browser.

>>> policy = content_security_policy("<style>p{}</style><script>go()</script>")
>>> "script-src 'self' 'sha256-" in policy and "'unsafe-inline'" not in policy
True
"""

from __future__ import annotations

import base64
import hashlib
import re
from typing import Any

__all__ = ["BASE_POLICY", "HEADERS", "SecurityHeaders", "content_security_policy"]

HEADERS = ((b"x-content-type-options", b"nosniff"), (b"x-frame-options", b"DENY"),
           (b"referrer-policy", b"no-referrer"), (b"cross-origin-opener-policy", b"same-origin"),
           (b"cross-origin-resource-policy", b"same-origin"))
BASE_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
_INLINE = re.compile(r"<(script|style)\b([^>]*)>(.*?)</\1\s*>", re.S | re.I)
_DATA_TYPE = re.compile(r"""\btype\s*=\s*["']?application/(?:ld\+)?json""", re.I)


def _digest(text: str) -> str:
    raw = hashlib.sha256(text.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(raw).decode()}'"


def content_security_policy(page: str) -> str:
    """The policy for one HTML page: its own inline scripts and styles (by hash) and
    the server's own files; no other source, no framing."""
    scripts, styles = [], []
    for tag, attrs, body in _INLINE.findall(page):
        if tag.lower() == "style":
            styles.append(_digest(body))
        elif "src=" not in attrs.lower() and not _DATA_TYPE.search(attrs):
            scripts.append(_digest(body))
    return "; ".join([
        BASE_POLICY, " ".join(["script-src 'self'", *dict.fromkeys(scripts)]),
        " ".join(["style-src 'self'", *dict.fromkeys(styles)]),
        "img-src 'self' data:", "font-src 'self'", "connect-src 'self'"])


class SecurityHeaders:
    """Adds the headers to every HTTP response; an HTML page's policy is computed from
    its body (buffered: pages are sent whole), any other response gets ``BASE_POLICY``."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start: dict[str, Any] = {}
        chunks: list[bytes] = []

        async def guarded_send(message: Any) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", [])
                           if k.lower() not in {name for name, _ in HEADERS}]
                headers += list(HEADERS)
                if not any(k.lower() == b"cache-control" for k, _ in headers):
                    headers.append((b"cache-control", b"no-store"))
                message = {**message, "headers": headers}
                if _is_html(headers):
                    start.update(message)  # held until the body is known
                    return
                await send(_with_policy(message, BASE_POLICY))
                return
            if start and message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
                if message.get("more_body"):
                    return
                body = b"".join(chunks)
                policy = content_security_policy(body.decode("utf-8", "replace"))
                headers = [(k, v) for k, v in start["headers"] if k.lower() != b"content-length"]
                headers.append((b"content-length", str(len(body)).encode()))
                await send(_with_policy({**start, "headers": headers}, policy))
                await send({"type": "http.response.body", "body": body})
                return
            await send(message)

        await self.app(scope, receive, guarded_send)


def _is_html(headers: list[tuple[bytes, bytes]]) -> bool:
    return any(k.lower() == b"content-type" and v.lower().startswith(b"text/html")
               for k, v in headers)


def _with_policy(message: dict[str, Any], policy: str) -> dict[str, Any]:
    headers = [(k, v) for k, v in message["headers"] if k.lower() != b"content-security-policy"]
    return {**message, "headers": headers + [(b"content-security-policy", policy.encode())]}
