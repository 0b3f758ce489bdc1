"""SQLite holds at most 1 GB in one value: importing a long recording (an 8-hour WAV of 16 kHz stereo audio)
ended in a traceback ('string or blob too big'), and a capture past that size could not be finished. The
import now refuses such a file in one line saying how long its parts may be, and any other write of a too
large value is one line too, the captured chunks kept for a later open. (The tests lower SQLite's limit on
the project's connection instead of writing a gigabyte.)"""

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


def test_a_capture_too_long_to_finish_keeps_its_chunks(tmp_path: Path):
    with Project.create(tmp_path / "p.tsproj") as p:
        writer = p.start_recording(100.0, ["a", "b", "c"], "long")
        p._conn.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, LIMIT)
        for i in range(3):
            writer.append(np.full((4000, 3), i, np.float32))  # 48 kB a chunk
            writer.flush()
        with pytest.raises(UserError) as err:
            writer.finish()
        assert "shorter parts" in str(err.value) and "\n" not in str(err.value)
    with Project.open(tmp_path / "p.tsproj") as p:  # the next open, with SQLite's own limit, finishes it
        (s,) = p.samples()
        assert s.frames == 12000 and s.label == "long"
