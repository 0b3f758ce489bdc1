"""Grouped k-fold cross-validation: folds hold whole groups out, each exactly once; the CLI reports and
stores mean and spread; the fold fitter is a parameter other model families plug into."""

from __future__ import annotations

import json
import shutil
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from cli_helpers import run_cli
from tinystudio.core.crossval import (
    GROUP_K_FOLD,
    LEAVE_ONE_OUT,
    RUN_KIND,
    FoldScore,
    cross_validate,
    fold_units,
    latest,
)
from tinystudio.core.errors import UserError
from tinystudio.core.store import Project

PEOPLE = 4


def with_people(src: Path, dest: Path, people: int = PEOPLE) -> Path:
    """A copy of BasicMotions whose recordings of each activity are dealt to ``people`` pseudo-subjects."""
    shutil.copy(src, dest)
    with Project.open(dest) as p:
        seen: Counter[str] = Counter()
        for s in p.samples():
            p.set_group([s.id], f"person-{seen[s.label] % people + 1}")
            seen[s.label] += 1
    return dest


@pytest.fixture
def bm_people(bm_project_path: Path, tmp_path: Path) -> Path:
    return with_people(bm_project_path, tmp_path / "people.tinystudio")


@pytest.fixture(scope="module")
def cli_crossval(bm_project_path: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    """Four people cross-validated once from the command line (2 epochs, seed 4): the project with the stored
    result and the --json output. Tests that write to the project take a copy."""
    path = with_people(bm_project_path, tmp_path_factory.mktemp("crossval") / "people.tinystudio")
    code, out, err = run_cli("crossval", str(path), "--epochs", "2", "--seed", "4", "--json")
    assert code == 0, err
    return path, json.loads(out)


def _infos(groups: list[str | None]):
    p = Project.create(Path(__import__("tempfile").mkdtemp()) / "g.tsproj")
    for i, g in enumerate(groups):  # a recording of its own each: copies of one would be one unit
        p.add_sample(np.full((4, 1), i, np.float32), 10, ["a"], "x", group=g)
    return p


def test_folds_hold_each_group_out_once():
    with _infos([f"p{i % 4}" for i in range(20)]) as p:
        folds, method = fold_units(p.samples())
        assert method == LEAVE_ONE_OUT and sorted(len(f) for f in folds) == [1, 1, 1, 1]
    with _infos([f"p{i % 12}" for i in range(36)] + [None, None]) as p:
        folds, method = fold_units(p.samples())
        held = [u for f in folds for u in f]
        assert method == GROUP_K_FOLD and len(folds) == 5
        assert sorted(held) == sorted({f"p{i}" for i in range(12)} | {f"recording {s.id}" for s in p.samples()
                                                                         if s.group is None})
        with pytest.raises(UserError, match="between 2 and 14"):
            fold_units(p.samples(), 15)


def test_one_group_is_refused_with_a_reason():
    with _infos(["solo"] * 5) as p, pytest.raises(UserError, match="at least two groups"):
        fold_units(p.samples())


def test_cli_crossval_reports_and_stores_leave_one_person_out(bm_project_path: Path, cli_crossval: tuple[Path, dict],
                                                             tmp_path: Path):
    with Project.open(bm_project_path) as p:  # the project the people were dealt from
        splits_before = {s.id: s.split for s in p.samples()}
    path, res = cli_crossval
    assert res["method"] == LEAVE_ONE_OUT and res["k"] == PEOPLE
    held = [g for f in res["folds"] for g in f["held_out"]]
    assert sorted(held) == [f"person-{i}" for i in range(1, PEOPLE + 1)]
    acc = [f["accuracy"] for f in res["folds"]]
    assert all(f["windows"] > 0 and f["train_samples"] == 60 and f["test_samples"] == 20 for f in res["folds"])
    assert res["accuracy"]["mean"] == pytest.approx(np.mean(acc))
    assert res["accuracy"]["std"] == pytest.approx(np.std(acc))
    assert res["accuracy"]["min"] == min(acc) and res["accuracy"]["max"] == max(acc)
    with Project.open(path) as p:  # kept in the file; the project's own split is untouched
        assert {s.id: s.split for s in p.samples()} == splits_before
        assert [r.kind for r in p.runs()] == [RUN_KIND]
        stored = latest(p)
        assert stored is not None and stored.accuracies() == acc
    again = tmp_path / "again.tinystudio"
    shutil.copy(path, again)
    code, text, err = run_cli("crossval", str(again), "--epochs", "2", "--seed", "4")
    assert code == 0, err
    assert f"leave-one-group-out, {PEOPLE} folds" in text and "±" in text


def test_fitter_is_a_parameter(bm_people: Path):
    """A majority-class fitter scores each fold by the share of the held-out windows' most common label in
    the fold's training recordings: computed here independently from the samples."""
    def majority(project, fold, config, progress, cancel):
        train = [s for s in project.samples() if s.split == "train"]
        test = [s for s in project.samples() if s.split == "test"]
        common = Counter(s.label for s in train).most_common(1)[0][0]
        assert {s.group for s in train}.isdisjoint({s.group for s in test})
        return FoldScore(sum(s.label == common for s in test) / len(test), len(test))

    with Project.open(bm_people) as p:
        result = cross_validate(p, None, 2, fit=majority)
        assert result.method == GROUP_K_FOLD and result.k == 2
        assert all(0.0 <= a <= 1.0 for a in result.accuracies())
        assert sorted(g for f in result.folds for g in f.held_out) == [f"person-{i}" for i in range(1, PEOPLE + 1)]


def test_train_page_cross_validates_like_the_cli(qtbot, bm_people: Path, cli_crossval: tuple[Path, dict]):
    """The same impulse and seed give the same per-fold accuracies in the GUI as on the command line; the
    result is drawn as a table and bars with the mean line, and comes back after reopening."""
    from PySide6.QtCore import Qt

    from tinystudio.gui.context import AppContext
    from tinystudio.gui.pages.train_page import TrainPage

    cli = cli_crossval[1]  # the command line's run on another copy of the same four-person project

    context = AppContext()
    context.set_project(Project.open(bm_people))
    page = TrainPage(context)
    qtbot.addWidget(page)
    try:
        page.form.epochs.setValue(2)
        page.form.seed.setValue(4)
        qtbot.mouseClick(page.crossval_button, Qt.MouseButton.LeftButton)
        assert page.cancel_button.isEnabled() and not page.train_button.isEnabled()
        qtbot.waitUntil(lambda: page.worker is None, timeout=300_000)
        assert page.last_error == ""
        cli_acc = [f["accuracy"] for f in cli["folds"]]
        assert len(set(cli_acc)) > 1  # two epochs leave the folds apart: equal figures are not a coincidence
        assert page.crossval.bars == pytest.approx([100 * a for a in cli_acc])
        assert page.crossval.mean_line == pytest.approx(100 * cli["accuracy"]["mean"])
        assert page.crossval.table.rowCount() == PEOPLE
        assert [page.crossval.table.item(r, 1).text() for r in range(PEOPLE)] == [
            ", ".join(f["held_out"]) for f in cli["folds"]]
        assert "4 folds (leave-one-group-out)" in page.crossval.summary.text()
        assert page.results_tabs.currentWidget() is page.crossval
    finally:
        page.shutdown()
        context.close()

    context = AppContext()  # reopened: the stored result is shown again
    context.set_project(Project.open(bm_people))
    page = TrainPage(context)
    qtbot.addWidget(page)
    try:
        assert page.crossval.bars == pytest.approx([100 * f["accuracy"] for f in cli["folds"]])
    finally:
        context.close()


def test_cancel_stores_nothing(qtbot, bm_people: Path):
    from PySide6.QtCore import Qt

    from tinystudio.gui.context import AppContext
    from tinystudio.gui.pages.train_page import TrainPage

    context = AppContext()
    context.set_project(Project.open(bm_people))
    page = TrainPage(context)
    qtbot.addWidget(page)
    try:
        page.form.epochs.setValue(500)
        qtbot.mouseClick(page.crossval_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: "fold 1/" in page.status.text(), timeout=60_000)
        qtbot.mouseClick(page.cancel_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: page.worker is None, timeout=120_000)
        assert "Cross-validation cancelled" in page.status.text()
        assert context.project.runs() == []
        assert page.crossval_button.isEnabled() and page.train_button.isEnabled()
    finally:
        page.shutdown()
        context.close()


def test_cli_int8_scores_every_fold_quantized(bm_people: Path):
    code, out, err = run_cli("crossval", str(bm_people), "--folds", "2", "--epochs", "2", "--int8", "--json")
    assert code == 0, err
    res = json.loads(out)
    int8 = [f["int8_accuracy"] for f in res["folds"]]
    assert len(int8) == 2 and all(0.0 <= a <= 1.0 for a in int8)
    assert res["int8_accuracy"]["mean"] == pytest.approx(np.mean(int8))
