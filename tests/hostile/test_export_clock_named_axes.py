"""An axis named like a clock with a time unit ('Time' in s, 'timestamp' in ms, 't' in s) exported to CSV as
'Time[s]' read back as a second clock: the axis vanished and its values became the timestamps (100 Hz read
as 0.5 Hz). Now the export's own leading 'timestamp' is the clock and a column with its unit in square
brackets beside it stays an axis, so every export format gives every axis back exactly."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from cli_helpers import run_cli
from tinystudio.app.export import EXPORT_FORMATS
from tinystudio.core.store import Project

AWKWARD = [
    ("Time", "s"), ("timestamp", "ms"), ("timestamp", ""), ("t", "s"), ("t", ""), ("time", "ms"), ("ms", ""),
    ("millis()", "us"), ("Time (s)", "s"), ("x[1]", "g"), ("a,b", "g"), ('say "hi"', "s"), ("élan 日本", "°C"),
    ("label", "s"), ("group", ""), ("[", "m"), ("]", "g"), ("a]b[", ""),
]


@pytest.mark.parametrize("fmt", EXPORT_FORMATS)
def test_every_axis_comes_back_from_every_export_format(tmp_path: Path, fmt: str):
    rng = np.random.default_rng(3)
    with Project.create(tmp_path / "a.tsproj") as a:
        for name, unit in AWKWARD:
            signal = rng.normal(size=(25, 2)).astype(np.float32)
            a.add_sample(signal, 100.0, [name, "y"], "wave", units=[unit, "g"])
        want = [(s.axis_names, s.units, s.rate_hz, s.content_hash) for s in a.samples()]
    code, _out, err = run_cli("export", str(tmp_path / "a.tsproj"), "--format", fmt, "--out", str(tmp_path / "out"))
    assert code == 0, err
    code, _out, err = run_cli("new", str(tmp_path / "b.tsproj"))
    assert code == 0, err
    code, _out, err = run_cli("import", str(tmp_path / "b.tsproj"), str(tmp_path / "out"))
    assert code == 0, err
    with Project.open(tmp_path / "b.tsproj") as b:
        got = sorted((s.axis_names, s.units, s.rate_hz, s.content_hash) for s in b.samples())
    assert got == sorted(want)


@pytest.mark.parametrize("header", ["time,seconds_elapsed,x", "timestamp,elapsed[s],x", 'timestamp,"elapsed_s",x'])
def test_a_users_file_with_two_clocks_still_picks_the_one_with_a_unit(tmp_path: Path, header: str):
    """Unchanged: epoch time without a unit beside seconds elapsed; the second is the clock, neither an axis."""
    path = tmp_path / "phone.csv"
    path.write_text(header + "\n" + "".join(f"{1.7e18 + i * 1e7:.0f},{i * 0.01:.2f},{i}\n" for i in range(20)))
    code, _out, err = run_cli("new", str(tmp_path / "p.tsproj"))
    assert code == 0, err
    code, _out, err = run_cli("import", str(tmp_path / "p.tsproj"), str(path), "--label", "walk")
    assert code == 0, err
    with Project.open(tmp_path / "p.tsproj") as p:
        (s,) = p.samples()
    assert s.axis_names == ("x",) and s.rate_hz == pytest.approx(100.0)


@pytest.mark.parametrize(("names", "units"), [(["x"], ["[g]"]), (["", "y"], ["g", "g"]), (["x", "x"], ["", ""])])
def test_what_no_csv_header_can_hold_is_refused_and_ei_json_keeps_it(tmp_path: Path, names, units):
    """A unit with square brackets, an empty axis name or two axes of one name came back changed from CSV
    (or not at all); the CSV export now refuses in one line before writing, and ei-json keeps them."""
    with Project.create(tmp_path / "a.tsproj") as a:
        a.add_sample(np.arange(4 * len(names), dtype=np.float32).reshape(4, -1), 10.0, names, "rest", units=units)
        want = [(s.axis_names, s.units, s.content_hash) for s in a.samples()]
    code, _out, err = run_cli("export", str(tmp_path / "a.tsproj"), "--out", str(tmp_path / "out"))
    assert code != 0 and "ei-json" in err and len(err.strip().splitlines()) == 1, err
    assert not list((tmp_path / "out").glob("*.csv"))
    code, _out, err = run_cli("export", str(tmp_path / "a.tsproj"), "--format", "ei-json", "--out",
                              str(tmp_path / "json"))
    assert code == 0, err
    with Project.create(tmp_path / "b.tsproj") as b:
        pass
    assert run_cli("import", str(tmp_path / "b.tsproj"), str(tmp_path / "json"))[0] == 0
    with Project.open(tmp_path / "b.tsproj") as b:
        assert [(s.axis_names, s.units, s.content_hash) for s in b.samples()] == want
