"""Importing an Edge Impulse export (a folder with training/ and testing/ subfolders) dropped the
assignment: every sample came in unassigned, so the next split mixed the user's test set into training.
Now testing/ goes to the test split and training/ to train or validation (as a split divides them), all
marked as the user's own so a re-split keeps them, and the import says so."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import numpy as np

from cli_helpers import run_cli
from tinystudio.core.formats.edge_impulse import edge_impulse_document, write_edge_impulse
from tinystudio.core.store import Project

LABELS = ("idle", "wave", "shake")


def _export_folder(root: Path) -> dict[str, str]:
    """An Edge Impulse export: 8 training and 3 testing recordings per label, an info.labels beside; the
    folder each recording's values were written to, by its first value."""
    rng = np.random.default_rng(5)
    where: dict[str, str] = {}
    files = []
    for category, count in (("training", 8), ("testing", 3)):
        (root / category).mkdir(parents=True)
        for label in LABELS:
            for i in range(count):
                signal = rng.normal(size=(40, 3)).astype(np.float32)
                name = f"{label}.{category[:2]}{i}.json"
                write_edge_impulse(root / category / name,
                                   edge_impulse_document(signal, 62.5, ["accX", "accY", "accZ"], ["m/s2"] * 3))
                where[repr(float(signal[0, 0]))] = category
                files.append({"path": f"{category}/{name}", "category": category,
                              "label": {"type": "label", "label": label}})
    (root / "info.labels").write_text(json.dumps({"version": 1, "files": files}))
    return where


def _splits(path: Path) -> dict[str, tuple[str | None, bool]]:
    with Project.open(path) as p:
        return {repr(float(p.load_signal(s.id)[0, 0])): (s.split, s.split_manual) for s in p.samples()}


def test_training_and_testing_folders_become_splits_that_a_resplit_keeps(tmp_path: Path):
    where = _export_folder(tmp_path / "export")
    project = tmp_path / "p.tsproj"
    assert run_cli("new", str(project))[0] == 0
    code, out, err = run_cli("import", str(project), str(tmp_path / "export"))
    assert code == 0, err
    assert "imported 33 sample(s)" in out, out
    assert "validation" in out and "9 test" in out and "re-split keeps them" in out, out

    got = _splits(project)
    assert len(got) == 33
    for first, category in where.items():
        split, manual = got[first]
        assert manual, (first, category)
        assert (split == "test") if category == "testing" else split in ("train", "validation")
    with Project.open(project) as p:
        per_label = Counter((s.label, s.split) for s in p.samples())
    for label in LABELS:  # stratified: every label has training and validation recordings
        assert per_label[(label, "train")] >= 5 and per_label[(label, "validation")] >= 1, per_label
        assert per_label[(label, "test")] == 3

    code, _out, err = run_cli("split", str(project), "--rebalance")
    assert code == 0, err
    assert _splits(project) == got


def test_the_testing_folder_itself_goes_to_test(tmp_path: Path):
    _export_folder(tmp_path / "export")
    project = tmp_path / "p.tsproj"
    assert run_cli("new", str(project))[0] == 0
    code, out, err = run_cli("import", str(project), str(tmp_path / "export" / "testing"))
    assert code == 0, err
    assert {v for v in _splits(project).values()} == {("test", True)}


def test_labels_come_from_info_labels_where_a_file_name_cannot_tell_them(tmp_path: Path):
    """A label holding a dot ('v1.2') is cut at the dot when read from a file name; the export's info.labels
    lists it whole."""
    root = tmp_path / "export"
    (root / "training").mkdir(parents=True)
    signal = np.arange(60, dtype=np.float32).reshape(20, 3)
    write_edge_impulse(root / "training" / "v1.2.s1.json",
                       edge_impulse_document(signal, 50.0, ["x", "y", "z"], ["g"] * 3))
    (root / "info.labels").write_text(json.dumps({"version": 1, "files": [
        {"path": "training/v1.2.s1.json", "category": "training", "label": {"type": "label", "label": "v1.2"}}]}))
    project = tmp_path / "p.tsproj"
    assert run_cli("new", str(project))[0] == 0
    code, _out, err = run_cli("import", str(project), str(root))
    assert code == 0, err
    with Project.open(project) as p:
        (s,) = p.samples()
    assert s.label == "v1.2" and s.split == "train" and s.split_manual


def test_a_users_own_folder_called_testing_is_not_a_split(tmp_path: Path):
    folder = tmp_path / "testing"
    folder.mkdir()
    write_edge_impulse(folder / "wave.1.json",
                       edge_impulse_document(np.ones((20, 3), np.float32), 50.0, ["x", "y", "z"], ["g"] * 3))
    project = tmp_path / "p.tsproj"
    assert run_cli("new", str(project))[0] == 0
    code, out, err = run_cli("import", str(project), str(folder))
    assert code == 0 and "split" not in out, (out, err)
    assert set(_splits(project).values()) == {(None, False)}
