"""A thread-safe ring buffer of the most recent frames, written by the capture reader thread and read
by the live plot; it only serves display, never storage."""

from __future__ import annotations

import threading

import numpy as np


class RingBuffer:
    """Keeps the last ``capacity`` frames of ``axes`` values and a running total of frames written."""

    def __init__(self, capacity: int, axes: int = 0) -> None:
        self.capacity = max(1, int(capacity))
        self._lock = threading.Lock()
        self._data = np.zeros((self.capacity, axes), dtype=np.float64)
        self._total = 0

    @property
    def axes(self) -> int:
        return self._data.shape[1]

    @property
    def total(self) -> int:
        """Frames written since the last reset (grows forever, unlike the stored window)."""
        return self._total

    def reset(self, axes: int) -> None:
        """Forget everything and start over with a new axis count."""
        with self._lock:
            self._data = np.zeros((self.capacity, axes), dtype=np.float64)
            self._total = 0

    def write(self, frames: np.ndarray) -> None:
        """Append frames (n, axes); older frames beyond the capacity are overwritten."""
        n = frames.shape[0]
        if n == 0:
            return
        with self._lock:
            if frames.shape[1] != self._data.shape[1]:
                self._data = np.zeros((self.capacity, frames.shape[1]), dtype=np.float64)
                self._total = 0
            if n >= self.capacity:
                frames = frames[-self.capacity :]
                start = (self._total + n - self.capacity) % self.capacity
                first = self.capacity - start
                self._data[start:] = frames[:first]
                self._data[:start] = frames[first:]
            else:
                start = self._total % self.capacity
                end = start + n
                if end <= self.capacity:
                    self._data[start:end] = frames
                else:
                    first = self.capacity - start
                    self._data[start:] = frames[:first]
                    self._data[: end - self.capacity] = frames[first:]
            self._total += n

    def latest(self, n: int) -> tuple[np.ndarray, int]:
        """A copy of the last ``n`` frames (fewer at the start) in order, and the running total."""
        with self._lock:
            total = self._total
            n = min(n, total, self.capacity)
            if n <= 0:
                return np.empty((0, self._data.shape[1])), total
            end = total % self.capacity
            start = end - n
            if start >= 0:
                out = self._data[start:end].copy()
            else:
                out = np.concatenate((self._data[start:], self._data[:end]))
            return out, total
