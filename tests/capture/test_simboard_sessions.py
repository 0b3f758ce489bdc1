"""The simulated board streams the subjects' sessions one after another and never the same stretch twice:
recordings share no identical window, each carries the subject it came from as its group, and the split
keeps subjects apart. Real pseudo-terminals, the real capture session and the real project file."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import numpy as np

from tinystudio.core.split import assign_splits
from tinystudio.core.store import SPLITS, Project
from tinystudio.device.capture import SIM_PLAYBACK_SETTING, CaptureSession
from tinystudio.device.ports import SIMULATED_PORT
from tinystudio.device.simdata import load_motion_set
from tinystudio.device.simtape import Tape

WINDOW = 25
ROOT = Path(__file__).resolve().parents[2]


def window_hashes(signal: np.ndarray) -> list[bytes]:
    """Every 25-frame window of a recording, as the bytes of its float32 values."""
    s = np.ascontiguousarray(signal, dtype=np.float32)
    return [s[i : i + WINDOW].tobytes() for i in range(len(s) - WINDOW + 1)]


def source_subject(signal: np.ndarray, activity: str) -> str | None:
    """Whose recorded session holds these 25 frames (matched to the printed precision); None when no
    session holds them whole (a window across two sessions)."""
    head = signal[:WINDOW]
    for session in load_motion_set().sessions_of(activity):
        f = session.frames
        tol = 1e-5 * (1 + np.abs(head[0]))
        for start in np.flatnonzero((np.abs(f - head[0]) <= tol).all(axis=1)):
            part = f[start : start + WINDOW]
            if len(part) == WINDOW and np.allclose(part, head, rtol=1e-5, atol=1e-5):
                return session.subject
    return None


def subjects_along(signal: np.ndarray, activity: str) -> set[str]:
    """The subjects whose sessions the recording's windows come from, sampled along it from its third frame
    (the board's first, cut-short line may leave two readings of slack)."""
    offsets = np.linspace(3, len(signal) - WINDOW, 10).astype(int)
    found = {source_subject(signal[off:], activity) for off in offsets}
    found.discard(None)
    assert found, "no window of the recording is in the source data"
    return found  # type: ignore[return-value]


def test_the_data_holds_ten_subjects_per_activity():
    data = load_motion_set()
    assert len(data.activities) == 7
    for activity in data.activities:
        sessions = data.sessions_of(activity)
        assert len(sessions) == 20 and len({s.subject for s in sessions}) == 10


def test_the_tape_never_repeats_a_window_through_three_passes():
    """Past the recorded sessions the tape plays them time-reversed, then resampled: no window comes back."""
    data = load_motion_set()
    tape = Tape(data)
    total = sum(len(s.frames) for s in data.sessions_of("pendulum"))
    parts, subjects = [], set()
    taken = 0
    while taken < 2 * total + 5000:
        frames, subject = tape.take("pendulum", 997)
        parts.append(frames)
        subjects.add(subject)
        taken += len(frames)
    hashes = window_hashes(np.concatenate(parts))
    assert len(set(hashes)) == len(hashes)
    assert subjects == {s.subject for s in data.sessions_of("pendulum")}
    assert "resampled" in tape.describe("pendulum")


def test_twenty_recordings_share_no_window_and_carry_their_subject(tmp_path):
    activity, rate_hz, seconds = "internal_rotation", 500, 0.5  # 250 frames: ten 25-frame windows apart
    with Project.create(tmp_path / "sim.tsproj") as project:
        with CaptureSession(SIMULATED_PORT, activity=activity, sim_rate_hz=rate_hz) as session:
            session.wait_ready(30)
            ids = []
            for _ in range(20):
                session.start_recording(project, "rotation", seconds=seconds)
                done = session.wait_recording(30)
                assert done is not None and done.sample_id is not None
                ids.append(done.sample_id)
        seen: dict[bytes, int] = {}
        for sid in ids:
            signal = project.load_signal(sid)
            info = project.sample_info(sid)
            assert subjects_along(signal, activity) == {info.group}
            for h in window_hashes(signal):
                assert seen.setdefault(h, sid) == sid, f"samples {seen[h]} and {sid} share a window"
        subjects = {project.sample_info(i).group for i in ids}
        assert len(subjects) == 10  # the wearer changes after each recording: all ten people take turns
        assert sum(project.get_setting(SIM_PLAYBACK_SETTING)[activity]["offsets"]) >= 20 * seconds * rate_hz
        assign_splits(project)
        homes = defaultdict(set)
        for s in project.samples():
            homes[s.group].add(s.split)
        assert all(len(v) == 1 for v in homes.values())
        assert {sp for v in homes.values() for sp in v} == set(SPLITS)


def _capture(project: Path) -> dict:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run(
        [sys.executable, "-m", "tinystudio", "capture", str(project), "--simulated", "--activity", "pendulum",
         "--label", "swing", "--seconds", "2", "--json"],
        capture_output=True, text=True, env=env, timeout=120, check=True)
    return json.loads(out.stdout)


def test_separate_capture_commands_continue_the_playback(tmp_path):
    """Two `tinystudio capture --simulated` processes into one project: the second goes on from where the
    first stopped, so the two recordings share no window; each is grouped by its subject."""
    path = tmp_path / "two.tsproj"
    Project.create(path).close()
    first, second = _capture(path), _capture(path)
    with Project.open(path) as project:
        a, b = (project.load_signal(r["sample_id"]) for r in (first, second))
        assert not set(window_hashes(a)) & set(window_hashes(b))
        for r, sig in ((first, a), (second, b)):
            assert subjects_along(sig, "pendulum") == {project.sample_info(r["sample_id"]).group}
