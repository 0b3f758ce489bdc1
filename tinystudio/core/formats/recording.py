"""A decoded recording on its way into the project, its signal spooled to disk instead of memory.

Importers decode files block by block into a ``Spool`` (a temporary binary file), so a file of any size
is imported with memory for one block, and the project only changes once every file has decoded.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field

import numpy as np

_BLOCK_FRAMES = 65536


class Spool:
    """Append-only temporary storage for decoded (n, axes) blocks of one dtype."""

    def __init__(self, axes: int, dtype: str = "float32") -> None:
        self.axes = axes
        self.dtype = np.dtype(dtype).newbyteorder("<")
        self._file = tempfile.TemporaryFile(prefix="tinystudio-import-")
        self.frames = 0

    def append(self, block: np.ndarray) -> None:
        arr = np.ascontiguousarray(np.asarray(block).astype(self.dtype, copy=False))
        self._file.seek(0, 2)
        self._file.write(arr.tobytes())
        self.frames += arr.shape[0]

    def read(self, start: int, frames: int) -> Iterator[np.ndarray]:
        """Yield the frames [start, start + frames) in blocks."""
        row = self.axes * self.dtype.itemsize
        self._file.seek(start * row)
        left = frames
        while left > 0:
            n = min(left, _BLOCK_FRAMES)
            data = self._file.read(n * row)
            block = np.frombuffer(data, dtype=self.dtype).reshape(n, self.axes)
            yield block
            left -= n

    def close(self) -> None:
        self._file.close()


@dataclass
class Recording:
    """One sample-to-be: frames [start, start + frames) of a spool plus its metadata."""

    spool: Spool
    start: int
    frames: int
    rate_hz: float | None
    axis_names: list[str]
    units: list[str]
    label: str | None = None
    group: str | None = None
    name: str = ""
    source: str = "file"
    notes: list[str] = field(default_factory=list)

    @property
    def dtype(self) -> str:
        return self.spool.dtype.name

    def blocks(self) -> Iterator[np.ndarray]:
        return self.spool.read(self.start, self.frames)

    def signal(self) -> np.ndarray:
        """The whole signal in memory (for small recordings and tests)."""
        parts = list(self.blocks())
        if not parts:
            return np.zeros((0, self.spool.axes), dtype=self.spool.dtype)
        return np.concatenate(parts)


def spool_array(signal: np.ndarray) -> Spool:
    """Spool an in-memory (frames, axes) array."""
    spool = Spool(signal.shape[1], signal.dtype.name)
    for i in range(0, signal.shape[0], _BLOCK_FRAMES):
        spool.append(signal[i : i + _BLOCK_FRAMES])
    return spool
