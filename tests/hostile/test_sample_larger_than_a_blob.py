"""SQLite holds at most 1 GB in one value: importing a long recording (an 8-hour WAV of 16 kHz stereo audio)
ended in a traceback ('string or blob too big'), and a capture past that size could not be finished. The
import now refuses such a file in one line saying how long its parts may be, a capture goes on in a new
sample before it gets too big, and any other write of a too large value is one line. (The tests lower
SQLite's limit on the project's connection instead of writing a gigabyte.)"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import numpy as np
import pytest

from tinystudio.app.importing import import_files
from tinystudio.core.errors import UserError
from tinystudio.core.formats.wav import write_wav
from tinystudio.core.store import Project

LIMIT = 100_000


def test_a_recording_too_long_for_one_sample_is_refused_in_one_line(tmp_path: Path):
    write_wav(tmp_path / "night.wav", np.zeros((60_000, 1), np.int16), 16000.0)  # 120 kB of audio
    with Project.create(tmp_path / "p.tsproj") as p:
        p._conn.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, LIMIT)
        with pytest.raises(UserError) as err:
            import_files(p, [tmp_path / "night.wav"], label="night")
        assert "night.wav" in str(err.value) and "shorter" in str(err.value) and "\n" not in str(err.value)
        assert p.samples() == []


def test_a_capture_longer_than_one_sample_goes_on_in_the_next(tmp_path: Path):
    """Its chunks could never be joined into one sample (refused at the end, and again at every open); the
    recording is now cut into samples of at most the largest value, all kept, in order."""
    with Project.create(tmp_path / "p.tsproj") as p:
        p._conn.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, LIMIT)
        writer = p.start_recording(100.0, ["a", "b", "c"], "long")
        for i in range(3):
            writer.append(np.full((4000, 3), i, np.float32))  # 48 kB a chunk
            writer.flush()
        last = writer.finish()
        samples = p.samples()
        assert [s.id for s in samples] == [*writer.parts, last]
        assert [s.frames for s in samples] == [8000, 4000] and {s.label for s in samples} == {"long"}
        joined = np.concatenate([p.load_signal(s.id) for s in samples])
        assert joined[:, 0].tolist() == [0.0] * 4000 + [1.0] * 4000 + [2.0] * 4000
        assert p.recordings_in_progress() == 0


def test_a_too_large_write_is_one_line(tmp_path: Path):
    with Project.create(tmp_path / "p.tsproj") as p:
        p._conn.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, LIMIT)
        with pytest.raises(UserError) as err:
            p.add_run("train", {}, {}, {}, b"\0" * (LIMIT + 1))
        assert "shorter parts" in str(err.value) and "\n" not in str(err.value)
