"""The wait for a BENCH run grows with its repetitions: measured on the emulated micro:bit, 65,535 repetitions
of a BasicMotions window (DSP on the board, 1.8 ms of wall time each) took 119 s against a fixed 120 s wait,
so a slightly larger model or a busier machine failed the whole deploy after every window was tested."""

from __future__ import annotations

from tinystudio.app.board_test import INFER_TIMEOUT_S, bench_timeout
from tinystudio.app.device_figures import MAX_BENCH_RUNS


def test_the_bench_wait_covers_every_repetition_at_the_measured_window_time():
    stream_seconds, windows = 0.5, 108  # the micro:bit run: 108 test windows streamed in 0.5 s
    needed = MAX_BENCH_RUNS * 0.193 / windows  # compute alone: 117 s
    assert bench_timeout(MAX_BENCH_RUNS, stream_seconds, windows) > 2 * needed
    assert bench_timeout(20, stream_seconds, windows) >= INFER_TIMEOUT_S * 4  # the default run keeps its wait
    assert bench_timeout(20, 0.0, 0) == INFER_TIMEOUT_S * 4  # resumed with nothing left to stream
