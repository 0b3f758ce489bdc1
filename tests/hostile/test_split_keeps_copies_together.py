"""The same recording imported twice (a folder imported again, a file copied under another name): the import
says "already in the project (added again)", and the split then dealt the copies out as separate recordings,
so a test sample could be a training sample too and the test accuracy counted what the model had seen. Now
copies of one recording are one unit of the split, as a group is, and of cross-validation's folds."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from cli_helpers import run_cli
from tinystudio.core.store import Project


def test_copies_of_a_recording_land_in_one_split(tmp_path: Path):
    rng = np.random.default_rng(1)
    folder = tmp_path / "walk"
    folder.mkdir()
    for i in range(12):
        (folder / f"walk.{i}.csv").write_text(
            "timestamp,x\n" + "".join(f"{10 * k},{v:.4f}\n" for k, v in enumerate(rng.standard_normal(50))))
    project = tmp_path / "p.tsproj"
    assert run_cli("new", str(project))[0] == 0
    for _ in range(3):  # the folder imported three times over
        assert run_cli("import", str(project), str(folder))[0] == 0
    for seed in range(5):
        code, _out, err = run_cli("split", str(project), "--rebalance", "--seed", str(seed))
        assert code == 0, err
        with Project.open(project) as p:
            sides: dict[str, set[str | None]] = {}
            for s in p.samples():
                sides.setdefault(s.content_hash, set()).add(s.split)
        assert all(len(splits) == 1 for splits in sides.values()), sides
        assert set().union(*sides.values()) == {"train", "validation", "test"}


def test_cross_validation_holds_copies_of_a_recording_out_together(tmp_path: Path):
    from tinystudio.core.crossval import fold_units

    project = tmp_path / "p.tsproj"
    with Project.create(project) as p:
        for copy in range(2):
            for i in range(6):
                p.add_sample(np.full((20, 1), i, np.float32), 10, ["x"], "ab"[i % 2], name=f"r{i}.{copy}")
        samples = p.samples()
    folds, _method = fold_units(samples, k=3)
    held = [unit for fold in folds for unit in fold]
    assert len(held) == 6 and sorted(held) == sorted(f"recording {i}" for i in range(1, 7))
