"""One page's pending scene for the server-sent events: a newer scene replaces an unsent one.

A page that stops reading (a hidden tab, a stuck client) holds at most one scene here,
however fast Python publishes, instead of a queue that grows by every scene. A scene
that brought a new layout (``svg``) passes it on to the scene that replaces it, so the
page never draws numbers on a layout it was not sent. Used on the server's event loop
only (other threads hand scenes over with ``loop.call_soon_threadsafe``).
"""

from __future__ import annotations

import asyncio
from typing import Any

__all__ = ["SceneSlot"]


class SceneSlot:
    """The latest scene not yet sent to one page; ``dropped`` counts the ones replaced."""

    def __init__(self) -> None:
        self._scene: dict[str, Any] | None = None
        self._ready = asyncio.Event()
        self.dropped = 0

    @property
    def pending(self) -> int:
        """Scenes waiting: 0 or 1."""
        return int(self._scene is not None)

    def put(self, scene: dict[str, Any]) -> None:
        """Leave ``scene`` for the page, replacing any it has not read yet."""
        old = self._scene
        if old is not None:
            self.dropped += 1
            if "svg" in old and "svg" not in scene:
                scene = {**scene, "svg": old["svg"]}
        self._scene = scene
        self._ready.set()

    def wake(self) -> None:
        """Make a waiting ``get`` return now (with None when no scene is pending)."""
        self._ready.set()

    async def get(self, timeout: float) -> dict[str, Any] | None:
        """The pending scene, waiting up to ``timeout`` seconds for one (None: none came,
        or ``wake``)."""
        if self._scene is None:
            try:
                await asyncio.wait_for(self._ready.wait(), timeout)
            except asyncio.TimeoutError:
                return None
        scene, self._scene = self._scene, None
        self._ready.clear()
        return scene
