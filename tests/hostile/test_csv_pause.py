"""A logged CSV whose timestamps pause (the logger was paused for 2 s, or a burst of readings was lost): the
rate was the row count over the whole span, so a 100 Hz recording with one 2 s pause in a minute was stored
at 96.8 Hz, silently, and one with a long pause at 0.004 Hz. Now a step far above the typical one is a pause:
the rate comes from the steps between pauses and the import says so."""

from __future__ import annotations

from pathlib import Path

from cli_helpers import run_cli
from tinystudio.core.store import Project


def _log(path: Path, stamps: list[int]) -> Path:
    path.write_text("timestamp,x\n" + "".join(f"{t},{i % 7}\n" for i, t in enumerate(stamps)))
    return path


def test_a_pause_in_the_timestamps_keeps_the_loggers_rate_and_is_named(tmp_path: Path):
    minute = [10 * i for i in range(3000)] + [32_000 + 10 * i for i in range(3000)]  # ms, 2 s paused midway
    jitter = [0, 10, 21, 29, 40, 50, 61, 70, 79, 90]  # an uneven clock is not a pause
    project = tmp_path / "p.tsproj"
    assert run_cli("new", str(project))[0] == 0
    code, out, err = run_cli("import", str(project), str(_log(tmp_path / "paused.csv", minute)),
                             str(_log(tmp_path / "uneven.csv", jitter)), "--label", "walk")
    assert code == 0, err
    assert "paused.csv: the 'timestamp' column jumps 1 time(s), by up to 2.01 s" in out
    assert "uneven.csv: the" not in out
    with Project.open(project) as p:
        assert [(s.name, s.rate_hz) for s in p.samples()] == [("paused.csv", 100.0), ("uneven.csv", 100.0)]
