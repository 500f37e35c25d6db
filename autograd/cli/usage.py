"""``UsageError``: bad command-line usage that is not about the expression (exit status 2)."""

from __future__ import annotations

__all__ = ["UsageError"]


class UsageError(Exception):
    """Bad command-line usage that is not about the expression (exit status 2)."""
