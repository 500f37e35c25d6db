"""What watching costs: training time with the live view on vs off (run, not a test).

``python -m benchmarks.live`` times, side by side in the same process:

* micrograd's moons loop (MLP(2, [16, 16, 1]), 100 points, hinge loss, full-batch SGD)
  with and without a ``Monitor`` (default: up to 4 redraws a second, all live work at
  most 10% of the time), its scenes built and JSON-encoded as a page host would;
* the Keras-style compiled ``fit`` on 2,000 moons points (Dense 16-16-1, adam, batch 32)
  with and without ``live=True``'s callback (when this ``fit`` takes ``live``).

Each row is the median CPU time (this process, all its threads) of repeated runs, off and
on alternating; the slowdown is (live - plain) / plain. Target: under 20%, about 10%,
while still redrawing a few times a second. On a shared machine the run-to-run noise is
several percent, so each watched run also prints its own count: redraws a second and
the share of time the live work took.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time

from benchmarks.timing import paired_cpu


def moons_loop(steps: int, watch: bool) -> None:
    """micrograd's training loop, optionally watched."""
    import autograd
    import nn
    from autograd.lab.live import Monitor
    from autograd.lab.live.source import LiveSource

    X, labels = nn.datasets.moons(100, noise=0.1, seed=0)
    y = 2.0 * labels - 1.0
    model = nn.MLP(2, [16, 16, 1], seed=0)
    params = model.parameters()
    opt = nn.SGD(params, lr=1.0)
    monitor = None
    if watch:
        monitor = Monitor(X, y, sample_loss=lambda out, t: nn.hinge([out], [t]), model=model)
        source = LiveSource(monitor.watcher)
        monitor.watcher.hosts.append(lambda run: json.dumps(source.scene(svg=False)))
    rows, targets = X.tolist(), y.tolist()
    start = time.perf_counter()
    for k in range(steps):
        loss = nn.hinge([model(x) for x in rows], targets) + \
            1e-4 * autograd.sum([p * p for p in params])
        opt.zero_grad()
        loss.backward()
        if monitor is not None:
            monitor.update(loss=loss, model=model, step=k)
        opt.lr = 1.0 - 0.9 * k / max(steps, 100)
        opt.step()
    if monitor is not None:
        monitor.finish()
        wall, watcher = time.perf_counter() - start, monitor.watcher
        print(f"    ({watcher.redraws} redraws in {wall:.1f} s: {watcher.redraws / wall:.1f} a "
              f"second; live work {100 * watcher.throttle.spent / wall:.1f}% of the time)")


def keras_fit(epochs: int, live: bool) -> bool:
    """The compiled fit on moons; False when fit has no ``live`` yet."""
    import nn
    from nn.keras import Dense, Sequential

    X, y = nn.datasets.moons(2000, noise=0.1, seed=0)
    model = Sequential([Dense(16, activation="relu", input_shape=(2,)),
                        Dense(16, activation="relu"), Dense(1, activation="sigmoid")], seed=0)
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    start = time.perf_counter()
    try:
        history = model.fit(X, y, epochs=epochs, batch_size=32, verbose=0, seed=0,
                            **({"live": "quiet"} if live else {}))
    except TypeError:
        return False
    if live and epochs > 1:
        wall, redraws = time.perf_counter() - start, history.live.latest["redraw"]
        print(f"    ({redraws} redraws in {wall:.1f} s: {redraws / wall:.1f} a second)")
    return True


def row(name: str, plain: float, live: float) -> None:
    print(f"  {name:<44} {plain:8.3f} s {live:8.3f} s  {100 * (live - plain) / plain:+6.1f}%")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer steps and repeats")
    args = parser.parse_args()
    steps, epochs, repeats = (30, 4, 1) if args.quick else (100, 40, 5)
    print("live view: training CPU time off vs on (median of runs; target: under +20%, "
          "about +10%)\n"
          f"  {'workload':<44} {'off':>10} {'on':>10}  slowdown")
    plain, live = map(statistics.median, paired_cpu(
        lambda: moons_loop(steps, False), lambda: moons_loop(steps, True), repeats))
    row(f"moons micrograd loop, {steps} steps, Monitor", plain, live)
    if keras_fit(1, False) and keras_fit(1, True):
        plain, live = map(statistics.median, paired_cpu(
            lambda: keras_fit(epochs, False), lambda: keras_fit(epochs, True), repeats))
        row(f"compiled fit, moons 2000, {epochs} epochs, live=True", plain, live)
    else:
        print("  (this fit has no live=True: the Keras row is skipped)")


if __name__ == "__main__":
    main()
