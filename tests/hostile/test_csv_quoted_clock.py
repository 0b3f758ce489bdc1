"""A phone app's or R's CSV quotes its header cells: '"Time (s)","Acceleration x (m/s^2)"'. The quoted clock
was read literally as a signal axis named 'Time (s)': the import said the file had no timestamp column, and
with the --rate it asked for, the clock became an axis of the signal (a ramp the model could learn from).
Now a quoted clock with its time unit in parentheses is the clock; an exported axis of that name reads back
as an axis."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from cli_helpers import run_cli
from tinystudio.core.store import Project


def test_a_quoted_clock_with_its_unit_is_the_clock(tmp_path: Path):
    rows = "".join(f"{i / 100:.2f},{np.sin(i / 5):.4f},{i % 3}\n" for i in range(50))
    (tmp_path / "phone.csv").write_text('"Time (s)","Acceleration x (m/s^2)","Acceleration y (m/s^2)"\n' + rows)
    project = tmp_path / "p.tsproj"
    assert run_cli("new", str(project))[0] == 0
    code, _out, err = run_cli("import", str(project), str(tmp_path / "phone.csv"), "--label", "shake")
    assert code == 0, err
    with Project.open(project) as p:
        info = p.samples()[0]
        assert info.rate_hz == 100.0 and info.axes == 2 and "Time (s)" not in info.axis_names


def test_an_axis_named_like_a_quoted_clock_round_trips_as_an_axis(tmp_path: Path):
    project = tmp_path / "p.tsproj"
    with Project.create(project) as p:
        p.add_sample(np.arange(20, dtype=np.float32).reshape(10, 2), 50, ["Time (s)", "x"], "a")
    assert run_cli("export", str(project), "--out", str(tmp_path / "out"))[0] == 0
    again = tmp_path / "q.tsproj"
    assert run_cli("new", str(again))[0] == 0
    code, _out, err = run_cli("import", str(again), str(tmp_path / "out"))
    assert code == 0, err
    with Project.open(again) as q:
        assert q.samples()[0].axis_names == ("Time (s)", "x")
