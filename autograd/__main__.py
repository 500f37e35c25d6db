"""``python -m autograd``: the same command line as the ``autograd`` script."""

from __future__ import annotations

from .cli import main

if __name__ == "__main__":
    raise SystemExit(main())
