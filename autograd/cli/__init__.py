"""The ``autograd`` command: step, graph, check and demo from a terminal."""

from .commands import main

__all__ = ["main"]
