"""A labelled CSV (one label per row, as activity data sets are) where a label holds a single row, as at a
transition ('walk' x50, 'turn' x1, 'walk' x50): the whole file was refused with "one timed row cannot give a
sample rate ... record longer", which the user cannot do. Now such a stretch takes the rate of the rest of the
file, whose clock it shares, and the import says so."""

from __future__ import annotations

from pathlib import Path

from cli_helpers import run_cli
from tinystudio.core.store import Project


def test_a_label_on_a_single_row_takes_the_files_rate(tmp_path: Path):
    labels = ["walk"] * 50 + ["turn"] + ["walk"] * 50 + ["sit"] * 40
    (tmp_path / "har.csv").write_text(
        "timestamp,x,label\n" + "".join(f"{20 * i},{i % 7},{label}\n" for i, label in enumerate(labels)))
    project = tmp_path / "p.tsproj"
    assert run_cli("new", str(project))[0] == 0
    code, out, err = run_cli("import", str(project), str(tmp_path / "har.csv"))
    assert code == 0, err
    assert "1 stretch(es) of a single row took the rate of the rest of the file" in out
    with Project.open(project) as p:
        assert [(s.label, s.frames, s.rate_hz) for s in p.samples()] == [
            ("walk", 50, 50.0), ("turn", 1, 50.0), ("walk", 50, 50.0), ("sit", 40, 50.0)]
