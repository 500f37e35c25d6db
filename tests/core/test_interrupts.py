"""Ctrl-C during ``backward()`` or ``topo_order()``: every ``.grad`` as before, the next call exact.

Interrupts arrive at random points: a one-shot interval timer (SIGALRM at microsecond
resolution, whose handler raises ``KeyboardInterrupt`` the way Ctrl-C does), a thread
calling ``_thread.interrupt_main()``, and a tracer raising at a chosen bytecode of the
engine. Wherever an interrupt lands the gradients are all-or-nothing: exactly the values
from before the call, or complete (an interrupt that lands after the commit, while the
walk hands back its lock and the Ctrl-C handler, leaves them complete), never a mix and
never a walk's mark; and the next call is exact.
"""

from __future__ import annotations

import _thread
import dis
import random
import signal
import sys
import threading
import time
from collections.abc import Callable

import pytest

import autograd
from autograd import Value
from autograd.graph import topo_order

pytestmark = pytest.mark.skipif(not hasattr(signal, "setitimer"), reason="POSIX timers")

ENGINE = autograd.__file__.rsplit("/", 1)[0]


def graph(steps: int, seed: int = 0) -> tuple[Value, list[Value]]:
    """A DAG with reuse, unary, binary and wide nodes, literal constants and nonzero grads."""
    rng = random.Random(seed)
    leaves = [Value(rng.uniform(-1, 1), label=f"x{i}") for i in range(8)]
    nodes = list(leaves)
    for k in range(steps):
        a, b = rng.choice(nodes[-6:]), rng.choice(nodes)
        kind = k % 6
        if kind == 0:
            new = (a * b + 0.5).tanh()
        elif kind == 1:
            new = a * 1.0001 - b
        elif kind == 2:
            new = autograd.dot(nodes[-4:], leaves[:4]) * 0.01
        elif kind == 3:
            new = (a - 2.0 * b).sigmoid() + a
        elif kind == 4:
            new = autograd.sum([a, b, a], start=0.1) * 0.3
        else:
            new = (a * a + 1.0).log() / (b * b + 2.0)
        nodes.append(new)
    root = nodes[-1]
    order = topo_order(root)
    for i, node in enumerate(order):  # accumulated gradients from earlier calls
        node.grad = 0.0 if i % 3 == 0 else rng.uniform(-2, 2)
    return root, order


def fold(steps: int, seed: int = 0) -> tuple[Value, list[Value]]:
    """A fold ``acc = acc + w * x`` and variants: spines whose second inputs are leaves,
    products of leaves, nodes already placed, and deeper subtrees, leaves reused, spines
    broken by a number (so several of them), and nonzero grads."""
    rng = random.Random(seed)
    leaves = [Value(rng.uniform(-1, 1), label=f"w{i}") for i in range(10)]
    acc = leaves[0]
    spine = [acc]
    for k in range(steps):
        w, x = rng.choice(leaves), rng.choice(leaves)
        kind = k % 6
        if kind in (0, 5):
            second = w * x
        elif kind == 1:
            second = w
        elif kind == 2:
            second = rng.choice(spine)
        elif kind == 3:
            second = (w * 0.5) * x if k % 4 else w * rng.choice(spine)
        else:
            second = x * x - w
        acc = acc * second if k % 9 == 8 else acc + second
        if k % 13 == 12:
            acc = acc * 0.5
        spine.append(acc)
    order = topo_order(acc)
    for i, node in enumerate(order):
        node.grad = 0.0 if i % 3 == 0 else rng.uniform(-2, 2)
    return acc, order


def grads(order: list[Value]) -> list[str]:
    return [repr(node.grad) for node in order]


def expected_after(order: list[Value], before: list[float], seed: int, steps: int,
                   make: Callable[[int, int], tuple[Value, list[Value]]] = graph) -> list[str]:
    """What one backward adds: measured on a twin graph whose gradients start at zero."""
    twin, twin_order = make(steps, seed)
    for node in twin_order:
        node.grad = 0.0
    twin.backward()
    return [repr(b + n.grad) for b, n in zip(before, twin_order)]


def set_grads(order: list[Value], values: list[float]) -> None:
    for node, g in zip(order, values):
        node.grad = g


def raised_inside_engine(exc: BaseException) -> bool:
    """Whether the interrupt was raised in an engine frame (else: after the call returned)."""
    tb = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename.startswith(ENGINE):
            return True
        tb = tb.tb_next
    return False


def _fire(signum, frame):
    """The timer's signal acts as a Ctrl-C: the SIGINT handler in force decides (Python's
    own raises ``KeyboardInterrupt``; inside a walk the walk's guard raises or holds it)."""
    signal.getsignal(signal.SIGINT)(signal.SIGINT, frame)


def _interrupted(call: Callable[[], object], delay: float) -> BaseException | None:
    """Run ``call`` with a SIGALRM after ``delay`` seconds; the interrupt it raised, if any."""
    try:
        signal.setitimer(signal.ITIMER_REAL, delay)
        call()
        signal.setitimer(signal.ITIMER_REAL, 0)  # a signal already due is handled here
    except KeyboardInterrupt as exc:
        return exc
    return None


@pytest.fixture
def alarm():
    old = signal.signal(signal.SIGALRM, _fire)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def duration(call: Callable[[], object]) -> float:
    """The median time of a few calls: interrupts are spread over 1.5 times it."""
    times = []
    for _ in range(5):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return sorted(times)[2]


def check_trials(root: Value, order: list[Value], seed: int, steps: int, trials: int,
                 interrupt: Callable[[Callable[[], object], float], BaseException | None],
                 ) -> dict[str, int]:
    """Interrupt ``root.backward()`` ``trials`` times; check all-or-nothing and the next call."""
    before = [node.grad for node in order]
    pre, post = grads(order), expected_after(order, before, seed, steps)
    span = duration(lambda: (root.backward(), set_grads(order, before))) * 1.5
    rng = random.Random(seed)
    seen = {"inside": 0, "after": 0, "none": 0}
    for _ in range(trials):
        exc = interrupt(root.backward, rng.uniform(0.0, span))
        now = grads(order)
        if exc is None:
            seen["none"] += 1
            assert now == post
        elif raised_inside_engine(exc):
            seen["inside"] += 1
            assert now in (pre, post), "an interrupted backward left a partial .grad"
            seen["undone"] = seen.get("undone", 0) + (now == pre)
            set_grads(order, before)
            root.backward()  # the next call is exact
            assert grads(order) == post
        else:  # raised just before the call began or just after it returned
            seen["after"] += 1
            assert now in (pre, post)
        set_grads(order, before)
        assert all(type(node.grad) is float for node in order)
    return seen


def test_backward_interrupted_at_random_points_by_a_timer(alarm):
    steps = 600
    root, order = graph(steps, seed=1)
    seen = check_trials(root, order, 1, steps, 300, _interrupted)
    assert seen["inside"] >= 60 and seen["undone"] >= 50, seen


def test_backward_with_hooks_interrupted_by_a_timer(alarm):
    """The driver used when hooks exist commits its gradients as one step too."""
    steps = 400
    root, order = graph(steps, seed=2)
    handles = [order[k].register_hook(lambda g: g) for k in (0, 5, len(order) // 2)]
    try:
        seen = check_trials(root, order, 2, steps, 150, _interrupted)
    finally:
        for handle in handles:
            handle.remove()
    assert seen["inside"] >= 30 and seen["undone"] >= 25, seen


def test_topo_order_interrupted_by_a_timer(alarm):
    root, order = graph(600, seed=3)
    pre = grads(order)
    span = duration(lambda: topo_order(root)) * 1.5
    rng = random.Random(3)
    inside = 0
    for _ in range(200):
        exc = _interrupted(lambda: topo_order(root), rng.uniform(0.0, span))
        inside += exc is not None and raised_inside_engine(exc)
        assert grads(order) == pre
        assert topo_order(root) == order
    assert inside >= 40, inside


def _interrupt_main_after(call: Callable[[], object], delay: float) -> BaseException | None:
    """Like ``_interrupted``, the interrupt sent by another thread (as the terminal does)."""
    started, sent = threading.Event(), threading.Event()

    def interrupter() -> None:
        started.wait()
        time.sleep(delay)
        _thread.interrupt_main()
        sent.set()

    thread = threading.Thread(target=interrupter)
    thread.start()
    try:
        try:
            started.set()
            call()
            _wait(sent)
        except KeyboardInterrupt as exc:
            return exc
        return None
    finally:
        thread.join()


def _wait(event: threading.Event) -> None:
    """Wait, then run a few bytecodes, so an interrupt already sent is raised here."""
    event.wait()
    for _ in range(100):
        pass


def test_backward_interrupted_from_another_thread():
    old = sys.getswitchinterval()
    sys.setswitchinterval(1e-5)  # let the interrupter run while backward holds the GIL
    try:
        steps = 600
        root, order = graph(steps, seed=4)
        seen = check_trials(root, order, 4, steps, 100, _interrupt_main_after)
    finally:
        sys.setswitchinterval(old)
    assert seen["inside"] + seen["after"] == 100, seen


# Where CPython runs signal handlers: after a call returns, at a function's start and at
# a loop's backward jump (the "eval breaker" checks). The tracer raises only there.
_AFTER = {"CALL", "PRECALL", "CALL_FUNCTION_EX", "RESUME"}


class Injector:
    """A tracer delivering a Ctrl-C at the ``at``-th point of engine code where a real
    signal could be handled: it runs the SIGINT handler in force there, as CPython would
    (Python's own raises ``KeyboardInterrupt``; the walk's guard raises or holds it)."""

    def __init__(self, at: int) -> None:
        self.at, self.count = at, 0
        self.last: dict = {}

    def __call__(self, frame, event, arg):
        if not frame.f_code.co_filename.startswith(ENGINE):
            return None
        frame.f_trace_opcodes = True
        return self.local

    def local(self, frame, event, arg):
        if event == "opcode":
            op = dis.opname[frame.f_code.co_code[frame.f_lasti]]
            if op == "JUMP_BACKWARD" or self.last.get(frame) in _AFTER:
                self.count += 1
                if self.count == self.at:
                    signal.getsignal(signal.SIGINT)(signal.SIGINT, frame)
            self.last[frame] = op
        return self.local


def traced(call: Callable[[], object], at: int) -> tuple[BaseException | None, int]:
    injector = Injector(at)
    sys.settrace(injector)
    try:
        call()
    except KeyboardInterrupt as exc:
        return exc, injector.count
    finally:
        sys.settrace(None)
    return None, injector.count


def walk_lock_is_free() -> bool:
    """Whether another thread can take the walks' lock (an interrupt must never keep it)."""
    from autograd.graph import WALK_LOCK

    got: list[bool] = []

    def take() -> None:
        got.append(WALK_LOCK.acquire(timeout=2))
        if got[-1]:
            WALK_LOCK.release()

    thread = threading.Thread(target=take)
    thread.start()
    thread.join()
    return got == [True]


@pytest.mark.parametrize("make", [graph, fold], ids=["dag", "fold"])
@pytest.mark.parametrize("hooked", [False, True], ids=["fast", "hooks"])
def test_an_interrupt_at_every_region_of_backward_bytecode(hooked, make):
    """Deterministic coverage: interrupts spread over every bytecode of one call."""
    steps = 60
    root, order = make(steps, 5)
    handle = order[3].register_hook(lambda g: g) if hooked else None
    try:
        before = [node.grad for node in order]
        pre, post = grads(order), expected_after(order, before, 5, steps, make)
        _, total = traced(root.backward, 0)
        set_grads(order, before)
        undone = 0
        for at in sorted(set(random.Random(5).sample(range(1, total + 1), 150))
                         | {1, 2, total - 1, total}):
            exc, _ = traced(root.backward, at)
            assert exc is not None
            now = grads(order)
            assert now in (pre, post), f"interrupt at bytecode {at} of {total}"
            assert walk_lock_is_free(), f"interrupt at bytecode {at} of {total}"
            undone += now == pre
            set_grads(order, before)
            root.backward()
            assert grads(order) == post
            set_grads(order, before)
        assert undone >= 140  # only the last few points come after the commit
    finally:
        if handle is not None:
            handle.remove()


@pytest.mark.parametrize("make", [graph, fold], ids=["dag", "fold"])
def test_an_interrupt_at_every_region_of_topo_order_bytecode(make):
    root, order = make(60, 6)
    pre = grads(order)
    _, total = traced(lambda: topo_order(root), 0)
    for at in range(1, total + 1, max(1, total // 200)):
        exc, _ = traced(lambda: topo_order(root), at)
        assert exc is not None
        assert grads(order) == pre, f"interrupt at bytecode {at} of {total}"
        assert walk_lock_is_free(), f"interrupt at bytecode {at} of {total}"
        assert topo_order(root) == order
