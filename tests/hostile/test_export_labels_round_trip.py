"""Edge Impulse JSON holds no label: an export named its files after the label and the import read it back
from the name, so an unlabelled sample came back labelled 'unlabelled' (a class of its own in training),
'wave left' as 'wave_left', 'v1.2' as 'v1_2', 'a/b' as 'a_b', and every group was lost. The export now
writes Edge Impulse's info.labels beside the files (labels exactly, the split as a category, the group as
metadata), which the import reads; CSV keeps them in its label and group columns, as before."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from cli_helpers import run_cli
from tinystudio.app.export import EXPORT_FORMATS, export
from tinystudio.core.store import Project

LABELS = [None, "wave left", "v1.2", "unlabelled", "a/b", "日本", "x.y.z", " edge "]


@pytest.mark.parametrize("fmt", EXPORT_FORMATS)
def test_labels_and_groups_come_back_exactly(tmp_path: Path, fmt: str):
    with Project.create(tmp_path / "a.tsproj") as a:
        for i, label in enumerate(LABELS):
            ids = [a.add_sample(np.full((30, 2), i + k, np.float32), 50.0, ["x", "y"], label,
                                group=f"person {k}" if k else None) for k in range(3)]
            a.set_split(ids[2:], "test")
        want = Counter((s.label, s.group, s.content_hash) for s in a.samples())
    code, _out, err = run_cli("export", str(tmp_path / "a.tsproj"), "--format", fmt, "--out", str(tmp_path / "out"))
    assert code == 0, err
    assert run_cli("new", str(tmp_path / "b.tsproj"))[0] == 0
    code, _out, err = run_cli("import", str(tmp_path / "b.tsproj"), str(tmp_path / "out"))
    assert code == 0, err
    with Project.open(tmp_path / "b.tsproj") as b:
        got = Counter((s.label, s.group, s.content_hash) for s in b.samples())
        tested = sorted(s.group or "" for s in b.samples() if s.split == "test")
    assert got == want
    if fmt == "ei-json":  # the test split travels as Edge Impulse's 'testing' category
        assert tested == ["person 2"] * len(LABELS)


def test_a_re_export_of_some_samples_keeps_the_others_labels(tmp_path: Path):
    """Exporting the selected samples again (as the Data page does) into the folder rewrites their entries
    in info.labels and keeps the others'."""
    out = tmp_path / "out"
    with Project.create(tmp_path / "a.tsproj") as a:
        a.add_sample(np.zeros((30, 1), np.float32), 50.0, ["x"], "v1.2")
        second = a.add_sample(np.ones((30, 1), np.float32), 50.0, ["x"], None)
        export(a, out, "ei-json")
        a.relabel([second], "a/b")
        export(a, out, "ei-json", sample_ids=[second])
    assert run_cli("new", str(tmp_path / "b.tsproj"))[0] == 0
    code, _out, err = run_cli("import", str(tmp_path / "b.tsproj"), str(out))
    assert code == 0, err
    with Project.open(tmp_path / "b.tsproj") as b:
        assert sorted(s.label or "" for s in b.samples()) == ["a/b", "v1.2"]
