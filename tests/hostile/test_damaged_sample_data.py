"""A project file cut short (a copy interrupted, a full disk, a sync tool) or with a few bytes overwritten
still opens, because SQLite keeps no checksums of its pages: the missing end of a long recording read back as
zeros and an overwritten value as another number, silently, into plots, exports and training. Now the signal
is checked against the sample's content hash when it is read, and a damaged one is one line naming it."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from cli_helpers import run_cli
from tinystudio.core.errors import UserError
from tinystudio.core.store import Project


def _project(path: Path) -> np.ndarray:
    rng = np.random.default_rng(3)
    long = (rng.standard_normal((20_000, 3)) + 5).astype(np.float32)  # no zeros: 235 KB over many pages
    with Project.create(path) as p:
        p.add_sample(np.ones((50, 3), np.float32), 100, ["x", "y", "z"], "short", name="short.csv")
        p.add_sample(long, 100, ["x", "y", "z"], "long", name="long.csv")
    return long


def test_a_truncated_project_refuses_the_cut_recording_and_keeps_the_whole_one(tmp_path: Path):
    path = tmp_path / "p.tsproj"
    _project(path)
    with open(path, "r+b") as fh:
        fh.truncate(path.stat().st_size - 100)  # the last page, part of the long recording
    with Project.open(path) as p:
        assert [s.name for s in p.samples()] == ["short.csv", "long.csv"]
        assert p.load_signal(1).shape == (50, 3)  # untouched samples still read
        with pytest.raises(UserError, match=r"sample 2 \(long.csv\) does not match its checksum"):
            p.load_signal(2)
    code, _out, err = run_cli("export", str(path), "--out", str(tmp_path / "out"))
    assert code != 0 and "Traceback" not in err and err.count("\n") == 1, err
    assert "sample 2 (long.csv)" in err


def test_an_overwritten_value_is_refused_not_read_as_another_number(tmp_path: Path):
    path = tmp_path / "p.tsproj"
    long = _project(path)
    raw = bytearray(path.read_bytes())
    at = raw.find(long[10_000].tobytes())
    assert at > 0
    raw[at + 1] ^= 0xFF
    path.write_bytes(bytes(raw))
    with Project.open(path) as p, pytest.raises(UserError, match="damaged"):
        p.load_signal(2)
