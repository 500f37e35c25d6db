"""The lab's local server: the viewer page on 127.0.0.1, as Jupyter serves a notebook.

Starlette routes, served by uvicorn on a free port of 127.0.0.1 only. Every request must
carry the random token (``?token=`` in the URL the server prints, or the
``X-Lab-Token`` header the page sends), else 403. The page asks Python to act with
plain JSON over HTTP (``POST /api/action``: one request, one new scene back) and hears
about scenes Python publishes on its own through server-sent events (``GET /api/events``):
one-way pushes need no websocket. Ctrl-C stops it cleanly.

The server serves any *source* with ``scene(svg=True) -> dict`` and
``act(action, args) -> dict`` (a :class:`~autograd.lab.state.LabState`, or a live
training view); ``publish()`` pushes the source's current scene to every open page. The
page is the lab's one front-end module with a small model that talks to these routes.
"""

from __future__ import annotations

import asyncio
import json
import os
import secrets
import socket
import sys
import threading
import webbrowser
from typing import Any

from ..errors import AutogradError, MissingDependency
from .page import page
from .scene import Source, initial_model

__all__ = ["LabServer", "Source", "can_open_browser"]

_INSTALL = "pip install scalar-autograd[lab]"


def _starlette() -> Any:
    try:
        import starlette  # noqa: F401
        import uvicorn  # noqa: F401
    except ImportError as err:
        raise MissingDependency(f"the lab's local server needs starlette and uvicorn ({err.name} "
                                f"is missing); install them with: {_INSTALL}") from None


def can_open_browser() -> bool:
    """Whether a browser window can be opened here (a desktop session, not a bare terminal)."""
    if sys.platform in ("darwin", "win32"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


class LabServer:
    """The viewer for one source, on ``http://127.0.0.1:<free port>/?token=<random>``."""

    def __init__(self, source: Source, port: int = 0, token: str | None = None,
                 quiz: bool = False) -> None:
        _starlette()
        self.source = source
        self.quiz = quiz  # pages open in predict mode
        self.token = token or secrets.token_urlsafe(24)
        self.lock = threading.Lock()
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", port))
        self.sock.listen(128)  # connections wait in the queue until uvicorn serves them
        self.port = self.sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}/?token={self.token}"
        self._queues: set[asyncio.Queue[str]] = set()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._server: Any = None

    # -- pushing ---------------------------------------------------------------------------

    def publish(self, scene: dict[str, Any] | None = None) -> None:
        """Send a scene (default: the source's current one, numbers only) to every open
        page; safe to call from any thread, e.g. a training loop."""
        if scene is None:
            with self.lock:
                scene = self.source.scene(svg=False)
        text = json.dumps(scene, allow_nan=False, separators=(",", ":"))
        loop = self._loop
        if loop is None:
            return
        for queue in list(self._queues):
            loop.call_soon_threadsafe(queue.put_nowait, text)

    # -- the app ---------------------------------------------------------------------------

    def app(self) -> Any:
        """The Starlette application (token check first, then four routes)."""
        from starlette.applications import Starlette
        from starlette.middleware import Middleware
        from starlette.responses import HTMLResponse, JSONResponse, StreamingResponse
        from starlette.routing import Route

        server = self

        class TokenRequired:
            """403 for any request without the token (query ``token`` or ``X-Lab-Token``)."""

            def __init__(self, app: Any) -> None:
                self.app = app

            async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
                if scope["type"] == "http" and not server._allowed(scope):
                    response = JSONResponse({"error": "403 Forbidden: this lab needs its token; "
                                             "open the URL that autograd lab printed"},
                                            status_code=403)
                    await response(scope, receive, send)
                    return
                await self.app(scope, receive, send)

        async def index(request: Any) -> Any:
            with server.lock:
                scene = server.source.scene(svg=True)
            body = page(server.source.title, {"model": initial_model(scene, server.quiz),
                                              "token": server.token})
            return HTMLResponse(body, headers={"Cache-Control": "no-store"})

        async def state(request: Any) -> Any:
            with server.lock:
                return JSONResponse(server.source.scene(svg=True))

        async def action(request: Any) -> Any:
            try:
                body = await request.json()
            except (ValueError, UnicodeDecodeError):
                return JSONResponse({"error": "the request body must be JSON"}, status_code=400)
            if not isinstance(body, dict) or not isinstance(body.get("action"), str):
                return JSONResponse({"error": 'expected {"action": NAME, "args": {...}}'},
                                    status_code=400)
            loop = asyncio.get_running_loop()
            try:
                scene = await loop.run_in_executor(None, server._act, body["action"],
                                                   body.get("args"))
            except (AutogradError, ValueError, TypeError, ArithmeticError) as err:
                return JSONResponse({"error": str(err)}, status_code=400)
            server.publish(scene)
            return JSONResponse(scene)

        async def events(request: Any) -> Any:
            queue: asyncio.Queue[str] = asyncio.Queue()
            server._loop = asyncio.get_running_loop()
            server._queues.add(queue)

            async def stream() -> Any:
                try:
                    yield ": connected\n\n"
                    while not server._stopping():
                        try:
                            text = await asyncio.wait_for(queue.get(), timeout=0.5)
                        except asyncio.TimeoutError:
                            continue
                        yield f"event: scene\ndata: {text}\n\n"
                finally:
                    server._queues.discard(queue)

            return StreamingResponse(stream(), media_type="text/event-stream",
                                     headers={"Cache-Control": "no-store"})

        routes = [Route("/", index), Route("/api/state", state),
                  Route("/api/action", action, methods=["POST"]), Route("/api/events", events)]
        return Starlette(routes=routes, middleware=[Middleware(TokenRequired)])

    def _allowed(self, scope: Any) -> bool:
        from urllib.parse import parse_qs

        query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
        given = query.get("token", [""])[0]
        for name, value in scope.get("headers", []):
            if name == b"x-lab-token":
                given = value.decode("latin-1")
        return bool(given) and secrets.compare_digest(given.encode(), self.token.encode())

    def _act(self, action: str, args: Any) -> dict[str, Any]:
        with self.lock:
            return self.source.act(action, args if isinstance(args, dict) else {})

    def _stopping(self) -> bool:
        return self._server is not None and bool(self._server.should_exit)

    # -- running ---------------------------------------------------------------------------

    def run(self, open_browser: bool | None = None, quiet: bool = False) -> None:
        """Serve until Ctrl-C (or ``stop()``); print the URL and open a browser if there is
        one (``open_browser=None``: when a display is there)."""
        import uvicorn

        config = uvicorn.Config(self.app(), log_level="warning", lifespan="off",
                                timeout_graceful_shutdown=1, access_log=False)
        self._server = uvicorn.Server(config)
        if not quiet:
            print(f"autograd lab: serving {self.source.title}\n  {self.url}\n"
                  "  (only this machine can reach it; Ctrl-C stops it)", flush=True)
        if open_browser or (open_browser is None and can_open_browser()):
            threading.Timer(0.5, webbrowser.open, args=(self.url,)).start()
        try:
            self._server.run(sockets=[self.sock])
        finally:
            self.sock.close()

    def stop(self) -> None:
        """Ask a running server to shut down (from another thread)."""
        if self._server is not None:
            self._server.should_exit = True

    def start(self, open_browser: bool | None = None, quiet: bool = False) -> LabServer:
        """Serve from a background thread (a script or a notebook keeps running); returns
        the server, whose ``.url`` opens the page and ``.close()`` stops it."""
        thread = threading.Thread(target=self.run, name="autograd-lab-server", daemon=True,
                                  kwargs={"open_browser": open_browser, "quiet": quiet})
        self.thread = thread
        thread.start()
        return self

    def close(self) -> None:
        """Stop a server started with :meth:`start` and wait for it."""
        self.stop()
        thread = getattr(self, "thread", None)
        if thread is not None and thread is not threading.current_thread():
            thread.join(10)

    def __repr__(self) -> str:
        return f"<autograd lab server: {self.url} (.close() stops it)>"
