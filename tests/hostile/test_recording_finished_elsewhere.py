"""The cache folder beside a project is said to be never needed to reopen it, so a user may delete it at any
time, also while a recording is being captured; it held the recording's lock. The next program to open the
project (a `tinystudio samples` in a terminal) then took the recording for one whose writer had crashed and
finished it, and the capture went on writing after a finished sample: everything it recorded after that was
lost without a word. Now the capture notices and keeps the rest as a new sample; no frame is lost."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np

from cli_helpers import run_cli
from tinystudio.core.store import Project


def test_a_recording_whose_lock_was_deleted_loses_no_frame(tmp_path: Path):
    path = tmp_path / "p.tsproj"
    with Project.create(path) as project:
        writer = project.start_recording(10, ["x"], "walk")
        writer.append(np.arange(0, 5, dtype=np.float32).reshape(-1, 1))
        writer.flush()
        shutil.rmtree(project.cache_dir)  # "build outputs and reports": the user frees some space

        code, out, err = run_cli("samples", str(path))  # another program opens the project meanwhile
        assert code == 0, err

        writer.append(np.arange(5, 12, dtype=np.float32).reshape(-1, 1))
        writer.flush()
        writer.set_rate(10)
        writer.append(np.arange(12, 15, dtype=np.float32).reshape(-1, 1))
        last = writer.finish()
        assert last is not None
        kept = [project.load_signal(s.id)[:, 0] for s in project.samples()]
    assert np.concatenate(kept).tolist() == list(range(15))
    assert [len(k) for k in kept] == [5, 10]
