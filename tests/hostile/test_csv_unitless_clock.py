"""A slow logger's CSV with a clock column named only 'time' counting whole seconds (0, 1, 2, ...): it is read
as Arduino millis(), so the recording was stored at 1000 Hz instead of 1 Hz without a word. Which one it is
cannot be known from the numbers; the import now says how it read the column and how to say otherwise, and
--rate does."""

from __future__ import annotations

from pathlib import Path

from cli_helpers import run_cli
from tinystudio.core.store import Project


def test_a_clock_without_unit_read_as_milliseconds_is_said_with_the_way_out(tmp_path: Path):
    (tmp_path / "logger.csv").write_text("time,temperature\n" + "".join(f"{i},{20 + i % 3}\n" for i in range(60)))
    (tmp_path / "sketch.csv").write_text("millis,x\n" + "".join(f"{10 * i},{i % 3}\n" for i in range(60)))
    project = tmp_path / "p.tsproj"
    assert run_cli("new", str(project))[0] == 0
    code, out, err = run_cli("import", str(project), str(tmp_path / "logger.csv"), str(tmp_path / "sketch.csv"),
                             "--label", "room")
    assert code == 0, err
    assert "logger.csv: the 'time' column has no unit and was read as milliseconds (1000 Hz)" in out
    assert "pass --rate 1 " in out and "sketch.csv: the" not in out
    code, out, err = run_cli("import", str(project), str(tmp_path / "logger.csv"), "--label", "room", "--rate", "1")
    assert code == 0 and "milliseconds" not in out, err
    with Project.open(project) as p:
        assert [s.rate_hz for s in p.samples()] == [1000.0, 100.0, 1.0]
