"""Data collection from a board TinyStudio flashed: build the data-collection firmware for a board of the
registry and put it on the board (an emulated board starts under QEMU, a bench board is flashed through its
probe), then capture from the port it streams on. The Device page's "Put data-collection firmware on the
board" and ``tinystudio capture --target BOARD`` both call ``flash_collector``."""

from __future__ import annotations

import os
from pathlib import Path

from tinystudio.core.progress import CancelToken, Progress, no_progress
from tinystudio.targets import get_target
from tinystudio.targets.collector import (
    DEFAULT_RATE_HZ,
    CollectorBoard,
    build_collector,
    check_rate,
    flash_arduino_collector,
    is_arduino,
    start_collector,
)

__all__ = ["DEFAULT_RATE_HZ", "CollectorBoard", "collector_boards", "collector_cache", "flash_collector"]


def collector_cache() -> Path:
    """Where the data-collection images are built (shared by every project: they hold no model)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "tinystudio" / "collector"


def collector_boards() -> list[tuple[str, str]]:
    """(name, title) of every board the data-collection firmware can go on: the registry's, the default
    first, then the arduino-cli boards (their sketch streams every axis of the on-board IMU)."""
    from tinystudio.app.boards import board_choices
    from tinystudio.targets.arduino import ARDUINO_BOARDS

    return [(b.name, b.title) for b in board_choices()] + [(b.name, b.title) for b in ARDUINO_BOARDS]


def flash_collector(
    board: str,
    port: str | None = None,
    progress: Progress = no_progress,
    cancel: CancelToken | None = None,
    *,
    rate_hz: float = DEFAULT_RATE_HZ,
    cache_dir: Path | None = None,
) -> CollectorBoard:
    """Build the data-collection firmware for ``board`` streaming at ``rate_hz`` and put it on the board;
    ``port`` names a bench or Arduino board's serial port when it cannot be found from its USB ids. The caller captures
    from the result's ``port`` and closes it when done (which stops an emulated board)."""
    rate = check_rate(rate_hz)
    if is_arduino(board):
        return flash_arduino_collector(board, port, rate, cache_dir or collector_cache(), progress)
    target = get_target(board)
    progress(0.0, f"building the data-collection firmware for {target.title}")
    made, artifact = build_collector(target, cache_dir or collector_cache(), rate,
                                     lambda f, m: progress(0.7 * f, m), cancel)
    progress(0.7, f"starting the data-collection firmware on {target.title}")
    running = start_collector(made, artifact, rate, port=port, progress=lambda f, m: progress(0.7 + 0.3 * f, m),
                              cancel=cancel)
    progress(1.0, f"{target.title} streams {', '.join(running.axes)} at {rate:g} Hz on {running.port}")
    return running
