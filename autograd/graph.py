"""The one walk over a graph, and how it stays undoable and one at a time.

``topo_order(root)`` is the single deterministic, iterative topological order that
backward, the stepper, the drawings, gradcheck and the CLI all share: children before
parents, the root last. Node ``#k`` everywhere in the project is index ``k`` in it.

The walk parks its visit marks in the nodes' ``grad`` slots (the fastest place there
is), which costs two things, both here: walks take turns across threads (:data:`WALK_LOCK`,
so two backward passes sharing parameters never lose an update), and an interrupted
walk is put back by :func:`rollback` while :class:`InterruptGuard` holds any further
Ctrl-C, so every ``.grad`` is as it was before or complete, never a mark.
"""

from __future__ import annotations

import _signal
import _thread
import threading
from collections import deque
from itertools import repeat
from typing import Any

from .node import Node, children_of, local_partials, materialize
from .ops import BINARY, CLOSURE, LEFT_CONST, RIGHT_CONST, TUPLE, UNARY

__all__ = ["MARKS", "WALK_LOCK", "InterruptGuard", "children_of", "local_partials", "rollback",
           "topo_order", "visit"]

# One walk at a time: the grad slots are its scratch space. Reentrant, so a hook that runs
# backward on another graph from inside backward still works.
WALK_LOCK = threading.RLock()


class _Mark:
    """A walk's visit mark, parked in a node's ``grad`` slot while the walk runs."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return f"<walk mark {self.name}>"


# "Placed" is a float 0.0 object of its own: recognisable by identity during the walk, and
# already the zero that backward starts each node's gradient from (no zeroing pass).
# Every placed node later gets a fresh float from ``+=``, so the mark never lingers.
_OPEN, _PLACED = _Mark("open"), float("0.0")
MARKS = (_OPEN, _PLACED)


def visit(order: list[Node], leaves: list[Node], stack: list[Node], kept: list[Node],
          olds: list[Any], readers: bool = False) -> None:
    """The walk behind ``topo_order``: from the nodes on ``stack``, append every reachable
    op node to ``order`` and leaf to ``leaves`` (the same list, for the interleaved
    order), children first, and record the nonzero grads it overwrites in ``kept``/
    ``olds`` (two lists, not pairs: no allocation the garbage collector tracks).

    Visited nodes are marked in their own ``grad`` slot instead of a dict or set (this
    walk is most of a backward pass, and slot writes are several times cheaper than
    hashing). On return every visited ``grad`` holds the placed mark, a 0.0 that the
    next walk would take for "visited": backward accumulates into it (``+=`` makes new
    floats), anyone else resets it, and the kept grads are put back. A leaf input is
    placed as soon as its turn comes, and a node whose inputs are all placed is placed
    at once, so neither goes through the stack. At every bytecode a marked node is in
    ``order``, ``leaves`` or on ``stack``, and an overwritten grad is in ``olds``, so
    :func:`rollback` can undo an interrupted walk. With ``readers``,
    folded numbers get their constant leaves first, so the order lists them; a folded
    node whose grad is already nonzero gets its leaf in any walk (see ``materialize``).
    """
    append, place, keep, keep_old = order.append, leaves.append, kept.append, olds.append
    OPEN, PLACED = _OPEN, _PLACED
    push, pop = stack.append, stack.pop
    while stack:
        node = stack[-1]
        g = node.grad
        if g is PLACED:
            pop()
            continue
        if g is OPEN:  # its inputs are all placed now
            append(node)
            node.grad = PLACED
            pop()
            continue
        if g:
            keep(node)
            keep_old(g)
        fn = node._fn
        if fn is None:
            place(node)
            node.grad = PLACED
            pop()
            continue
        layout = fn.layout
        if (readers or g) and (layout == RIGHT_CONST or layout == LEFT_CONST):
            materialize(node)  # readers list the number's leaf; a second backward needs it
            layout = BINARY
        if layout == BINARY:
            a = node._a
            ga = a.grad
            if ga is not OPEN and ga is not PLACED:
                if a._fn is not None:
                    node.grad = OPEN
                    b = node._b
                    if b.grad is not OPEN and b.grad is not PLACED:
                        push(b)
                    push(a)
                    continue
                if ga:
                    keep(a)
                    keep_old(ga)
                place(a)
                a.grad = PLACED
            b = node._b
            gb = b.grad
            if gb is not OPEN and gb is not PLACED:
                if b._fn is not None:
                    node.grad = OPEN
                    push(b)
                    continue
                if gb:
                    keep(b)
                    keep_old(gb)
                place(b)
                b.grad = PLACED
        elif layout == TUPLE or layout == CLOSURE:
            children = node._a
            for child in children:
                cg = child.grad
                if cg is not OPEN and cg is not PLACED:
                    if child._fn is not None:  # the rest waits on the stack
                        node.grad = OPEN
                        for rest in reversed(children[children.index(child):]):
                            if rest.grad is not OPEN and rest.grad is not PLACED:
                                push(rest)
                        break
                    if cg:
                        keep(child)
                        keep_old(cg)
                    place(child)
                    child.grad = PLACED
            else:
                append(node)
                node.grad = PLACED
                pop()
            continue
        else:  # one input in _a: a unary op, or a binary op holding a number
            a = node._a
            ga = a.grad
            if ga is not OPEN and ga is not PLACED:
                if a._fn is not None:
                    node.grad = OPEN
                    push(a)
                    if not ga:
                        _descend(a, readers, append, place, push, pop)
                    continue
                if ga:
                    keep(a)
                    keep_old(ga)
                place(a)
                a.grad = PLACED
        append(node)  # every input is placed
        node.grad = PLACED
        pop()


def _descend(a: Node, readers: bool, append: Any, place: Any, push: Any, pop: Any) -> None:
    """Walk down a run of one-input nodes (``((y * c + d).relu() ...)``) without going
    round the main loop: ``a``, on top of the stack and not yet visited, is handled as
    the main loop would, and so is each input below it while the run lasts."""
    OPEN, PLACED = _OPEN, _PLACED
    while True:
        layout = a._fn.layout
        if layout != UNARY and (readers or (layout != RIGHT_CONST and layout != LEFT_CONST)):
            return  # the main loop takes it from here
        child = a._a
        g = child.grad
        if g is OPEN or g is PLACED:
            append(a)
            a.grad = PLACED
            pop()
            return
        if child._fn is None and not g:
            place(child)
            child.grad = PLACED
            append(a)
            a.grad = PLACED
            pop()
            return
        a.grad = OPEN
        push(child)
        if g or child._fn is None:  # a grad to keep: the main loop does that
            return
        a = child


def topo_order(root: Node) -> list[Node]:
    """Every node reachable from ``root``, each once, children before parents.

    The same order a recursive depth-first post-order walk gives (inputs visited left
    to right), computed with an explicit stack so a 1,000,000-deep chain is fine.
    Interrupted (Ctrl-C, any number of times), it leaves every ``.grad`` as it was.
    """
    order: list[Node] = []
    stack, kept, olds = [root], [], []
    guard = InterruptGuard()
    guard.hold(WALK_LOCK)
    try:
        guard.open()
        visit(order, order, stack, kept, olds, readers=True)
        _unmark(order, kept, olds)
    except BaseException:
        guard.closing = True  # from here a Ctrl-C waits for release (no call before it)
        rollback(order, stack, kept, olds)
        raise
    finally:
        guard.closing = True
        guard.release(WALK_LOCK)
    return order


def _unmark(order: list[Node], kept: list[Node], olds: list[Any]) -> None:
    """Put back the grads the walk parked its marks over (rollback may redo this)."""
    for node in order:
        node.grad = 0.0
    for node, g in zip(kept, olds):
        node.grad = g


_consume = deque(maxlen=0).extend  # runs an iterator to its end, in C


def rollback(order: list[Any], stack: list[Any], kept: list[Any], olds: list[Any]) -> None:
    """Undo an interrupted walk or backward: every ``.grad`` back to its value before it.

    ``order`` holds the nodes the walk placed (their grads are marks or this call's
    gradients), ``stack`` may hold nodes marked open, and ``kept``/``olds`` the nonzero
    gradients the walk overwrote; every other visited node started at 0.0. Called with
    an :class:`InterruptGuard` holding, so a further Ctrl-C cannot split it.
    """
    opened = [node for node in stack if node.grad is _OPEN or node.grad is _PLACED]
    _consume(map(setattr, order, repeat("grad"), repeat(0.0)))
    _consume(map(setattr, opened, repeat("grad"), repeat(0.0)))
    _consume(map(setattr, kept, repeat("grad"), olds))


_MAIN = threading.main_thread().ident
_DEFAULT = _signal.default_int_handler


class InterruptGuard:
    """Ctrl-C during one walk: the first one raises ``KeyboardInterrupt`` at once, every
    later one is held until :meth:`release`, so the rollback it triggers runs to its end.

    Python runs signal handlers between bytecodes, so a second Ctrl-C could otherwise
    land in the ``except`` clause before the rollback starts. The guard's handler is
    installed for the walk (main thread only, and only over Python's default handler;
    elsewhere no ``KeyboardInterrupt`` can arrive or the user's handler decides). The
    guard also takes and gives back the walk's lock while every Ctrl-C is held, so no
    interrupt can leave the lock taken (``with lock:`` has such a window). Use::

        guard = InterruptGuard()
        guard.hold(WALK_LOCK)  # Ctrl-C held from here; the lock is ours
        try:
            guard.open()  # from here the first Ctrl-C raises (one held meanwhile, now)
            ...  # the walk
        except BaseException:
            guard.closing = True  # a plain store: no Ctrl-C can land before it
            rollback(...)
            raise
        finally:
            guard.closing = True
            guard.release(WALK_LOCK)
    """

    __slots__ = ("installed", "fired", "closing", "pending")

    def __init__(self) -> None:
        self.installed = self.fired = self.closing = self.pending = False

    def hold(self, lock: Any) -> None:
        """Hold every Ctrl-C (the handler goes in, in the main thread, over Python's default
        one), then take ``lock``. A Ctrl-C before the handler is in raises with nothing
        taken; once it is in, the Python handler that runs is this guard's."""
        self.closing = True
        if _thread.get_ident() == _MAIN and _signal.getsignal(_signal.SIGINT) is _DEFAULT:
            self.installed = True
            _signal.signal(_signal.SIGINT, self._on_sigint)
        lock.acquire()

    def open(self) -> None:
        """From here the first Ctrl-C raises at once; one held during the set-up, now."""
        self.closing = False
        if self.pending:
            self.pending, self.fired = False, True
            raise KeyboardInterrupt

    def _on_sigint(self, signum: int, frame: Any) -> None:
        if self.fired or self.closing:
            self.pending = True
            return
        self.fired = True
        raise KeyboardInterrupt

    def release(self, lock: Any) -> None:
        """Give ``lock`` back while Ctrl-C is still held, then put Python's handler back; a
        Ctrl-C held after a clean finish is raised now."""
        lock.release()
        if not self.installed:
            return
        _signal.signal(_signal.SIGINT, _DEFAULT)
        self.installed = False
        if self.pending and not self.fired:
            _DEFAULT(_signal.SIGINT, None)
