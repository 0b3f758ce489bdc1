"""A logger's or phone app's CSV whose clock is written as text: ISO 8601 dates and times
('2024-03-31T00:59:59.990Z', '2024-01-01 10:00:00.010') or times of day ('10:00:00.010'). The import stopped
at "column 'timestamp' holds '2024-...', which is not a number", and --rate did not help: the file had to be
edited by hand. Now such a clock is read as seconds (a date without a zone as UTC, so a change to summer time
makes no jump), and a later row that is not a time is named."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from cli_helpers import run_cli
from tinystudio.core.store import Project


def _stamps(kind: str, n: int) -> list[str]:
    steps = [timedelta(milliseconds=10 * i) for i in range(n)]
    if kind == "iso-utc":  # across the hour when the clocks go forward in Europe
        start = datetime(2024, 3, 31, 0, 59, 58, tzinfo=UTC)
        return [(start + d).isoformat(timespec="milliseconds").replace("+00:00", "Z") for d in steps]
    start = datetime(2024, 1, 1, 10, 0, 0)
    if kind == "iso-space":
        return [(start + d).isoformat(sep=" ", timespec="milliseconds") for d in steps]
    return [(start + d).time().isoformat(timespec="milliseconds") for d in steps]


@pytest.mark.parametrize("kind", ["iso-utc", "iso-space", "time-of-day"])
def test_a_clock_written_as_dates_or_times_gives_the_rate(tmp_path: Path, kind: str):
    stamps = _stamps(kind, 300)
    (tmp_path / "log.csv").write_text("timestamp,x\n" + "".join(f"{t},{i % 9}\n" for i, t in enumerate(stamps)))
    project = tmp_path / "p.tsproj"
    assert run_cli("new", str(project))[0] == 0
    code, _out, err = run_cli("import", str(project), str(tmp_path / "log.csv"), "--label", "walk")
    assert code == 0, err
    with Project.open(project) as p:
        [info] = p.samples()
        assert (info.axis_names, info.frames, info.rate_hz) == (("x",), 300, 100.0)


def test_a_row_whose_clock_is_not_a_time_is_named(tmp_path: Path):
    (tmp_path / "log.csv").write_text("time,x\n10:00:00.000,1\n10:00:00.010,2\nlost,3\n")
    project = tmp_path / "p.tsproj"
    assert run_cli("new", str(project))[0] == 0
    code, _out, err = run_cli("import", str(project), str(tmp_path / "log.csv"), "--label", "walk")
    assert code != 0 and "line 4" in err and "'lost'" in err and "Traceback" not in err
