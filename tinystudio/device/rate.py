"""Sample-rate detection for line streams: from a device timestamp column when there is one, otherwise
by counting complete lines against the host clock; also counts lines the device clock says were lost."""

from __future__ import annotations

import math
from collections import deque

import numpy as np

WINDOW_S = 10.0
"""Rate is measured over the most recent seconds, so a changed sketch is followed."""

MIN_SPAN_S = 0.5
"""Host-clock span needed before a counted rate is reported."""

BACKLOG_FACTOR = 3.0
"""The start of the window arrived this many times faster than the latest lines: a backlog, lines the board
sent before anyone read them (held by the board or the operating system) and delivered in one go on opening."""

RECENT_LINES = 4
"""The latest rate is judged over the last quarter second and at least this many lines."""

MAX_GAP_S = 60.0
"""A device-clock jump longer than this is a restart or a garbage stamp, not lines that were lost."""

COMMON_RATES = (
    0.1, 0.2, 0.25, 0.5, 1, 2, 4, 5, 8, 10, 12.5, 16, 20, 25, 30, 32, 40, 50, 60, 62.5, 64, 100, 120,
    125, 128, 200, 250, 256, 400, 500, 512, 800, 1000, 1024, 1600, 2000, 2048, 3200, 4000, 4096, 5000,
    6400, 8000, 8192, 10000, 11025, 16000, 20000, 22050, 32000, 44100, 48000,
)  # fmt: skip


def snap_rate(rate: float, tolerance: float = 0.02) -> float:
    """Round a measured rate to the common rate it is within 2% of, else to 3 significant digits."""
    if not (rate > 0 and math.isfinite(rate)):
        return rate
    best = min(COMMON_RATES, key=lambda c: abs(rate / c - 1))
    if abs(rate / best - 1) <= tolerance:
        return float(best)
    digits = 3 - int(math.floor(math.log10(rate))) - 1
    return float(round(rate, digits))


class RateEstimator:
    """Feed it the number of lines in each chunk with their arrival time (and device stamps if any)."""

    def __init__(self, ts_unit: float | None = None) -> None:
        self.ts_unit = ts_unit
        self.total = 0
        self.dropped = 0
        self._host: deque[tuple[float, int]] = deque()
        self._dev: deque[tuple[float, int]] = deque()
        self._last_stamp: float | None = None
        self._stamp_count = 0

    def add(self, n: int, now: float, stamps: np.ndarray | None = None) -> None:
        """Account for ``n`` complete lines that arrived at ``now`` (seconds, monotonic)."""
        if n <= 0:
            return
        self.total += n
        # the lines of the first chunk were produced before it arrived: they only mark the start
        self._host.append((now, self.total))
        while len(self._host) > 2 and now - self._host[1][0] >= WINDOW_S:
            self._host.popleft()
        if stamps is not None and self.ts_unit:
            self._add_stamps(np.asarray(stamps, dtype=np.float64))

    def _add_stamps(self, stamps: np.ndarray) -> None:
        """Each stamp is one line: keep (device seconds, line index) at the ends of the window."""
        stamps = stamps[np.isfinite(stamps)]  # the line parser skips such lines; never trust a stamp blindly
        if stamps.size == 0:
            return
        unit = float(self.ts_unit or 1.0)
        prev = self._last_stamp
        seq = stamps if prev is None else np.concatenate(([prev], stamps))
        diffs = np.diff(seq)
        start = 0
        back = np.nonzero((diffs < 0) | (diffs > MAX_GAP_S * unit))[0]
        if back.size:  # the clock wrapped, the board restarted or a stamp is garbage: begin a new window
            self._dev.clear()
            start = int(back[-1]) + (0 if prev is not None else 1)
            diffs = diffs[int(back[-1]) + 1 :]
        new_drops = 0
        rate = self.device_rate()
        if rate:
            period = unit / rate
            gaps = diffs[diffs > max(1.5 * period, 1.5)]
            if gaps.size:
                new_drops = int(np.sum(np.round(gaps / period) - 1))
        self.dropped += new_drops
        # lines the clock says were lost still count as time slots, so the rate stays the board's
        first = self._stamp_count + start + 1
        last = self._stamp_count + stamps.size + new_drops
        if not self._dev:
            self._dev.append((float(stamps[start]) / unit, first))
        if self._dev[-1][1] != last:
            self._dev.append((float(stamps[-1]) / unit, last))
        while len(self._dev) > 2 and self._dev[-1][0] - self._dev[1][0] >= WINDOW_S:
            self._dev.popleft()
        self._stamp_count = last
        self._last_stamp = float(stamps[-1])

    def device_rate(self) -> float | None:
        """Rate from the device clock, or None without enough stamps."""
        if len(self._dev) < 2:
            return None
        (t0, c0), (t1, c1) = self._dev[0], self._dev[-1]
        if t1 <= t0 or c1 - c0 < 1:
            return None
        return (c1 - c0) / (t1 - t0)

    def counted_rate(self) -> float | None:
        """Rate from counting lines against the host clock, or None before enough time passed.

        A backlog at the start of the window only marks where counting begins: counted as arriving in
        real time it made a 50 Hz board that had streamed for a few seconds before the port was opened
        read as 170 Hz, and its first recording was saved at that rate. The backlog is judged against the
        latest quarter second, not the rest of the window, which a slowly draining backlog still fills.
        """
        host = self._host
        if len(host) < 2:
            return None
        t_end, c_end = host[-1]
        recent = _recent_rate(host)
        start = 0
        if recent is not None:
            # one arrival after another, each far faster than the latest lines: the backlog draining
            while start < len(host) - 2:
                (t0, c0), (t1, c1) = host[start], host[start + 1]
                if c1 - c0 <= BACKLOG_FACTOR * recent * (t1 - t0):
                    break
                start += 1
        t0, c0 = host[start]
        if t_end - t0 < MIN_SPAN_S or c_end - c0 < 2:
            return None
        return (c_end - c0) / (t_end - t0)

    @property
    def source(self) -> str:
        """Where the current rate comes from: 'device clock', 'line count' or 'unknown'."""
        if self.device_rate() is not None:
            return "device clock"
        if self.counted_rate() is not None:
            return "line count"
        return "unknown"

    @property
    def rate(self) -> float | None:
        """Best current estimate, snapped to a common rate when close to one."""
        raw = self.device_rate()
        if raw is None:
            raw = self.counted_rate()
        return snap_rate(raw) if raw is not None else None


def _recent_rate(host: deque[tuple[float, int]]) -> float | None:
    """Lines per second over the latest arrivals (a quarter second, RECENT_LINES at least); None before."""
    t_end, c_end = host[-1]
    for t, c in reversed(host):
        if t_end - t >= MIN_SPAN_S / 2 and c_end - c >= RECENT_LINES:
            return (c_end - c) / (t_end - t)
    return None
