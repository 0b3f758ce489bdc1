"""Capture benchmark (figures only): sustained ingest from a pseudo-terminal fed as fast as a writer
process can, with a check that no line was lost, the reader's CPU use, and the Device page's frame rate
while capturing 6 axes at 1 kHz (offscreen).

Run: python tests/benchmarks/bench_capture.py [--lines N] [--gui-seconds S] [--quick]
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import sys
import tempfile
import time
import tty
from pathlib import Path

import numpy as np


def _writer(master: int, lines: int, go: mp.synchronize.Event) -> None:
    """Warm up slowly so the layout and rate lock, then write every line as fast as the pty takes it."""
    rng = np.random.default_rng(0)
    noise = rng.normal(0, 1, (4096, 5))

    def block(start: int, stop: int) -> bytes:
        return "".join(
            "{:.4f},{},{:.4f},{:.4f},{:.4f},{:.4f}\n".format(noise[i % 4096, 0], i, *noise[i % 4096, 1:])
            for i in range(start, stop)
        ).encode()

    warm = 600  # 1 s at 600 lines/s
    for k in range(0, warm, 12):
        os.write(master, block(k - warm, k - warm + 12))
        time.sleep(0.02)
    go.wait(30)
    chunk = 2000
    for k in range(0, lines, chunk):
        data = memoryview(block(k, min(lines, k + chunk)))
        while data:
            n = os.write(master, data)
            data = data[n:]


def bench_ingest(lines: int) -> None:
    from tinystudio.core.store import Project
    from tinystudio.device.capture import CaptureSession

    master, slave = os.openpty()
    tty.setraw(slave)
    path = os.ttyname(slave)
    go = mp.get_context("fork").Event()
    proc = mp.get_context("fork").Process(target=_writer, args=(master, lines, go), daemon=True)
    with tempfile.TemporaryDirectory() as tmp, Project.create(Path(tmp) / "bench.tsp") as project:
        session = CaptureSession(path).start()
        try:
            proc.start()
            st = session.wait_ready(10)
            session.start_recording(project, "bench")
            cpu0, t0 = time.process_time(), time.monotonic()
            lines0 = session.status().stats.lines
            go.set()
            target = lines0 + lines
            while session.status().stats.lines < target and time.monotonic() - t0 < 120:
                time.sleep(0.01)
            t1, cpu1 = time.monotonic(), time.process_time()
            got = session.status().stats.lines - lines0
            session.stop_recording()
            result = session.wait_recording(30)
        finally:
            session.stop()
            proc.join(timeout=10)
            os.close(master)
            os.close(slave)
        assert result is not None and result.sample_id is not None
        signal = project.load_signal(result.sample_id)
    index = signal[:, 1].astype(np.int64)
    tail = index[index >= 0]
    lost = lines - tail.size
    gaps = int(np.sum(np.diff(tail) != 1))
    wall = t1 - t0
    print(f"ingest, 6 axes ({st.layout.axes if st.layout else '?'} detected), {lines} lines:")
    print(f"  sustained rate     {got / wall:,.0f} lines/s  ({wall:.2f} s)")
    print(f"  lines lost         {lost}  (gaps in the index column: {gaps})")
    print(f"  reader process CPU {100 * (cpu1 - cpu0) / wall:.0f}% of one core (parse + ring buffer + SQLite)")


def bench_gui(seconds: float) -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QEvent, QObject
    from PySide6.QtWidgets import QApplication

    class PaintCounter(QObject):
        count = 0

        def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802
            if event.type() == QEvent.Type.Paint:
                self.count += 1
            return False

    from tinystudio.core.store import Project
    from tinystudio.device.capture import CaptureSession
    from tinystudio.device.ports import SIMULATED_PORT
    from tinystudio.gui.context import AppContext
    from tinystudio.gui.pages.device_page import DevicePage

    app = QApplication.instance() or QApplication(sys.argv[:1])
    with tempfile.TemporaryDirectory() as tmp:
        context = AppContext()
        context.set_project(Project.create(Path(tmp) / "gui.tsp"))
        page = DevicePage(context)
        page.resize(1280, 800)
        page.show()
        page.session = CaptureSession(SIMULATED_PORT, sim_rate_hz=1000.0).start()
        page.session.wait_ready(10)
        page.fixed_check.setChecked(False)
        page.start_recording()
        costs: list[float] = []
        paints = PaintCounter()
        page.plot.view.viewport().installEventFilter(paints)
        original = page._tick

        def timed_tick() -> None:
            t = time.perf_counter()
            original()
            costs.append(time.perf_counter() - t)

        page.timer.timeout.disconnect()
        page.timer.timeout.connect(timed_tick)
        page.timer.start()
        cpu0, t0 = time.process_time(), time.monotonic()
        while time.monotonic() - t0 < seconds:
            app.processEvents()
            time.sleep(0.001)
        wall, cpu = time.monotonic() - t0, time.process_time() - cpu0
        page.session.stop_recording()
        result = page.session.wait_recording(10)
        st = page.session.status()
        page.shutdown()
        context.close()
    c = np.array(costs) * 1000
    print(f"GUI while capturing 6 axes at 1 kHz ({seconds:.0f} s, offscreen, {st.rate_hz} Hz detected):")
    print(f"  frames painted     {paints.count / wall:.1f} per second (updates every {page.timer.interval()} ms)")
    print(f"  update cost        mean {c.mean():.1f} ms, 95th percentile {np.percentile(c, 95):.1f} ms "
          "(pull from the ring buffer, decimate, set curve data; painting is counted above)")  # fmt: skip
    print(f"  process CPU        {100 * cpu / wall:.0f}% of one core (GUI + reader + simulated board)")
    if result is not None:
        print(f"  recorded           {result.frames} frames, none decimated")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--lines", type=int, default=300_000)
    parser.add_argument("--gui-seconds", type=float, default=5.0)
    parser.add_argument("--quick", action="store_true", help="tiny sizes, a few seconds: proves the script still runs")
    args = parser.parse_args()
    if args.quick:
        args.lines, args.gui_seconds = 20_000, 1.0
    bench_ingest(args.lines)
    bench_gui(args.gui_seconds)


if __name__ == "__main__":
    main()
