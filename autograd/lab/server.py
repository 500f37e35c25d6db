"""The lab's local server: the viewer page on 127.0.0.1, as Jupyter serves a notebook.

Starlette routes, served by uvicorn on a free port of 127.0.0.1 only. Every request must
carry the random token (``?token=`` in the URL the server prints, or the
``X-Lab-Token`` header the page sends), else 403. The page asks Python to act with
plain JSON over HTTP (``POST /api/action``: one request, one new scene back) and hears
about scenes Python publishes on its own through server-sent events (``GET /api/events``):
one-way pushes need no websocket. Ctrl-C stops it cleanly.

Every request first passes the guard (:mod:`autograd.lab.guard`): Host and Origin, the
token, body limits, security headers. The source is only ever touched from worker
threads, one at a time (``lock``), so a long action never stalls the event loop: other
requests, and Ctrl-C, are served meanwhile.

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
import time
import webbrowser
from collections.abc import Sequence
from typing import Any

from ..errors import AutogradError, MissingDependency
from .guard import (
    BadRequest,
    SceneSlot,
    Stopping,
    guarded,
    in_thread,
    lab_server,
    read_json,
    server_config,
)
from .page import page
from .scene import Source, controls, initial_model

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
    """The viewer for one source, on ``http://127.0.0.1:<free port>/?token=<random>``.

    ``run()`` serves in this thread until Ctrl-C or ``stop()``; ``start()`` serves from a
    background thread and ``close()`` (or leaving a ``with`` block) stops it and frees
    the port."""

    def __init__(self, source: Source, port: int = 0, token: str | None = None,
                 quiz: bool = False, hide: Sequence[str] = ()) -> None:
        _starlette()
        self.source = source
        self.quiz = quiz  # pages open in predict mode
        self.hide = controls(hide)  # controls pages do not show
        self.token = token or secrets.token_urlsafe(24)
        self.lock = threading.Lock()
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", port))
        self.sock.listen(128)  # connections wait in the queue until uvicorn serves them
        self.port = self.sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}/?token={self.token}"
        self.slots: set[SceneSlot] = set()
        self.pages = 0  # pages that opened the event stream so far
        self.page_opened = threading.Event()
        self.thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._server: Any = None

    # -- pushing ---------------------------------------------------------------------------

    def publish(self, scene: dict[str, Any] | None = None) -> None:
        """Send a scene (default: the source's current one, numbers only) to every open
        page; safe to call from any thread, e.g. a training loop. A page that has not
        read the previous scene yet gets only the newest."""
        if scene is None:
            with self.lock:
                scene = self.source.scene(svg=False)
        loop = self._loop
        if loop is None or not self.slots:
            return
        try:
            for box in list(self.slots):
                loop.call_soon_threadsafe(box.put, scene)
        except RuntimeError:  # the server's loop has closed: no page to tell
            pass

    # -- the app ---------------------------------------------------------------------------

    def _scene(self, svg: bool) -> dict[str, Any]:
        with self.lock:
            return self.source.scene(svg=svg)

    def _page(self) -> str:
        scene = self._scene(True)
        return page(self.source.title, {"model": initial_model(scene, self.quiz, self.hide),
                                        "token": self.token})

    def app(self) -> Any:
        """The ASGI application: the guard (Host, Origin, token, limits, headers) around
        four routes."""
        from starlette.applications import Starlette
        from starlette.responses import HTMLResponse, Response, StreamingResponse
        from starlette.routing import Route

        server = self

        def json_response(data: Any, status: int = 200) -> Any:
            try:
                text = json.dumps(data, allow_nan=False, separators=(",", ":"))
            except ValueError:
                status, text = 500, json.dumps({"error": "the scene holds a number that is "
                                                "not finite; the lab refused to send it"})
            return Response(text, status_code=status, media_type="application/json")

        def busy() -> Any:
            return json_response({"error": "503: the lab server is stopping"}, 503)

        async def index(request: Any) -> Any:
            try:
                return HTMLResponse(await in_thread(server._page))
            except Stopping:
                return busy()
        async def state(request: Any) -> Any:
            try:
                return json_response(await in_thread(server._scene, True))
            except Stopping:
                return busy()

        async def action(request: Any) -> Any:
            try:
                body = read_json(await request.body())
            except BadRequest as err:
                return json_response({"error": str(err)}, 400)
            if not isinstance(body, dict) or not isinstance(body.get("action"), str):
                return json_response({"error": 'expected {"action": NAME, "args": {...}}'}, 400)
            try:
                scene = await in_thread(server._act, body["action"], body.get("args"))
            except Stopping:
                return busy()
            except (AutogradError, ValueError, TypeError, ArithmeticError) as err:
                return json_response({"error": str(err)}, 400)
            server.publish(scene)
            return json_response(scene)

        async def events(request: Any) -> Any:
            box = SceneSlot()
            server.slots.add(box)
            server.pages += 1
            server.page_opened.set()

            async def stream() -> Any:
                try:
                    yield ": connected\n\n"
                    while not server.stopping():
                        scene = await box.get(timeout=0.5)
                        if scene is None:
                            continue
                        text = json.dumps(scene, allow_nan=False, separators=(",", ":"))
                        yield f"event: scene\ndata: {text}\n\n"
                except ValueError:  # a scene that is not JSON: the page keeps the last one
                    return
                finally:
                    server.slots.discard(box)

            return StreamingResponse(stream(), media_type="text/event-stream",
                                     headers={"Cache-Control": "no-store"})

        routes = [Route("/", index), Route("/api/state", state),
                  Route("/api/action", action, methods=["POST"]), Route("/api/events", events)]
        return guarded(Starlette(routes=routes), self.token)

    def _act(self, action: str, args: Any) -> dict[str, Any]:
        with self.lock:
            return self.source.act(action, args if isinstance(args, dict) else {})

    def _end_streams(self) -> None:
        """Shutdown: every event stream ends now (on the server's loop)."""
        for slot in list(self.slots):
            slot.wake()

    def stopping(self) -> bool:
        """True once the server has been asked to shut down."""
        return self._server is not None and bool(self._server.should_exit)

    # -- running ---------------------------------------------------------------------------

    def run(self, open_browser: bool | None = None, quiet: bool = False) -> None:
        """Serve until Ctrl-C (or ``stop()``); print the URL and open a browser if there is
        one (``open_browser=None``: when a display is there)."""
        self._server = lab_server(server_config(self.app()), on_stop=self._end_streams)
        self.announce(open_browser, quiet)
        try:
            asyncio.run(self._serve())
        finally:
            self._loop = None
            self.sock.close()

    def announce(self, open_browser: bool | None, quiet: bool) -> None:
        """Print the URL (unless ``quiet``) and open a browser on it if asked, or if there
        is a display (``open_browser=None``); the socket already listens."""
        if not quiet:
            print(f"autograd lab: serving {self.source.title}\n  {self.url}\n"
                  "  (only this machine can reach it; Ctrl-C stops it)", flush=True)
        if open_browser or (open_browser is None and can_open_browser()):
            threading.Timer(0.5, webbrowser.open, args=(self.url,)).start()

    async def _serve(self) -> None:
        self._loop = asyncio.get_running_loop()
        await self._server.serve(sockets=[self.sock])

    def start(self, open_browser: bool | None = None, quiet: bool = False) -> LabServer:
        """Serve from a background thread (a script or a notebook keeps running); returns
        the server, whose ``.url`` opens the page and ``.close()`` stops it."""
        self.announce(open_browser, quiet)  # here, so the URL prints before what follows
        thread = threading.Thread(target=self.run, name="autograd-lab-server", daemon=True,
                                  kwargs={"open_browser": False, "quiet": True})
        self.thread = thread
        thread.start()
        return self

    def stop(self) -> None:
        """Ask a running server to shut down (from another thread)."""
        if self._server is not None:
            self._server.should_exit = True

    def wait_for_page(self, timeout: float | None = None) -> bool:
        """Block until a page has opened (its event stream connected); False on timeout.
        Wakes often, so Ctrl-C gets through."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while not self.page_opened.wait(0.2):
            if deadline is not None and time.monotonic() > deadline:
                return False
        return True

    def close(self, timeout: float = 10.0) -> None:
        """Stop the server (open pages get the last published scene first, for up to a
        second), wait for its thread, free the port."""
        deadline = time.monotonic() + 1.0
        while any(box.pending for box in list(self.slots)) and time.monotonic() < deadline:
            time.sleep(0.02)
        self.stop()
        thread = self.thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout)
        if thread is None or not thread.is_alive():
            self.sock.close()

    def __enter__(self) -> LabServer:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<autograd lab server: {self.url} (.close() stops it)>"
