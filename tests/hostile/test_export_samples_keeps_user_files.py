"""`tinystudio export` of samples into a folder that holds the user's own files (or `--out ""`, the current
folder) refused to overwrite nothing: a file of the user's named like an exported sample was silently
replaced. Now it is refused in one line naming that file, before anything is written, as a model export
refuses a folder it did not write; a re-export into the same folder still replaces its own files."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from cli_helpers import run_cli
from tests.gui.conftest import make_project
from tinystudio.core.store import Project

MINE = "my own notes, not a recording\n"


@pytest.mark.parametrize(("fmt", "ext"), [("csv", "csv"), ("ei-json", "json")])
def test_export_refuses_to_overwrite_a_users_file(tmp_path: Path, fmt: str, ext: str):
    path = make_project(tmp_path / "p.tsproj", ["idle", "shake"])
    out = tmp_path / "out"
    out.mkdir()
    (out / f"shake.2.{ext}").write_text(MINE)
    code, _out, err = run_cli("export", str(path), "--format", fmt, "--out", str(out))
    assert code != 0
    assert f"shake.2.{ext}" in err and "empty folder" in err and len(err.strip().splitlines()) == 1, err
    assert (out / f"shake.2.{ext}").read_text() == MINE
    assert sorted(p.name for p in out.iterdir()) == [f"shake.2.{ext}"]  # nothing else written either


def test_export_into_the_current_folder_keeps_the_users_file(tmp_path: Path):
    path = make_project(tmp_path / "p.tsproj", ["idle"])
    here = tmp_path / "here"
    here.mkdir()
    (here / "idle.1.csv").write_text(MINE)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    run = subprocess.run([sys.executable, "-m", "tinystudio", "export", str(path), "--out", ""], cwd=here,
                         env=env, capture_output=True, text=True, timeout=300)
    assert run.returncode == 1, run.stderr[-2000:]
    assert "Traceback" not in run.stderr and "idle.1.csv" in run.stderr
    assert (here / "idle.1.csv").read_text() == MINE


def test_a_re_export_replaces_its_own_files_but_not_a_users_new_one(tmp_path: Path):
    path = make_project(tmp_path / "p.tsproj", ["idle", "shake"])
    out = tmp_path / "out"
    out.mkdir()
    (out / "readme.txt").write_text(MINE)  # a file of the user's no sample is named like
    for _ in range(2):
        code, _out, err = run_cli("export", str(path), "--out", str(out))
        assert code == 0, err
    assert (out / "readme.txt").read_text() == MINE
    assert {"idle.1.csv", "shake.2.csv"} <= {p.name for p in out.iterdir()}
    (out / "idle.3.csv").write_text(MINE)  # the user's, named like the sample a cut adds next
    code, _out, err = run_cli("samples", str(path), "1", "--cut", "0", "1", "idle")
    assert code == 0, err
    code, _out, err = run_cli("export", str(path), "--out", str(out))
    assert code != 0 and "idle.3.csv" in err, err
    assert (out / "idle.3.csv").read_text() == MINE
    clean = tmp_path / "clean"
    code, _out, err = run_cli("export", str(path), "--out", str(clean))
    assert code == 0, err
    fresh = make_project(tmp_path / "q.tsproj", [])
    code, _out, err = run_cli("import", str(fresh), str(clean))  # the folder: its list of files is no recording
    assert code == 0, err
    with Project.open(fresh) as project:
        assert sorted(s.label for s in project.samples()) == ["idle", "idle", "shake"]
