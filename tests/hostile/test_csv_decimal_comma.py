"""A CSV saved by a spreadsheet set to a European locale: ';' between values and ',' as the decimal mark
('0;1,5;2,5'). The reader split such rows on the commas: with a header it said the file had no timestamp
column, and with --rate it imported the halves of the numbers as a signal of one axis named '5'. Now the
values are read as written (1.5, 2.5) and the import says how it read them. A file of one timed row was also
said to have no timestamp column."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from cli_helpers import run_cli
from tinystudio.core.store import Project


def test_semicolon_separated_rows_with_decimal_commas_import_as_written(tmp_path: Path):
    csv = tmp_path / "tilt.csv"
    csv.write_text("timestamp;x;y;label\n0;1,5;2,5;up\n10;3,5;-4,25;up\n20;5;6,5;up\n", encoding="utf-8")
    project = tmp_path / "p.tsproj"
    assert run_cli("new", str(project))[0] == 0
    code, out, err = run_cli("import", str(project), str(csv))
    assert code == 0, err
    assert "decimal mark" in out
    with Project.open(project) as p:
        (info,) = p.samples()
        assert (info.label, list(info.axis_names), info.rate_hz) == ("up", ["x", "y"], 100.0)
        np.testing.assert_array_equal(p.load_signal(info.id), [[1.5, 2.5], [3.5, -4.25], [5.0, 6.5]])


def test_comma_separated_rows_are_read_as_before(tmp_path: Path):
    csv = tmp_path / "plain.csv"
    csv.write_text("timestamp,x,note\n0,1.5,a;b\n10,2.5,c;d\n", encoding="utf-8")
    project = tmp_path / "p.tsproj"
    assert run_cli("new", str(project))[0] == 0
    code, out, err = run_cli("import", str(project), str(csv))
    assert code == 0, err
    assert "decimal mark" not in out
    with Project.open(project) as p:
        (info,) = p.samples()
        np.testing.assert_array_equal(p.load_signal(info.id), [[1.5], [2.5]])


def test_a_file_with_one_timed_row_says_so_not_that_it_has_no_timestamp_column(tmp_path: Path):
    csv = tmp_path / "blip.csv"
    csv.write_text("timestamp,x\n0,1\n", encoding="utf-8")
    project = tmp_path / "p.tsproj"
    assert run_cli("new", str(project))[0] == 0
    code, _out, err = run_cli("import", str(project), str(csv))
    assert code != 0
    assert "no timestamp column" not in err and "one timed row" in err and "--rate" in err
