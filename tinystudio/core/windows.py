"""Cutting recordings into fixed-length windows, per recording and per split.

Windows are cut inside one recording at a time, and every window inherits its recording's split, so
windows of one recording never land on both sides of a split (no leakage between train and test).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from tinystudio.core.errors import UserError
from tinystudio.core.impulse import WindowConfig
from tinystudio.core.limits import MAX_WINDOW_MS, finite_positive, memory_budget

if TYPE_CHECKING:
    from tinystudio.core.store import Project, SampleInfo

SPLIT_NAMES = ("train", "validation", "test")


def ms_to_frames(ms: float, rate_hz: float) -> int:
    """Number of frames in ``ms`` milliseconds at ``rate_hz`` (rounded, at least 1)."""
    finite_positive("a length in ms", ms, MAX_WINDOW_MS)
    return max(1, int(round(ms * rate_hz / 1000.0)))


def window_count(frames: int, window_frames: int, stride_frames: int, short_policy: str) -> int:
    """How many windows ``cut_windows`` cuts from a recording of ``frames`` frames."""
    if frames < window_frames:
        return 1 if short_policy == "pad" and frames > 0 else 0
    return (frames - window_frames) // max(1, stride_frames) + 1


def _check_memory(windows: int, window_frames: int, axes: int) -> None:
    need = windows * window_frames * axes * 4
    budget = memory_budget()
    if need > budget:
        raise UserError(
            f"{windows} windows of {window_frames} frames would need {need / 2**30:.1f} GiB of memory "
            f"(this machine allows {budget / 2**30:.1f} GiB): use a longer stride or a shorter window"
        )


def cut_windows(signal: np.ndarray, window_frames: int, stride_frames: int, short_policy: str) -> np.ndarray:
    """Cut ``signal`` (frames, axes) into windows (n, window_frames, axes), float32.

    Windows start at 0, stride, 2*stride, ... and end inside the recording (a partial tail is not
    used). A recording shorter than one window gives one zero-padded window (``pad``) or none (``drop``).
    """
    sig = np.asarray(signal, dtype=np.float32)
    if sig.ndim == 1:
        sig = sig[:, None]
    frames, axes = sig.shape
    _check_memory(window_count(frames, window_frames, stride_frames, short_policy), window_frames, axes)
    if frames < window_frames:
        if short_policy == "drop" or frames == 0:
            return np.zeros((0, window_frames, axes), dtype=np.float32)
        out = np.zeros((1, window_frames, axes), dtype=np.float32)
        out[0, :frames] = sig
        return out
    starts = range(0, frames - window_frames + 1, max(1, stride_frames))
    return np.stack([sig[s : s + window_frames] for s in starts]).astype(np.float32, copy=False)


@dataclass
class WindowSet:
    """Windows of one split: ``x`` (n, frames, axes), label index ``y`` (n,), source ``sample_ids`` (n,)."""

    x: np.ndarray
    y: np.ndarray
    sample_ids: np.ndarray

    def __len__(self) -> int:
        return int(self.x.shape[0])


@dataclass
class WindowedProject:
    """All windows of a project for one window configuration, grouped by split."""

    splits: dict[str, WindowSet]
    labels: list[str]
    rate_hz: float
    axis_names: list[str]
    window_frames: int
    stride_frames: int
    skipped: dict[str, int] = field(default_factory=dict)


def window_project(project: Project, window: WindowConfig) -> WindowedProject:
    """Cut every labelled, complete sample that has a split into windows, grouped by split.

    Raises UserError when there is nothing to train on or the samples disagree on rate or axes.
    """
    infos = [
        s for s in project.samples()
        if s.label and s.split in SPLIT_NAMES and getattr(s, "status", "complete") == "complete"
    ]
    if not infos:
        labelled = [s for s in project.samples() if s.label]
        if labelled:
            raise UserError("no sample is assigned to a split yet: run the split step first")
        raise UserError("the project has no labelled samples to train on")
    rates = sorted({float(s.rate_hz) for s in infos})
    if len(rates) > 1:
        shown = ", ".join(f"{r:g} Hz" for r in rates[:4])
        raise UserError(f"samples have different sample rates ({shown}); use one rate per project")
    axes = sorted({int(s.axes) for s in infos})
    if len(axes) > 1:
        raise UserError(f"samples have different axis counts ({', '.join(map(str, axes))})")
    rate = rates[0]
    labels = sorted({s.label for s in infos})
    index = {name: i for i, name in enumerate(labels)}
    win, stride = _window_frames(infos, window, rate)
    parts: dict[str, tuple[list[np.ndarray], list[int], list[int]]] = {n: ([], [], []) for n in SPLIT_NAMES}
    skipped = {n: 0 for n in SPLIT_NAMES}
    not_finite: list[str] = []
    for info in infos:
        w = cut_windows(project.load_signal(info.id), win, stride, window.short_policy)
        if len(w) == 0:
            skipped[info.split] += 1
            continue
        if not np.isfinite(w).all():
            not_finite.append(f"{info.id} ({info.name})" if info.name else str(info.id))
            continue
        xs, ys, ids = parts[info.split]
        xs.append(w)
        ys.extend([index[info.label]] * len(w))
        ids.extend([info.id] * len(w))
    if not_finite:
        shown = ", ".join(not_finite[:5]) + (f" and {len(not_finite) - 5} more" if len(not_finite) > 5 else "")
        raise UserError(
            f"sample(s) {shown} hold nan or inf values in their windows: crop or delete them before training"
        )
    splits = {}
    for name, (xs, ys, ids) in parts.items():
        x = np.concatenate(xs) if xs else np.zeros((0, win, axes[0]), dtype=np.float32)
        splits[name] = WindowSet(x, np.asarray(ys, dtype=np.int64), np.asarray(ids, dtype=np.int64))
    if len(splits["train"]) == 0:
        raise UserError("the train split has no windows: shorten the window or pad short recordings")
    first = infos[0]
    return WindowedProject(splits, labels, rate, list(first.axis_names), win, stride, skipped)


def _window_frames(infos: list[SampleInfo], window: WindowConfig, rate: float) -> tuple[int, int]:
    """Window and stride in frames, checked against the recordings and memory before anything is cut."""
    finite_positive("window length (ms)", window.window_ms, MAX_WINDOW_MS)
    finite_positive("window stride (ms)", window.stride_ms, MAX_WINDOW_MS)
    win = ms_to_frames(window.window_ms, rate)
    stride = ms_to_frames(window.stride_ms, rate)
    longest = max(int(s.frames) for s in infos)
    if win > longest:
        raise UserError(
            f"a window of {window.window_ms:g} ms ({win} frames) is longer than the longest recording "
            f"({longest / rate:g} s): choose at most {longest * 1000.0 / rate:g} ms"
        )
    total = sum(window_count(int(s.frames), win, stride, window.short_policy) for s in infos)
    _check_memory(total, win, int(infos[0].axes))
    return win, stride
