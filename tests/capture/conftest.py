"""Real pseudo-terminals standing in for boards: a scripted writer on the master side."""

from __future__ import annotations

import os
import threading
import time
import tty
from collections.abc import Callable, Iterator

import pytest

from tinystudio.core.store import Project


class FakeBoard:
    """A pty whose master end the test writes to; ``path`` is what the capture opens."""

    def __init__(self) -> None:
        self.master, self.slave = os.openpty()
        tty.setraw(self.slave)
        self.path = os.ttyname(self.slave)
        self._threads: list[threading.Thread] = []
        self.stop = threading.Event()

    def write(self, data: bytes) -> None:
        view = memoryview(data)
        while view:
            try:
                n = os.write(self.master, view)
            except BlockingIOError:
                time.sleep(0.001)
                continue
            view = view[n:]

    def stream(self, line: Callable[[int], bytes], rate_hz: float, count: int | None = None) -> threading.Thread:
        """Write ``line(i)`` for i = 0, 1, ... on an absolute schedule at ``rate_hz`` in a thread."""

        def run() -> None:
            t0 = time.monotonic()
            i = 0
            while not self.stop.is_set() and (count is None or i < count):
                due = int((time.monotonic() - t0) * rate_hz) + 1
                if count is not None:
                    due = min(due, count)
                if due > i:
                    try:
                        self.write(b"".join(line(k) for k in range(i, due)))
                    except OSError:
                        return
                    i = due
                self.stop.wait(min(0.005, 0.5 / rate_hz))

        th = threading.Thread(target=run, daemon=True)
        th.start()
        self._threads.append(th)
        return th

    def close(self) -> None:
        self.stop.set()
        for th in self._threads:
            th.join(timeout=2)
        for fd in (self.master, self.slave):
            try:
                os.close(fd)
            except OSError:
                pass


@pytest.fixture
def fake_board() -> Iterator[FakeBoard]:
    board = FakeBoard()
    yield board
    board.close()


@pytest.fixture
def project(tmp_path) -> Iterator[Project]:
    p = Project.create(tmp_path / "capture.tsp")
    yield p
    p.close()
