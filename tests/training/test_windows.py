"""Windowing: stride, padding or dropping short recordings, and no window crossing a split."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from tinystudio.core.errors import UserError
from tinystudio.core.impulse import WindowConfig
from tinystudio.core.split import assign_splits
from tinystudio.core.store import Project
from tinystudio.core.windows import cut_windows, ms_to_frames, window_project


def test_windows_follow_the_stride_and_ignore_the_partial_tail():
    sig = np.arange(20, dtype=np.float32).reshape(10, 2)
    w = cut_windows(sig, 4, 3, "pad")
    assert w.shape == (3, 4, 2)
    np.testing.assert_array_equal(w[1], sig[3:7])
    np.testing.assert_array_equal(w[2], sig[6:10])


def test_short_recording_is_padded_or_dropped_as_chosen():
    sig = np.ones((3, 1), dtype=np.float32)
    padded = cut_windows(sig, 5, 1, "pad")
    assert padded.shape == (1, 5, 1)
    np.testing.assert_array_equal(padded[0, :, 0], [1, 1, 1, 0, 0])
    assert cut_windows(sig, 5, 1, "drop").shape == (0, 5, 1)


def test_milliseconds_become_frames_at_the_sample_rate():
    assert ms_to_frames(1000, 100.0) == 100
    assert ms_to_frames(250, 16000.0) == 4000
    assert ms_to_frames(1, 10.0) == 1


def _synthetic_project(path: Path) -> Project:
    rng = np.random.default_rng(0)
    p = Project.create(path)
    for i in range(30):
        label = ("a", "b", "c")[i % 3]
        frames = 40 + 7 * i  # every recording a different length
        sig = rng.normal(i, 1.0, (frames, 2)).astype(np.float32)  # mean encodes the recording
        p.add_sample(sig, 50.0, ["x", "y"], label, name=f"r{i}")
    assign_splits(p)
    return p


def test_windows_never_cross_splits(tmp_path):
    p = _synthetic_project(tmp_path / "w.tinystudio")
    data = window_project(p, WindowConfig(window_ms=400, stride_ms=100))
    splits_of = {s.id: s.split for s in p.samples()}
    seen: dict[int, str] = {}
    for split, ws in data.splits.items():
        assert len(ws) > 0
        for x, sid in zip(ws.x, ws.sample_ids, strict=True):
            assert splits_of[int(sid)] == split
            assert seen.setdefault(int(sid), split) == split
            sig = p.load_signal(int(sid))
            # the window is a slice of its own recording, at a stride position
            starts = [s for s in range(0, len(sig) - 20 + 1, 5) if np.array_equal(sig[s : s + 20], x)]
            assert starts
    train_ids = set(data.splits["train"].sample_ids.tolist())
    test_ids = set(data.splits["test"].sample_ids.tolist())
    assert not train_ids & test_ids
    assert data.labels == ["a", "b", "c"]
    p.close()


def test_drop_policy_skips_short_recordings(tmp_path):
    p = _synthetic_project(tmp_path / "d.tinystudio")
    longest = max(s.frames for s in p.samples())
    data = window_project(p, WindowConfig(window_ms=longest * 20, stride_ms=100, short_policy="drop"))
    total = sum(len(ws) for ws in data.splits.values())
    assert total == 1  # only the longest recording holds one window
    assert sum(data.skipped.values()) == 29
    p.close()


def test_unsplit_project_gives_a_clear_error(tmp_path):
    p = Project.create(tmp_path / "u.tinystudio")
    p.add_sample(np.zeros((10, 1), np.float32), 10.0, ["x"], "a")
    with pytest.raises(UserError, match="split"):
        window_project(p, WindowConfig())
    p.close()
