"""The package's version where TensorFlow keeps it: ``tf.version.VERSION``.

>>> VERSION == __version__
True
"""

from __future__ import annotations

from autograd import __version__

__all__ = ["VERSION", "__version__"]

VERSION = __version__
