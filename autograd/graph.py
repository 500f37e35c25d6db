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
_HALF = _Mark("first input placed")  # a binary node whose second input is still to do
MARKS = (_OPEN, _HALF, _PLACED)


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
    at once, so neither goes through the stack; a run of one-input nodes
    (``((y * c + d).relu() ...)``) is walked down in an inner loop and, once its last
    input is placed, moved from the stack to ``order`` in one step; a binary node whose
    first input needs the stack is marked half-done, and when it comes round again its
    second input, if a leaf or a binary node over placed nodes and leaves (the ``w * x``
    of ``acc + w * x``), is placed there and then. Down a fold's spine (binary nodes, each
    the first input of the next) the half-done nodes are pushed in an inner loop, and when
    the bottom one's first input is placed or a leaf, backward's walk comes back up the
    whole spine at once (:func:`_back_up`). At every bytecode a
    marked node is in ``order``, ``leaves`` or on ``stack``, or is a leaf whose
    overwritten grad is in ``kept``/``olds`` (without ``readers``, such a second input
    is not listed in ``leaves`` too: its grad is put back from ``olds`` anyway), and
    every overwritten grad is in ``olds``, so :func:`rollback` can undo an interrupted
    walk. With ``readers``,
    folded numbers get their constant leaves first, so the order lists them; a folded
    node whose grad is already nonzero gets its leaf in any walk (see ``materialize``).

    An input is never marked open while its node is visited (that would be a cycle), so
    inputs are tested against the placed mark only. Lists grow by ``lst.append(x)`` written
    out, which CPython 3.11 turns into an in-place append (a bound ``append`` kept in a local
    is a call each time).
    """
    OPEN, HALF, PLACED = _OPEN, _HALF, _PLACED
    pop = stack.pop
    while stack:
        node = stack[-1]
        g = node.grad
        if g is HALF:  # a binary node back from its first input: the second one's turn
            b = node._b
        else:
            if g is OPEN:  # its inputs are all placed now
                order.append(node)
                node.grad = PLACED
                pop()
                continue
            if g is PLACED:
                pop()
                continue
            if g:
                kept.append(node)
                olds.append(g)
            fn = node._fn
            if fn is None:
                leaves.append(node)
                node.grad = PLACED
                pop()
                continue
            layout = fn.layout
            if layout == BINARY:
                pass  # below the other layouts, which each end with ``continue``
            elif (readers or g) and (layout == RIGHT_CONST or layout == LEFT_CONST):
                materialize(node)  # readers list the number's leaf; a second backward needs
                # it; the node is binary now
            elif layout == TUPLE or layout == CLOSURE:
                children = node._a
                for child in children:
                    cg = child.grad
                    if cg is not PLACED:
                        if child._fn is not None:  # the rest waits on the stack
                            node.grad = OPEN
                            for rest in reversed(children[children.index(child):]):
                                if rest.grad is not PLACED:
                                    stack.append(rest)
                            break
                        if cg:
                            kept.append(child)
                            olds.append(cg)
                        leaves.append(child)
                        child.grad = PLACED
                else:
                    order.append(node)
                    node.grad = PLACED
                    pop()
                continue
            else:  # one input in _a: a unary op, or a binary op holding a number
                a = node._a
                ga = a.grad
                if ga is not PLACED:
                    fa = a._fn
                    if fa is not None:
                        layout = fa.layout
                        if layout != UNARY and (readers or ga or (
                                layout != RIGHT_CONST and layout != LEFT_CONST)):
                            node.grad = OPEN
                            stack.append(a)
                            continue
                        # A run of one-input nodes: each is placed and pushed as it is reached
                        start = len(stack) - 1
                        node.grad = PLACED
                        while True:
                            if ga:
                                kept.append(a)
                                olds.append(ga)
                            a.grad = PLACED
                            stack.append(a)
                            a = a._a
                            ga = a.grad
                            if ga is PLACED:
                                break
                            fa = a._fn
                            if fa is None:
                                if ga:
                                    kept.append(a)
                                    olds.append(ga)
                                leaves.append(a)
                                a.grad = PLACED
                                break
                            layout = fa.layout
                            if layout != UNARY and (readers or ga or (
                                    layout != RIGHT_CONST and layout != LEFT_CONST)):
                                break
                        if a.grad is PLACED:  # complete: the run goes to order, last node first
                            run = stack[start:]
                            run.reverse()
                            order += run
                            del stack[start:]
                        else:  # it waits, open, on the stack for ``a``, taken by the main loop
                            for n in stack[start:]:
                                n.grad = OPEN
                            stack.append(a)
                        continue
                    if ga:
                        kept.append(a)
                        olds.append(ga)
                    leaves.append(a)
                    a.grad = PLACED
                order.append(node)  # every input is placed
                node.grad = PLACED
                pop()
                continue
            a = node._a
            ga = a.grad
            if ga is not PLACED:
                if a._fn is not None:
                    node.grad = HALF
                    stack.append(a)
                    # Down a left spine of binary nodes (a fold ``acc = acc + w * x``): each
                    # is marked half-done and its first input pushed, as the loop above would
                    base = len(stack) - 2  # where ``node`` is
                    while a._fn.layout == BINARY:
                        first = a._a
                        g = first.grad
                        if ga:
                            kept.append(a)
                            olds.append(ga)
                        if g is not PLACED and first._fn is not None:
                            a.grad = HALF
                            stack.append(first)
                            a, ga = first, g
                            continue
                        # The bottom: its first input is placed or a leaf
                        if g is not PLACED:
                            if g:
                                kept.append(first)
                                olds.append(g)
                            leaves.append(first)
                            first.grad = PLACED
                        a.grad = HALF
                        if not readers:  # (the readers' walk lists leaves: it goes round)
                            _back_up(order, leaves, stack, kept, olds, base)
                        break
                    continue
                if ga:
                    kept.append(a)
                    olds.append(ga)
                leaves.append(a)
                a.grad = PLACED
            b = node._b
        # The second input of a binary node whose first is placed: a leaf, or an op node
        # whose two inputs are placed or leaves, is placed here; any other goes on the stack.
        gb = b.grad
        if gb is not PLACED:
            fb = b._fn
            if fb is None:  # a leaf: one with a grad to put back needs no other record
                if gb:
                    kept.append(b)
                    olds.append(gb)
                    if readers:
                        leaves.append(b)
                else:
                    leaves.append(b)
                b.grad = PLACED
            else:
                ba = b._a
                bb = b._b
                if fb.layout != BINARY or not (ba.grad is PLACED or ba._fn is None) or not (
                        bb.grad is PLACED or bb._fn is None):
                    node.grad = OPEN
                    stack.append(b)
                    continue
                if gb:
                    kept.append(b)
                    olds.append(gb)
                g = ba.grad
                if g is not PLACED:
                    if g:
                        kept.append(ba)
                        olds.append(g)
                        if readers:
                            leaves.append(ba)
                    else:
                        leaves.append(ba)
                    ba.grad = PLACED
                g = bb.grad
                if g is not PLACED:
                    if g:
                        kept.append(bb)
                        olds.append(g)
                        if readers:
                            leaves.append(bb)
                    else:
                        leaves.append(bb)
                    bb.grad = PLACED
                order.append(b)
                b.grad = PLACED
        order.append(node)
        node.grad = PLACED
        pop()


def _back_up(order: list[Node], leaves: list[Node], stack: list[Node], kept: list[Node],
             olds: list[Any], base: int) -> None:
    """Backward's way back up a fold's spine: ``stack[base:]`` are binary nodes marked
    half-done, each the first input of the one below it. From the top down, each second
    input that is a leaf or an op node over placed nodes and leaves is placed, and its node
    after it, as :func:`visit`'s main loop would one node at a time (without its readers'
    records: a kept leaf is not listed); the placed nodes leave the stack in one step. At
    the first other second input the node is marked open and that input pushed, and the
    main loop goes on from there.
    """
    OPEN, PLACED = _OPEN, _PLACED
    for i in range(len(stack) - 1, base - 1, -1):
        node = stack[i]
        b = node._b
        gb = b.grad
        fb = b._fn
        if fb is None:  # a leaf (a placed node's 0.0 is false)
            if gb:
                kept.append(b)
                olds.append(gb)
                b.grad = PLACED
            elif gb is not PLACED:
                leaves.append(b)
                b.grad = PLACED
        elif gb is not PLACED:
            ba = b._a
            bb = b._b
            if fb.layout != BINARY or (ba._fn is not None and ba.grad is not PLACED) or (
                    bb._fn is not None and bb.grad is not PLACED):
                node.grad = OPEN
                del stack[i + 1:]
                stack.append(b)
                return
            if gb:
                kept.append(b)
                olds.append(gb)
            g = ba.grad
            if g:
                kept.append(ba)
                olds.append(g)
                ba.grad = PLACED
            elif g is not PLACED:
                leaves.append(ba)
                ba.grad = PLACED
            g = bb.grad
            if g:
                kept.append(bb)
                olds.append(g)
                bb.grad = PLACED
            elif g is not PLACED:
                leaves.append(bb)
                bb.grad = PLACED
            order.append(b)
            b.grad = PLACED
        order.append(node)
        node.grad = PLACED
    del stack[base:]


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
    gradients), ``stack`` may hold nodes marked (open, half-done or placed), and
    ``kept``/``olds`` the nonzero gradients the walk overwrote (some of those leaves are
    in no other list); every other visited node started at 0.0. Called with
    an :class:`InterruptGuard` holding, so a further Ctrl-C cannot split it.
    """
    opened = [node for node in stack
              if node.grad is _OPEN or node.grad is _HALF or node.grad is _PLACED]
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
