"""Grouped cross-validation where a label comes from one group only (each person recorded a different
activity): holding that group out leaves a model that never saw the label. The folds scored 0.000 and the
result said nothing; now the CLI and the Train page's cross-validation view name the fold and the label."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from cli_helpers import run_cli
from tinystudio.app import crossval as crossval_app
from tinystudio.core.store import Project
from tinystudio.gui.widgets.crossval_view import CrossValView


def _one_activity_per_person(source: Path, dest: Path) -> Path:
    shutil.copy(source, dest)
    code, out, err = run_cli("samples", str(dest), "--json")
    assert code == 0, err
    by_label: dict[str, list[str]] = {}
    for s in json.loads(out):
        by_label.setdefault(s["label"], []).append(str(s["id"]))
    for label, ids in by_label.items():
        code, _out, err = run_cli("samples", str(dest), *ids, "--group", f"person-{label}")
        assert code == 0, err
    return dest


def test_a_fold_holding_out_the_only_group_of_a_label_is_named(bm_split_project: Path, tmp_path: Path, qtbot):
    path = _one_activity_per_person(bm_split_project, tmp_path / "people.tsproj")
    code, out, err = run_cli("crossval", str(path), "--model", "rf")
    assert code == 0, err
    warnings = [line for line in out.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 4, out  # every fold holds out the only person of one activity
    assert any("'badminton'" in w and "never saw" in w for w in warnings)

    with Project.open(path) as project:
        stored = crossval_app.latest(project)  # read back from the file, as the Train page does
    assert stored is not None and all(f.unseen for f in stored.folds)
    view = CrossValView()
    qtbot.addWidget(view)
    view.set_result(stored)
    assert "never saw" in view.summary.text() and "badminton" in view.summary.text()
