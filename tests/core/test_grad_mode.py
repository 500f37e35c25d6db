"""Grad mode is per thread and per asyncio task, as in PyTorch: ``no_grad`` never leaks."""

from __future__ import annotations

import asyncio
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from autograd import Value, is_grad_enabled, no_grad
from autograd.modes import MODES


def step(w: Value) -> float:
    """One gradient of a small model: d/dw of (w * 3 + 1).tanh() * 2 at w."""
    w.grad = 0.0
    ((w * 3.0 + 1.0).tanh() * 2.0).backward()
    return w.grad


def expected(w: float) -> float:
    x = Value(w)
    return step(x)


def test_no_grad_in_one_thread_leaves_another_threads_graph_alone():
    inside, leave = threading.Event(), threading.Event()
    seen: dict[str, object] = {}

    def sleeper() -> None:
        with no_grad():
            inside.set()
            leave.wait(10)
            seen["sleeper"] = (is_grad_enabled(), (Value(1.0) * 2).children)

    thread = threading.Thread(target=sleeper)
    thread.start()
    try:
        assert inside.wait(10)
        assert is_grad_enabled()
        w = Value(0.3)
        assert step(w) == expected(0.3) != 0.0
        assert len((w * 2).children) == 2
    finally:
        leave.set()
        thread.join()
    assert seen["sleeper"] == (False, ())
    assert MODES.blocks_open == 0


@pytest.mark.parametrize("shared", [False, True], ids=["own", "one-object"])
@pytest.mark.parametrize("order", [["a_in", "b_in", "a_out", "b_out"],
                                   ["a_in", "b_in", "b_out", "a_out"]], ids=["ab", "ba"])
def test_overlapping_blocks_in_two_threads_do_not_leave_grad_mode_off(order, shared):
    """A enters, B enters, then they exit in either order: each sees only its own, also
    when both enter one shared ``no_grad()`` object (each entry is a block of its own)."""
    one = no_grad()
    gates = {name: threading.Event() for name in order}
    log: list[tuple[str, bool]] = []

    def advance(done: str) -> None:
        k = order.index(done)
        if k + 1 < len(order):
            gates[order[k + 1]].set()

    def worker(me: str) -> None:
        gates[f"{me}_in"].wait(10)
        with one if shared else no_grad():
            log.append((f"{me}_in", is_grad_enabled()))
            advance(f"{me}_in")
            gates[f"{me}_out"].wait(10)
        log.append((f"{me}_out", is_grad_enabled()))
        advance(f"{me}_out")

    threads = [threading.Thread(target=worker, args=(me,)) for me in "ab"]
    for t in threads:
        t.start()
    gates[order[0]].set()
    for t in threads:
        t.join(10)
    assert [name for name, _ in log] == order
    assert all(enabled == name.endswith("_out") for name, enabled in log), log
    assert is_grad_enabled() and MODES.blocks_open == 0
    assert (Value(1.0) * 2).op == "mul"


def test_many_threads_training_while_others_sit_in_no_grad():
    """Half the workers take gradient steps, half evaluate under no_grad, interleaved."""
    def train(k: int) -> list[float]:
        w, grads = Value(0.1 * k), []
        for _ in range(200):
            grads.append(step(w))
            with no_grad():
                w.data -= 0.01 * w.grad
        return grads

    def evaluate(k: int) -> int:
        leaves = 0
        for _ in range(200):
            with no_grad():
                y = Value(0.1 * k) * 3.0 + 1.0
                leaves += y.children == ()
        return leaves

    with ThreadPoolExecutor(8) as pool:
        trained = [pool.submit(train, k) for k in range(4)]
        evaluated = [pool.submit(evaluate, k) for k in range(4)]
        for k, future in enumerate(trained):  # the same numbers as a single thread gives
            assert future.result() == train(k)
        assert [f.result() for f in evaluated] == [200] * 4
    assert is_grad_enabled() and MODES.blocks_open == 0


def test_asyncio_tasks_have_their_own_grad_mode():
    async def quiet(started: asyncio.Event, release: asyncio.Event) -> tuple:
        with no_grad():
            started.set()
            await release.wait()
            return is_grad_enabled(), (Value(2.0) * 2).children

    async def busy(started: asyncio.Event, release: asyncio.Event) -> float:
        await started.wait()
        w = Value(0.5)
        await asyncio.sleep(0)
        g = step(w)
        release.set()
        return g

    async def main() -> tuple:
        started, release = asyncio.Event(), asyncio.Event()
        return await asyncio.gather(quiet(started, release), busy(started, release))

    quiet_result, busy_grad = asyncio.run(main())
    assert quiet_result == (False, ())
    assert busy_grad == expected(0.5) != 0.0
    assert is_grad_enabled() and MODES.blocks_open == 0


def test_a_task_created_inside_no_grad_runs_without_gradients_while_it_is_open():
    async def child(hold: asyncio.Event | None = None) -> list[bool]:
        seen = [is_grad_enabled()]
        if hold is not None:
            await hold.wait()
            seen.append(is_grad_enabled())
        return seen

    async def main() -> tuple:
        hold = asyncio.Event()
        with no_grad():
            with no_grad():
                inner = asyncio.create_task(child())
            run_inside = asyncio.create_task(child(hold))
            await asyncio.sleep(0)  # both children run while the outer block is open
            closed_later = asyncio.create_task(child())
        other = asyncio.create_task(quiet_elsewhere(hold))
        return await inner, await run_inside, await closed_later, await other

    async def quiet_elsewhere(hold: asyncio.Event) -> bool:
        with no_grad():  # another task's block must not switch the stale copies off
            hold.set()
            await asyncio.sleep(0)
            return is_grad_enabled()

    inner, run_inside, closed_later, other = asyncio.run(main())
    assert inner == [False]  # its own block closed, the outer one still open
    assert run_inside == [False, True]  # off while the block was open, on once it closed
    assert closed_later == [True]  # started after the block closed
    assert other is False


def test_one_instance_reentered_and_used_as_decorator_in_threads():
    block = no_grad()
    with block:
        with block:
            assert not is_grad_enabled()
        assert not is_grad_enabled()
    assert is_grad_enabled()

    @no_grad
    def frozen(v: Value) -> Value:
        return v * 2

    with ThreadPoolExecutor(4) as pool:
        outs = list(pool.map(lambda k: frozen(Value(float(k))), range(50)))
    assert all(out.children == () for out in outs)
    assert is_grad_enabled() and MODES.blocks_open == 0


def test_an_exception_inside_no_grad_in_a_thread_restores_the_count():
    def fail() -> None:
        with no_grad():
            raise RuntimeError("inside")

    with ThreadPoolExecutor(2) as pool:
        with pytest.raises(RuntimeError, match="inside"):
            pool.submit(fail).result()
    assert MODES.blocks_open == 0 and is_grad_enabled()


def test_one_object_shared_by_two_asyncio_tasks_keeps_each_tasks_mode():
    one = no_grad()

    async def inside_then_after(entered: asyncio.Event, leave: asyncio.Event) -> list[bool]:
        with one:
            entered.set()
            seen = [is_grad_enabled()]
            await leave.wait()
        x = Value(1.5)
        seen.append(is_grad_enabled() and len((x * x).children) == 2)
        return seen

    async def main() -> tuple[list[bool], list[bool]]:
        a_in, b_in, a_out, b_out = (asyncio.Event() for _ in range(4))
        a = asyncio.create_task(inside_then_after(a_in, a_out))
        b = asyncio.create_task(inside_then_after(b_in, b_out))
        await a_in.wait()
        await b_in.wait()
        a_out.set()  # A leaves first while B is still inside the same object
        first = await a
        b_out.set()
        return first, await b

    first, second = asyncio.run(main())
    assert first == [False, True] and second == [False, True]
    assert is_grad_enabled() and MODES.blocks_open == 0
