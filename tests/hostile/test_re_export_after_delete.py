"""A re-export into the folder of an earlier export left the files of samples deleted (or relabelled) since:
importing the folder brought the deleted recordings back. A re-export now removes the files its project's
earlier exports wrote for samples it no longer has under that name, and leaves another project's files and
the user's own alone."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from cli_helpers import run_cli
from tinystudio.app.export import EXPORT_FORMATS
from tinystudio.core.store import Project


def _project(path: Path, labels: list[str], base: float) -> list[int]:
    with Project.create(path) as p:
        return [p.add_sample(np.full((20, 1), base + i, np.float32), 50.0, ["x"], lab) for i, lab in enumerate(labels)]


@pytest.mark.parametrize("fmt", EXPORT_FORMATS)
def test_deleted_and_relabelled_samples_do_not_come_back(tmp_path: Path, fmt: str):
    out = tmp_path / "out"
    a_ids = _project(tmp_path / "a.tsproj", ["idle", "bad", "wave"], 0.0)
    _project(tmp_path / "b2.tsproj", ["rest"] * 4, 100.0)  # ids 1-4 too, under another label
    out.mkdir()
    (out / "notes.txt").write_text("mine\n")
    for project in ("a.tsproj", "b2.tsproj"):
        code, _out, err = run_cli("export", str(tmp_path / project), "--format", fmt, "--out", str(out))
        assert code == 0, err
    assert run_cli("samples", str(tmp_path / "a.tsproj"), str(a_ids[1]), "--delete")[0] == 0
    assert run_cli("samples", str(tmp_path / "a.tsproj"), str(a_ids[2]), "--relabel", "shake")[0] == 0
    code, _out, err = run_cli("export", str(tmp_path / "a.tsproj"), "--format", fmt, "--out", str(out))
    assert code == 0, err

    assert (out / "notes.txt").read_text() == "mine\n"
    assert run_cli("new", str(tmp_path / "c.tsproj"))[0] == 0
    code, _out, err = run_cli("import", str(tmp_path / "c.tsproj"), str(out))
    assert code == 0, err
    with Project.open(tmp_path / "c.tsproj") as c:
        got = sorted((s.label, float(c.load_signal(s.id)[0, 0])) for s in c.samples())
    # project a as it is now (idle, shake), and project b's four samples, all still there
    assert got == [("idle", 0.0), ("rest", 100.0), ("rest", 101.0), ("rest", 102.0), ("rest", 103.0),
                   ("shake", 2.0)]


def test_another_projects_file_of_the_same_name_is_not_overwritten(tmp_path: Path):
    out = tmp_path / "out"
    _project(tmp_path / "a.tsproj", ["idle"], 0.0)
    _project(tmp_path / "b.tsproj", ["idle"], 100.0)  # its sample 1 is named idle.1.csv too
    assert run_cli("export", str(tmp_path / "a.tsproj"), "--out", str(out))[0] == 0
    before = (out / "idle.1.csv").read_bytes()
    code, _out, err = run_cli("export", str(tmp_path / "b.tsproj"), "--out", str(out))
    assert code != 0 and "a.tsproj" in err and len(err.strip().splitlines()) == 1, err
    assert (out / "idle.1.csv").read_bytes() == before
