"""The project file: round trips, transactions, crash recovery, refusing foreign or newer files."""

import signal
import sqlite3
import subprocess
import sys

import numpy as np
import pytest

from tinystudio.core import schema
from tinystudio.core.errors import UserError
from tinystudio.core.store import Project


def test_sample_round_trip_keeps_signal_and_metadata(tmp_path):
    signal = np.random.default_rng(1).normal(size=(250, 3)).astype(np.float32)
    with Project.create(tmp_path / "p.tsproj") as p:
        sid = p.add_sample(signal, 125.0, ["x", "y", "z"], "wave", units=["g", "g", "g"], group="alice")
    with Project.open(tmp_path / "p.tsproj") as p:
        info = p.sample_info(sid)
        assert (info.label, info.group, info.rate_hz, info.axis_names, info.units) == (
            "wave", "alice", 125.0, ("x", "y", "z"), ("g", "g", "g"))
        assert info.duration_s == pytest.approx(2.0)
        np.testing.assert_array_equal(p.load_signal(sid), signal)


def test_audio_is_one_axis_int16(tmp_path):
    audio = (np.sin(np.arange(16000) / 10) * 3000).astype(np.int16)
    with Project.create(tmp_path / "p.tsproj") as p:
        sid = p.add_sample(audio, 16000, ["audio"], "tone")
        out = p.load_signal(sid)
    assert out.dtype == np.int16 and out.shape == (16000, 1)
    np.testing.assert_array_equal(out[:, 0], audio)


def test_file_is_wal_and_versioned(tmp_path):
    Project.create(tmp_path / "p.tsproj").close()
    conn = sqlite3.connect(tmp_path / "p.tsproj")
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA user_version").fetchone()[0] == schema.SCHEMA_VERSION


def test_failed_transaction_leaves_project_unchanged(tmp_path):
    with Project.create(tmp_path / "p.tsproj") as p:
        p.add_sample(np.zeros((10, 1)), 10, ["a"], "keep")
        with pytest.raises(RuntimeError), p.transaction():
            p.add_sample(np.zeros((10, 1)), 10, ["a"], "lost")
            raise RuntimeError("boom")
        assert [s.label for s in p.samples()] == ["keep"]


_CRASHING_WRITER = """
import os, signal, sys
import numpy as np
from tinystudio.core.store import Project
p = Project.open(sys.argv[1])
w = p.start_recording(50, ["a", "b"], "idle")
w.append(np.ones((30, 2)))
w.flush()
w.append(np.ones((7, 2)))  # never flushed: lost like the last second of a crash
os.kill(os.getpid(), signal.SIGKILL)
"""


def test_interrupted_recording_is_recovered_on_open(tmp_path):
    Project.create(tmp_path / "p.tsproj").close()
    # a real crash: the writing process is killed without finishing its recording
    proc = subprocess.run([sys.executable, "-c", _CRASHING_WRITER, str(tmp_path / "p.tsproj")], check=False)
    assert proc.returncode == -signal.SIGKILL
    with Project.open(tmp_path / "p.tsproj") as again:
        (info,) = again.samples()
        assert info.frames == 30 and info.label == "idle" and info.status == "complete"


def test_opening_again_leaves_a_recording_in_progress_alone(tmp_path):
    """Another window (or command) opening the project must not cut a recording still being written."""
    with Project.create(tmp_path / "p.tsproj") as p:
        w = p.start_recording(50, ["a"], "live")
        w.append(np.zeros((20, 1)))
        w.flush()
        with Project.open(tmp_path / "p.tsproj") as viewer:
            assert viewer.samples() == []  # not finished yet: not shown, and not finished by the viewer
        w.append(np.ones((10, 1)))
        sid = w.finish()
        assert p.sample_info(sid).frames == 30
        assert p.load_signal(sid)[:, 0].tolist() == [0.0] * 20 + [1.0] * 10


def test_recording_finish_makes_one_sample(tmp_path):
    with Project.create(tmp_path / "p.tsproj") as p:
        w = p.start_recording(100, ["x"], "tap")
        for i in range(5):
            w.append(np.full((20, 1), i, dtype=np.float32))
            w.flush()
        sid = w.finish()
        assert p.load_signal(sid)[:, 0].tolist() == [float(i) for i in range(5) for _ in range(20)]
        empty = p.start_recording(100, ["x"], "tap")
        assert empty.finish() is None
        assert len(p.samples()) == 1


def test_refuses_foreign_and_newer_files(tmp_path):
    text = tmp_path / "notes.tsproj"
    text.write_text("hello")
    with pytest.raises(UserError, match="not a TinyStudio project"):
        Project.open(text)
    other = tmp_path / "other.db"
    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.commit()
    with pytest.raises(UserError, match="not a TinyStudio project"):
        Project.open(other)
    Project.create(tmp_path / "new.tsproj").close()
    conn = sqlite3.connect(tmp_path / "new.tsproj")
    conn.execute(f"PRAGMA user_version = {schema.SCHEMA_VERSION + 1}")
    conn.commit()
    conn.close()
    with pytest.raises(UserError, match="newer TinyStudio"):
        Project.open(tmp_path / "new.tsproj")
    with pytest.raises(UserError, match="already exists"):
        Project.create(tmp_path / "new.tsproj")


def test_runs_and_settings_persist(tmp_path):
    with Project.create(tmp_path / "p.tsproj") as p:
        rid = p.add_run("train", {"epochs": 3}, {"acc": 0.5}, {"loss": [1, 0.5]}, b"model")
        p.set_setting("impulse", {"window_ms": 1000})
    with Project.open(tmp_path / "p.tsproj") as p:
        run = p.run(rid)
        assert (run.config, run.metrics, run.curves) == ({"epochs": 3}, {"acc": 0.5}, {"loss": [1, 0.5]})
        assert run.model == b"model"
        assert p.get_setting("impulse") == {"window_ms": 1000}
