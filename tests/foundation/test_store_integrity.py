"""Project files in a bad way, as a user meets them: foreign, read-only, busy, damaged. Each gives one
clear line through the command line (non-zero exit, no traceback) and never changes a file it refuses."""

from __future__ import annotations

import sqlite3
import stat

import numpy as np
import pytest

from tests.cli_helpers import run_cli
from tinystudio.core import store
from tinystudio.core.errors import UserError
from tinystudio.core.store import Project


def one_line_error(code: int, err: str, *words: str) -> None:
    assert code != 0
    assert err.count("\n") == 1 and "Traceback" not in err, err
    for word in words:
        assert word in err, err


@pytest.fixture
def project_path(tmp_path):
    path = tmp_path / "p.tsproj"
    with Project.create(path) as p:
        for i in range(3):
            p.add_sample(np.full((20, 2), i, dtype=np.float32), 10, ["x", "y"], f"label{i}")
    return path


def test_a_refused_foreign_sqlite_file_is_left_exactly_as_it_was(tmp_path):
    other = tmp_path / "other.tsproj"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE t (x)")
    conn.execute("INSERT INTO t VALUES (1)")
    conn.commit()
    conn.close()
    before = other.read_bytes()
    code, _, err = run_cli("info", str(other))
    one_line_error(code, err, "not a TinyStudio project")
    assert other.read_bytes() == before
    assert sqlite3.connect(other).execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["other.tsproj"]  # no -wal / -shm left beside it


@pytest.mark.parametrize("what", ["file", "folder"])
def test_a_read_only_project_opens_for_viewing_and_refuses_changes(project_path, tmp_path, what):
    target = project_path if what == "file" else tmp_path
    mode = target.stat().st_mode
    target.chmod(stat.S_IMODE(mode) & ~0o222)
    try:
        code, out, err = run_cli("info", str(project_path))
        assert code == 0, err
        assert "3 samples" in out and "read-only" in out
        code, out, err = run_cli("samples", str(project_path), "--json")
        assert code == 0 and "label2" in out
        code, _, err = run_cli("samples", str(project_path), "1", "--relabel", "other")
        one_line_error(code, err, "read-only")
        with Project.open(project_path) as p:
            assert p.read_only
            with pytest.raises(UserError, match="read-only"):
                p.start_recording(10, ["x"], "live")
    finally:
        target.chmod(mode)
    with Project.open(project_path) as p:
        assert not p.read_only
        assert [s.label for s in p.samples()] == ["label0", "label1", "label2"]


def test_a_project_held_for_writing_elsewhere_is_busy_in_one_line(project_path, monkeypatch):
    monkeypatch.setattr(store, "BUSY_TIMEOUT_S", 0.5, raising=False)
    other = sqlite3.connect(project_path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another program writing, for longer than the timeout
    try:
        code, out, err = run_cli("info", str(project_path))
        assert code == 0 and "3 samples" in out  # reading still works meanwhile
        code, _, err = run_cli("samples", str(project_path), "1", "--relabel", "other")
        one_line_error(code, err, "busy")
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert run_cli("samples", str(project_path), "1", "--relabel", "other")[0] == 0


def test_a_damaged_page_in_the_middle_is_one_line(tmp_path):
    path = tmp_path / "big.tsproj"
    with Project.create(path) as p:  # many small samples: the middle of the file is their table's pages
        for i in range(300):
            p.add_sample(np.full((100, 3), i, dtype=np.float32), 50, ["x", "y", "z"], "walk")
    data = bytearray(path.read_bytes())
    page = 4096
    middle = len(data) // 2 // page * page
    data[middle : middle + page] = b"\xff" * page
    path.write_bytes(bytes(data))
    code, _, err = run_cli("info", str(path))
    one_line_error(code, err, "damaged")


def test_deeply_nested_json_in_the_file_is_one_line(project_path):
    nested = "[" * 100_000 + "]" * 100_000
    conn = sqlite3.connect(project_path)
    conn.execute("INSERT INTO settings (key, value) VALUES ('deploy_variant', ?)", (nested,))
    conn.commit()
    code, _, err = run_cli("variants", str(project_path))
    one_line_error(code, err, "nested too deeply")
    conn.execute("UPDATE samples SET axis_names = ? WHERE id = 2", (nested,))
    conn.commit()
    conn.close()
    code, _, err = run_cli("info", str(project_path))
    one_line_error(code, err, "damaged", "sample 2")
