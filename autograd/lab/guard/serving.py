"""How uvicorn runs the lab: its settings, an HTTP protocol with a deadline for headers,
and a server whose shutdown leaves no request behind (so Ctrl-C prints no traceback).

uvicorn closes idle keep-alive connections, but a client that opens a connection and
sends its request line a byte at a time (or nothing) would hold it forever; here a
request's headers must be complete within ``HEADER_TIMEOUT`` seconds of its first byte
(or of the connection), else the connection is closed. Bodies have their own deadline
(:mod:`.body_limits`); at most ``MAX_CONNECTIONS`` requests run at once (more get a 503).
At shutdown requests still waiting for a worker thread are answered 503
(:func:`in_thread`), event streams end cleanly, and after half a second the connections
left are cut (a page that stopped reading would otherwise hold the server), so no task is
left to cancel.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from typing import Any

__all__ = ["HEADER_TIMEOUT", "MAX_CONNECTIONS", "Stopping", "in_thread", "lab_server",
           "server_config"]

HEADER_TIMEOUT = 10.0
MAX_CONNECTIONS = 100
KEEP_ALIVE = 5
GRACE = 0.5  # seconds open responses get to finish at shutdown before being cut


def _protocol() -> type:
    from uvicorn.protocols.http.h11_impl import H11Protocol

    class DeadlineProtocol(H11Protocol):
        """H11Protocol that closes a connection whose request headers do not arrive in time."""

        _deadline: Any = None

        def connection_made(self, transport: Any) -> None:  # type: ignore[override]
            super().connection_made(transport)
            self._arm()

        def data_received(self, data: bytes) -> None:
            if self.cycle is None or self.cycle.response_complete:
                self._arm(restart=False)  # bytes of a new request: its headers are due
            super().data_received(data)
            if self.cycle is not None and not self.cycle.response_complete:
                self._disarm()  # the headers are in: the app (and its deadlines) take over

        def connection_lost(self, exc: Exception | None) -> None:
            self._disarm()
            super().connection_lost(exc)

        def on_response_complete(self) -> None:
            super().on_response_complete()  # uvicorn's keep-alive timer covers the idle wait

        def _arm(self, restart: bool = True) -> None:
            if self._deadline is not None and not restart:
                return
            self._disarm()
            self._deadline = self.loop.call_later(HEADER_TIMEOUT, self._too_slow)

        def _disarm(self) -> None:
            if self._deadline is not None:
                self._deadline.cancel()
                self._deadline = None

        def _too_slow(self) -> None:
            self._deadline = None
            if self.cycle is None or self.cycle.response_complete:
                if not self.transport.is_closing():
                    self.transport.close()

    return DeadlineProtocol


def server_config(app: Any, **options: Any) -> Any:
    """A ``uvicorn.Config`` for the lab: quiet logs, no lifespan, short keep-alive,
    header deadline, bounded concurrency, one second of grace at shutdown."""
    import uvicorn

    settings = {"log_level": "warning", "lifespan": "off", "access_log": False,
                "timeout_keep_alive": KEEP_ALIVE, "timeout_graceful_shutdown": 1,
                "limit_concurrency": MAX_CONNECTIONS, "http": _protocol(), "ws": "none",
                **options}
    return uvicorn.Config(app, **settings)


class Stopping(RuntimeError):
    """The server is shutting down: the request's answer will not be sent."""


_PENDING: dict[asyncio.AbstractEventLoop, set[asyncio.Future[Any]]] = {}


async def in_thread(fn: Callable[..., Any], *args: Any) -> Any:
    """Run ``fn(*args)`` in a daemon thread and await its result: the event loop keeps
    serving meanwhile, and neither shutdown nor the interpreter's exit waits for it."""
    loop = asyncio.get_running_loop()
    future: asyncio.Future[Any] = loop.create_future()
    pending = _PENDING.setdefault(loop, set())
    pending.add(future)

    def settle(result: Any, error: BaseException | None) -> None:
        if not future.done():
            if error is None:
                future.set_result(result)
            else:
                future.set_exception(error)

    def work() -> None:
        try:
            result, error = fn(*args), None
        except BaseException as err:  # handed to the awaiting request, never lost
            result, error = None, err
        try:
            loop.call_soon_threadsafe(settle, result, error)
        except RuntimeError:  # the loop closed meanwhile: nobody waits for the answer
            pass

    threading.Thread(target=work, daemon=True, name="autograd-lab-action").start()
    try:
        return await future
    finally:
        pending.discard(future)


def lab_server(config: Any, on_stop: Callable[[], None] | None = None) -> Any:
    """A ``uvicorn.Server`` whose shutdown answers requests still waiting for their
    thread with :class:`Stopping`, calls ``on_stop`` (which ends the event streams, so
    their pages see a clean end), gives responses ``GRACE`` seconds to finish, then cuts
    the connections left (a client that stopped reading)."""
    import uvicorn

    class LabUvicorn(uvicorn.Server):
        async def shutdown(self, sockets: Any = None) -> None:
            loop = asyncio.get_running_loop()
            for future in list(_PENDING.get(loop, ())):
                if not future.done():
                    future.set_exception(Stopping("the lab server is stopping"))
            if on_stop is not None:
                on_stop()
            deadline = loop.time() + GRACE
            while self.server_state.tasks and loop.time() < deadline:
                await asyncio.sleep(0.02)
            for connection in list(self.server_state.connections):
                transport = getattr(connection, "transport", None)
                if transport is not None and not transport.is_closing():
                    transport.abort()
            try:
                await super().shutdown(sockets)
            finally:
                _PENDING.pop(loop, None)

    return LabUvicorn(config)
