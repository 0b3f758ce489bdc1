"""A serial-monitor log saved without a header, its first column Arduino's millis() ('5000,0.12,0.98'): the
import asked for --rate, and with it the clock became the first axis of the signal, a ramp that differs per
recording (time since power-up), which a model learns from. Now a first column of whole numbers rising in
steady steps is read as the clock (milliseconds, or microseconds for steps of 10,000 and more), as capture
reads a sketch's millis(), and the summary says so; --axes reads it otherwise."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from cli_helpers import run_cli
from tinystudio.core.store import Project


@pytest.mark.parametrize(("step", "unit"), [(20, "milliseconds"), (20_000, "microseconds")])
def test_a_headerless_clock_column_is_the_clock_not_an_axis(tmp_path: Path, step: int, unit: str):
    rows = "".join(f"{5000 + step * i},{np.sin(i / 5):.3f},{np.cos(i / 5):.3f}\n" for i in range(100))
    (tmp_path / "monitor.csv").write_text(rows)
    project = tmp_path / "p.tsproj"
    assert run_cli("new", str(project))[0] == 0
    code, out, err = run_cli("import", str(project), str(tmp_path / "monitor.csv"), "--label", "swing")
    assert code == 0, err
    assert f"read as a clock in {unit}" in out
    code, _out, err = run_cli("import", str(project), str(tmp_path / "monitor.csv"), "--label", "count",
                              "--axes", "count,x,y", "--rate", "50")
    assert code == 0, err
    with Project.open(project) as p:
        clock, named = p.samples()
        assert (clock.axes, clock.rate_hz, clock.frames) == (2, 50.0, 100)
        assert float(p.load_signal(clock.id)[:, 0].max()) <= 1.0  # no ramp among the axes
        assert named.axis_names == ("count", "x", "y")
