"""A closed window caught in a reference cycle is freed on the GUI thread, never by a worker thread that
happens to start a garbage collection (training allocates a lot): deleting a widget off the GUI thread froze
the app. While a worker runs, the GUI thread still collects; afterwards automatic collection is back."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

SCRIPT = r'''
import gc, threading, time, weakref
from PySide6.QtWidgets import QApplication, QMenu, QWidget
from tinystudio.gui.worker import run_in_thread

app = QApplication([])
gui = threading.get_ident()
freed_on = {}


def closed_window_in_a_cycle(name):
    window = QWidget()
    QMenu(window)
    window.me = window  # Python-owned, kept only by a reference cycle
    weakref.finalize(window, lambda: freed_on.setdefault(name, threading.get_ident()))


started = threading.Event()
stop = threading.Event()


def allocate(progress, cancel):  # as training does: automatic collections would start in this thread
    keep = None
    started.set()
    while not stop.is_set():
        keep = [[i] for i in range(100_000)]
    return len(keep)


def pump(until, seconds=60):
    deadline = time.monotonic() + seconds
    while not until() and time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.01)


closed_window_in_a_cycle("before")
done = []
run_in_thread(allocate, on_done=done.append)
started.wait(30)
closed_window_in_a_cycle("during")  # closed while the worker runs: the GUI thread's timer frees it
pump(lambda: "during" in freed_on)
stop.set()
pump(lambda: bool(done))
pump(lambda: False, 0.3)
where = {k: "gui" if v == gui else "worker" for k, v in freed_on.items()}
print(where.get("before"), where.get("during"), gc.isenabled(), flush=True)
'''


def test_widgets_in_cycles_are_freed_on_the_gui_thread_only():
    env = {**os.environ, "PYTHONPATH": str(REPO), "QT_QPA_PLATFORM": "offscreen"}
    try:
        run = subprocess.run([sys.executable, "-c", SCRIPT], env=env, capture_output=True, text=True, timeout=120)
    except subprocess.TimeoutExpired:
        pytest.fail("the program froze")
    assert run.returncode == 0, run.stderr[-2000:]
    assert run.stdout.split() == ["gui", "gui", "True"], run.stdout + run.stderr[-1000:]
