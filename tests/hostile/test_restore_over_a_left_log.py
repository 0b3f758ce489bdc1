"""Restoring a backup over a project whose write-ahead log (-wal) a crash left behind: copying the backup
over the file let SQLite replay that log onto it, so the "restored" project silently held the newer
changes again (or was damaged). `tinystudio restore` writes the backup through SQLite's backup API under
its exclusive lock and empties the log, refuses in one line while another program has the project open
(by any name, a hard link too), and refuses backups and targets that are not projects."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

from cli_helpers import run_cli
from process_helpers import killed_after
from tinystudio.core.store import Project

ENV = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
ADD_THEN_DIE = textwrap.dedent("""
    import os, signal, sys, numpy as np
    from tinystudio.core.store import Project
    p = Project.open(sys.argv[1])
    p.add_sample(np.full((50, 2), 7.0, np.float32), 50.0, ["x", "y"], "newer")
    os.kill(os.getpid(), signal.SIGKILL)  # a crash: the commit is in the -wal, not yet in the file
""")
HOLD_OPEN = textwrap.dedent("""
    import sys, time
    from tinystudio.core.store import Project
    p = Project.open(sys.argv[1])
    print(len(p.samples()), flush=True)
    sys.stdin.read()
""")


def _project(path: Path) -> Path:
    with Project.create(path) as p:
        p.add_sample(np.arange(100, dtype=np.float32).reshape(50, 2), 50.0, ["x", "y"], "older")
    return path


def _labels(path: Path) -> list[str | None]:
    with Project.open(path) as p:
        return [s.label for s in p.samples()]


def _crash_after_a_change(path: Path) -> None:
    subprocess.run([sys.executable, "-c", ADD_THEN_DIE, str(path)], env=ENV, timeout=60)
    assert Path(f"{path}-wal").stat().st_size > 0  # the newer sample lives only in the log


def test_restore_gives_the_backup_exactly_though_a_crash_left_a_log(tmp_path: Path):
    project, saved = _project(tmp_path / "p.tsproj"), tmp_path / "saved.tsproj"
    code, out, err = run_cli("backup", str(project), str(saved))
    assert code == 0 and "1 samples" in out, err
    _crash_after_a_change(project)
    # what a file copy does: the log is replayed onto the backup, the newer sample comes back
    shutil.copy(saved, tmp_path / "copy.tsproj")
    shutil.copy(f"{project}-wal", tmp_path / "copy.tsproj-wal")
    assert _labels(tmp_path / "copy.tsproj") == ["older", "newer"]

    code, out, err = run_cli("restore", str(saved), str(project))
    assert code == 0, err
    assert _labels(project) == ["older"]
    with sqlite3.connect(project) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert _labels(saved) == ["older"]  # the backup itself is left as it was


@pytest.mark.parametrize("through_link", [False, True])
def test_restore_refuses_while_another_program_has_the_project_open(tmp_path: Path, through_link: bool):
    project, saved = _project(tmp_path / "p.tsproj"), tmp_path / "saved.tsproj"
    assert run_cli("backup", str(project), str(saved))[0] == 0
    with Project.open(project) as p:
        p.add_sample(np.ones((50, 2), np.float32), 50.0, ["x", "y"], "newer")
    opened = project
    if through_link:
        opened = tmp_path / "other-name.tsproj"
        os.link(project, opened)
    holder = subprocess.Popen([sys.executable, "-c", HOLD_OPEN, str(opened)], env=ENV, text=True,
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    with killed_after(holder, 60):
        assert holder.stdout is not None and holder.stdout.readline().strip() == "2"
        code, _out, err = run_cli("restore", str(saved), str(project))
        holder.communicate("")
    assert code != 0 and "open in another program" in err and len(err.strip().splitlines()) == 1, err
    assert _labels(project) == ["older", "newer"]


def test_restore_refuses_what_is_not_a_project(tmp_path: Path):
    project = _project(tmp_path / "p.tsproj")
    notes = tmp_path / "notes.txt"
    notes.write_text("not a backup\n")
    code, _out, err = run_cli("restore", str(notes), str(project))
    assert code != 0 and "not a TinyStudio project" in err and len(err.strip().splitlines()) == 1, err
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE mine (x)")
    before = other.read_bytes()
    code, _out, err = run_cli("restore", str(project), str(other))
    assert code != 0 and "new file name" in err and len(err.strip().splitlines()) == 1, err
    assert other.read_bytes() == before
    damaged = tmp_path / "damaged-backup.tsproj"
    shutil.copy(project, damaged)
    with open(damaged, "r+b") as fh:
        fh.seek(4096)
        fh.write(b"\xff" * 4096)
    code, _out, err = run_cli("restore", str(damaged), str(project))
    assert code != 0 and "damaged" in err and len(err.strip().splitlines()) == 1, err
    assert _labels(project) == ["older"]


def test_restore_over_a_project_sqlite_cannot_read_and_its_log(tmp_path: Path):
    project, saved = _project(tmp_path / "p.tsproj"), tmp_path / "saved.tsproj"
    assert run_cli("backup", str(project), str(saved))[0] == 0
    _crash_after_a_change(project)
    with open(project, "r+b") as fh:
        fh.seek(16)
        fh.write(b"\x00" * 84)  # the header after its first line: no page size, SQLite cannot open it
    assert run_cli("info", str(project))[0] != 0
    code, _out, err = run_cli("restore", str(saved), str(project))
    assert code == 0, err
    assert _labels(project) == ["older"]


def test_restore_into_a_missing_project_ignores_a_log_left_under_its_name(tmp_path: Path):
    project, saved = _project(tmp_path / "p.tsproj"), tmp_path / "saved.tsproj"
    assert run_cli("backup", str(project), str(saved))[0] == 0
    _crash_after_a_change(project)
    project.unlink()  # the damaged file deleted by hand, its -wal left beside
    code, _out, err = run_cli("restore", str(saved), str(project))
    assert code == 0, err
    assert _labels(project) == ["older"]


def test_restore_a_backup_of_another_page_size(tmp_path: Path):
    """A copy vacuumed with another page size (by an SQLite tool) is restored, not refused as 'read-only'."""
    project, saved = _project(tmp_path / "p.tsproj"), tmp_path / "saved.tsproj"
    shutil.copy(project, saved)
    conn = sqlite3.connect(saved, isolation_level=None)
    conn.execute("PRAGMA journal_mode=DELETE")
    conn.execute("PRAGMA page_size=8192")
    conn.execute("VACUUM")
    conn.close()
    _crash_after_a_change(project)
    code, _out, err = run_cli("restore", str(saved), str(project))
    assert code == 0, err
    assert _labels(project) == ["older"]
