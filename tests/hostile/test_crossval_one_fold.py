"""`tinystudio crossval --folds 1` is refused by the option check itself, which names 2 as the least: before,
the check said "1 to 1000", let 1 through, and cross-validation then refused it with "between 2 and N"."""

from __future__ import annotations

from pathlib import Path

from cli_helpers import run_cli
from tests.gui.conftest import make_project


def test_one_fold_is_refused_by_the_option_check_naming_two(tmp_path: Path):
    path = make_project(tmp_path / "p.tsproj", ["idle", "shake"])
    code, _out, err = run_cli("crossval", str(path), "--folds", "1")
    assert code != 0
    assert "--folds must be between 2 and" in err and len(err.strip().splitlines()) == 1, err
    code, _out, err = run_cli("crossval", str(path), "--folds", "0")
    assert code != 0 and "--folds must be between 2 and" in err, err
