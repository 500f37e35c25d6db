"""Headless Debian chromium for the page tests (never a downloaded browser), and what
the tests read off a page: console errors, box texts, bounding boxes."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"


@contextlib.contextmanager
def chromium_page(width: int = 1280, height: int = 720) -> Iterator[tuple[Any, list[str]]]:
    """A fresh page in headless chromium and the list its console errors go to."""
    from playwright.sync_api import sync_playwright

    problems: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": width, "height": height})
            page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: problems.append(str(e)))
            yield page, problems
        finally:
            browser.close()


def screenshot(page: Any, name: str) -> Path:
    """Save a screenshot under tests/artifacts/ (gitignored) and return its path."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / name
    page.screenshot(path=str(path))
    return path


def field_text(page: Any, box: str, field: str) -> str:
    """The text of one field (``data``, ``grad``) of a box in the viewer's drawing."""
    return page.evaluate(
        """([box, field]) => { const g = document.querySelector(`g.node[id="${box}"]`);
             const t = Array.from(g.querySelectorAll('text'))
               .find(t => t.textContent.startsWith(field + ' '));
             return t ? t.textContent.slice(field.length + 1) : null; }""", [box, field])


def wait_until(page: Any, expression: str, timeout: float = 15_000) -> None:
    """Wait until a JavaScript expression is truthy on the page. Unlike
    ``page.wait_for_function`` it needs no ``eval`` in the page, so it works under the
    lab server's content security policy (which refuses ``eval``)."""
    import time

    deadline = time.monotonic() + timeout / 1000
    while not page.evaluate(expression):
        if time.monotonic() > deadline:
            raise TimeoutError(f"still false after {timeout / 1000:g} s: {expression}")
        page.wait_for_timeout(50)

