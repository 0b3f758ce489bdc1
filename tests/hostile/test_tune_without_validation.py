"""`tinystudio tune` on a project whose split left the validation split empty (two people: a group stays in one
split, so one went to train and one to test) says so once, before any trial, naming the groups as the cause.
Before, every trial trained and then failed alone with "the validation split has no windows: split the
project first", though the project was split."""

from __future__ import annotations

import shutil
from pathlib import Path

from cli_helpers import run_cli


def test_tuning_two_groups_without_a_validation_split_is_one_line_before_any_trial(bm_split_project: Path,
                                                                                     tmp_path: Path):
    path = tmp_path / "two-people.tsproj"
    shutil.copy(bm_split_project, path)
    for group, ids in (("ann", range(1, 41)), ("bob", range(41, 81))):
        code, _out, err = run_cli("samples", str(path), *map(str, ids), "--group", group)
        assert code == 0, err
    code, _out, err = run_cli("split", str(path), "--rebalance")
    assert code == 0, err
    code, out, err = run_cli("tune", str(path), "--target", "mps2-an386", "--trials", "2", "--families", "rf",
                             "--no-train")
    assert code != 0
    assert "validation split holds no recordings" in err and "three groups" in err
    assert "trial" not in out and "Traceback" not in err
