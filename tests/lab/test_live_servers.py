"""The live view's servers end with their run: ``fit(live=True)`` waits for its page, then
stops its server when fit returns (or fails); ``Monitor.serve()`` returns a handle that
stops it. Nothing is left behind: no thread, no listening port. And a saved run ends
where training did."""

from __future__ import annotations

import re
import socket
import threading
import urllib.request
import webbrowser

import numpy as np
import pytest

import nn
from autograd.lab.live import Monitor
from nn.keras import Dense, Sequential

OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


class Browser:
    """Stands in for ``webbrowser.open``: opens the page's event stream over real HTTP, as
    a tab would, and reads it until the server closes it."""

    def __init__(self) -> None:
        self.urls: list[str] = []
        self.readers: list[threading.Thread] = []
        self.scenes = 0

    def __call__(self, url: str, *args: object) -> bool:
        self.urls.append(url)
        reader = threading.Thread(target=self._read, args=(url,))
        self.readers.append(reader)
        reader.start()
        return True

    def _read(self, url: str) -> None:
        base, token = url.split("/?token=")
        try:
            with OPENER.open(f"{base}/api/events?token={token}", timeout=30) as events:
                for line in events:
                    self.scenes += line.startswith(b"event: scene")
        except OSError:  # the server closed the stream: the run is over
            pass

    def join(self) -> None:
        for reader in self.readers:
            reader.join(30)
            assert not reader.is_alive()


def listening(url: str) -> bool:
    port = int(re.search(r":(\d+)/", url).group(1))
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


@pytest.fixture
def browser(monkeypatch):
    tab = Browser()
    monkeypatch.setattr(webbrowser, "open", tab)
    monkeypatch.setenv("DISPLAY", ":0")  # a desktop: the server opens "the browser"
    return tab


def test_five_live_fits_leave_no_thread_and_no_port(browser, dot_binary) -> None:
    X, labels = nn.datasets.moons(40, noise=0.1, seed=1)
    model = Sequential([Dense(4, activation="relu", input_shape=(2,)),
                        Dense(1, activation="sigmoid")], seed=0)
    model.compile(optimizer="adam", loss="binary_crossentropy")
    model.fit(X, labels, epochs=1, verbose=0, live="quiet")  # warm: the layout thread's pool
    threads = {t.ident for t in threading.enumerate()}
    for _ in range(5):
        history = model.fit(X, labels, epochs=2, batch_size=20, verbose=0, live=True)
        assert history.live.state == "finished" and len(history.live.steps) == 4
    browser.join()
    assert len(browser.urls) == 5 and browser.scenes >= 5  # each page got its scenes
    assert not any(listening(url) for url in browser.urls)
    left = [t for t in threading.enumerate() if t.ident not in threads and t.is_alive()
            and t.name.startswith("autograd-lab")]
    assert left == []


def test_a_fit_that_fails_stops_its_server_too(browser) -> None:
    X, labels = nn.datasets.moons(20, noise=0.1, seed=1)
    model = Sequential([Dense(1, activation="sigmoid", input_shape=(2,))], seed=0)
    model.compile(optimizer="sgd", loss="binary_crossentropy")

    class Stop:
        def on_epoch_end(self, epoch, logs=None):
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        model.fit(X, labels, epochs=3, verbose=0, live=True, callbacks=[Stop()])
    browser.join()
    assert browser.urls and not listening(browser.urls[0])


def test_monitor_serve_waits_for_the_page_and_its_handle_stops_it(browser) -> None:
    X, y = np.array([[1.0, 0.0], [0.0, 1.0]]), np.array([1.0, -1.0])
    model = nn.MLP(2, [1], seed=0)
    monitor = Monitor(X, y, model=model)
    server = monitor.serve()  # returns once the (stand-in) browser opened the page
    assert server.page_opened.is_set() and listening(server.url)
    monitor.close()
    browser.join()
    assert not listening(server.url) and not server.thread.is_alive()


def test_the_readme_monitor_example_saves_every_step(tmp_path) -> None:
    X, labels = nn.datasets.moons(100, seed=0)
    y = 2 * labels - 1
    model = nn.MLP(2, [16, 16, 1], seed=0)
    monitor = Monitor(X, y, sample_loss=lambda out, t: nn.hinge([out], [t]))
    for k in range(20):
        loss = nn.hinge([model(list(x)) for x in X], y)
        model.zero_grad()
        loss.backward()
        monitor.update(loss=loss, model=model, step=k)
        for p in model.parameters():
            p.data -= 0.5 * p.grad
    text = monitor.history.save_html(tmp_path / "run.html").read_text()
    frames = monitor.history.frames
    assert frames[-1]["step"] == 19 and len(monitor.history.steps) == 20
    assert '"step":19' in text
