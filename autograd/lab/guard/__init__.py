"""The lab server's defences, as Jupyter's server has them: each one small ASGI layer.

A request passes, in order: the Host allow-list and the Origin check (:mod:`.origin`),
the token (:mod:`.token_check`), the body limits (:mod:`.body_limits`: size, a slow sender's
timeout), then the app; every response leaves with the security headers
(:mod:`.headers`: no framing, no sniffing, a content security policy that allows only
the page's own scripts and styles). :mod:`.serving` runs uvicorn: clients that never
finish their headers time out, long actions run off the event loop (:func:`in_thread`),
and shutdown leaves nothing behind to print a traceback. :mod:`.scene_slot` keeps a page
that stops reading its server-sent events to one pending scene, and :func:`read_json`
refuses deep or non-finite JSON with a 400.
"""

from __future__ import annotations

from typing import Any

from .body_limits import MAX_BODY, MAX_DEPTH, BadRequest, BodyLimit, read_json
from .headers import SecurityHeaders, content_security_policy
from .origin import LocalOnly, local_host
from .scene_slot import SceneSlot
from .serving import Stopping, in_thread, lab_server, server_config
from .token_check import TokenRequired

__all__ = ["MAX_BODY", "MAX_DEPTH", "BadRequest", "BodyLimit", "LocalOnly", "SceneSlot",
           "SecurityHeaders", "Stopping", "TokenRequired", "content_security_policy", "guarded",
           "in_thread", "lab_server", "local_host", "read_json", "server_config"]


def guarded(app: Any, token: str, max_body: int = MAX_BODY) -> Any:
    """``app`` behind every layer: headers outermost (so refusals carry them too), then
    Host and Origin, the token, and the body limits."""
    return SecurityHeaders(LocalOnly(TokenRequired(BodyLimit(app, max_body), token)))
