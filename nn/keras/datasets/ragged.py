"""Keras' ragged word-id arrays (``x_train`` of ``imdb.npz``, ``x`` of ``reuters.npz``: an
object array of int lists) read as data, never unpickled.

numpy stores such an array as a pickle stream. Here only the few opcodes that stream
uses for an array of int lists are interpreted, as data: names (numpy's array
reconstruction) are kept as strings and never imported, calls are recorded and never
made. Any other opcode, any other name, or an element that is not a list of ints is a
:class:`~autograd.errors.DatasetError`, so a hostile file can run nothing.
"""

from __future__ import annotations

import math
import struct
from typing import Any

from autograd.errors import DatasetError

__all__ = ["read_lists"]

_NAMES = {"numpy.core.multiarray._reconstruct", "numpy._core.multiarray._reconstruct",
          "numpy.ndarray", "numpy.dtype"}
_RECONSTRUCT = ("numpy.core.multiarray._reconstruct", "numpy._core.multiarray._reconstruct")


class _Call:
    """A call the stream asks for, recorded (never made), with the state BUILD gives it."""

    __slots__ = ("name", "args", "state")

    def __init__(self, name: str, args: Any) -> None:
        self.name, self.args, self.state = name, args, None


class _Mark:
    __slots__ = ()


_MARK = _Mark()
_FIXED = {b"K": "<B", b"M": "<H", b"J": "<i"}  # BININT1, BININT2, BININT
_SIZED = {b"\x8c": ("<B", "str"), b"X": ("<I", "str"), b"U": ("<B", "latin"),
          b"T": ("<I", "latin"), b"C": ("<B", "bytes"), b"B": ("<I", "bytes")}


def read_lists(data: bytes, shape: tuple[int, ...], where: str) -> list[list[int]]:
    """The lists of ints a numpy object array of ``shape`` holds, from its pickle stream."""
    stack: list[Any] = []
    memo: dict[int, Any] = {}
    pos, end = 0, len(data)

    def take(n: int) -> bytes:
        nonlocal pos
        if pos + n > end:
            raise DatasetError(f"{where}: the array's data ends early")
        chunk = data[pos:pos + n]
        pos += n
        return chunk

    def pop_mark() -> list[Any]:
        for i in range(len(stack) - 1, -1, -1):
            if stack[i] is _MARK:
                items = stack[i + 1:]
                del stack[i:]
                return items
        raise DatasetError(f"{where}: the array's data is malformed (no mark)")

    try:
        while True:
            op = take(1)
            if op == b".":
                break
            if op in _FIXED:
                fmt = _FIXED[op]
                stack.append(struct.unpack(fmt, take(struct.calcsize(fmt)))[0])
            elif op in _SIZED:
                fmt, kind = _SIZED[op]
                raw = take(struct.unpack(fmt, take(struct.calcsize(fmt)))[0])
                stack.append(raw if kind == "bytes" else raw.decode(
                    "utf-8" if kind == "str" else "latin-1"))
            elif op == b"\x8a":  # LONG1
                stack.append(int.from_bytes(take(take(1)[0]), "little", signed=True))
            elif op == b"\x80":  # PROTO
                take(1)
            elif op == b"\x95":  # FRAME
                take(8)
            elif op in (b"\x94", b"q", b"r"):  # MEMOIZE, BINPUT, LONG_BINPUT
                key = len(memo) if op == b"\x94" else \
                    take(1)[0] if op == b"q" else struct.unpack("<I", take(4))[0]
                memo[key] = stack[-1]
            elif op in (b"h", b"j"):  # BINGET, LONG_BINGET
                key = take(1)[0] if op == b"h" else struct.unpack("<I", take(4))[0]
                stack.append(memo[key])
            elif op in (b"\x93", b"c"):  # STACK_GLOBAL, GLOBAL: a name, kept as text
                if op == b"c":
                    module, _, rest = data[pos:pos + 200].partition(b"\n")
                    name_, _, _ = rest.partition(b"\n")
                    take(len(module) + len(name_) + 2)
                    name = f"{module.decode('latin-1')}.{name_.decode('latin-1')}"
                else:
                    qual, module = stack.pop(), stack.pop()
                    name = f"{module}.{qual}"
                if name not in _NAMES:
                    raise DatasetError(f"{where}: the array names {name!r}, which an array "
                                       "of word-id lists does not; refused, never imported")
                stack.append(name)
            elif op == b"R":  # REDUCE: recorded, never called
                args = stack.pop()
                stack.append(_Call(stack.pop(), args))
            elif op == b"b":  # BUILD
                state = stack.pop()
                if not isinstance(stack[-1], _Call):
                    raise DatasetError(f"{where}: the array's data is malformed (build)")
                stack[-1].state = state
            elif op == b"(":
                stack.append(_MARK)
            elif op == b"]":
                stack.append([])
            elif op == b"a":
                item = stack.pop()
                stack[-1].append(item)
            elif op == b"e":
                items = pop_mark()
                stack[-1].extend(items)
            elif op == b"t":
                stack.append(tuple(pop_mark()))
            elif op == b")":
                stack.append(())
            elif op in (b"\x85", b"\x86", b"\x87"):
                n = op[0] - 0x84
                items = stack[-n:]
                del stack[-n:]
                stack.append(tuple(items))
            elif op in (b"N", b"\x88", b"\x89"):
                stack.append({b"N": None, b"\x88": True, b"\x89": False}[op])
            else:
                raise DatasetError(f"{where}: byte {pos - 1} of the array's data is pickle "
                                   f"opcode {op!r}, which an array of word-id lists does not "
                                   "use; refused (nothing was run)")
    except (IndexError, KeyError, AttributeError, TypeError, struct.error,
            UnicodeDecodeError) as e:
        if isinstance(e, DatasetError):
            raise
        raise DatasetError(f"{where}: the array's data is malformed near byte {pos}") from None
    return _lists(stack, shape, where)


def _lists(stack: list[Any], shape: tuple[int, ...], where: str) -> list[list[int]]:
    top = stack[-1] if len(stack) == 1 else None
    state = top.state if isinstance(top, _Call) and top.name in _RECONSTRUCT else None
    items = state[4] if isinstance(state, tuple) and len(state) == 5 else None
    if not isinstance(items, list) or len(items) != math.prod(shape):
        raise DatasetError(f"{where}: the data is not an object array of {shape} elements")
    for i, row in enumerate(items):
        if not isinstance(row, list) or not all(
                type(w) is int and w >= 0 for w in row):
            raise DatasetError(f"{where}: element {i} is not a list of word ids (ints >= 0)")
    return items
