"""A project opened through a symbolic link (the window on ~/current.tsproj, a script on the real file): the
cache folder, which holds the locks of recordings in progress, sat beside the link, so a program opening the
project by its own name saw no lock, took a recording still being captured for one whose writer had crashed,
and finished it; everything recorded after that was lost without a word. Now a link is followed to the
project it names, so both see the same locks."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from cli_helpers import run_cli
from tinystudio.core.store import Project


def test_a_recording_through_a_link_is_not_finished_by_a_program_opening_the_real_file(tmp_path: Path):
    real = tmp_path / "data" / "p.tsproj"
    real.parent.mkdir()
    Project.create(real).close()
    link = tmp_path / "current.tsproj"
    link.symlink_to(real)

    with Project.open(link) as window:
        writer = window.start_recording(10, ["x"], "walk")
        writer.append(np.arange(5, dtype=np.float32).reshape(-1, 1))
        writer.flush()
        with Project.open(real) as script:  # opening recovers recordings whose writer is gone
            assert script.recordings_in_progress() == 1
            assert script.samples() == []
        writer.append(np.arange(5, 12, dtype=np.float32).reshape(-1, 1))
        sample_id = writer.finish()
        assert sample_id is not None
        assert window.load_signal(sample_id)[:, 0].tolist() == list(range(12))
    assert not (tmp_path / "current.tsproj-cache").exists()


def test_a_loop_of_links_is_no_project_in_one_line(tmp_path: Path):
    (tmp_path / "a.tsproj").symlink_to(tmp_path / "b.tsproj")
    (tmp_path / "b.tsproj").symlink_to(tmp_path / "a.tsproj")
    code, _out, err = run_cli("samples", str(tmp_path / "a.tsproj"))
    assert code != 0 and err.startswith("tinystudio: error: no project at") and "Traceback" not in err
