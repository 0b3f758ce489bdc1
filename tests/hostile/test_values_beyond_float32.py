"""Samples hold float32, which keeps every whole number only up to 16,777,216: a 32-bit counter or an
epoch clock the header does not name as one (read as an axis) was rounded by up to minutes without a word.
The import now says how many values were rounded, and by how much at most."""

from __future__ import annotations

import json
from pathlib import Path

from cli_helpers import run_cli


def _import(tmp_path: Path, path: Path) -> str:
    if not (tmp_path / "p.tsproj").exists():
        assert run_cli("new", str(tmp_path / "p.tsproj"))[0] == 0
    code, out, err = run_cli("import", str(tmp_path / "p.tsproj"), str(path), "--label", "x")
    assert code == 0, err
    return out


def test_an_epoch_column_read_as_an_axis_is_reported_rounded(tmp_path: Path):
    path = tmp_path / "log.csv"
    path.write_text("timestamp,stamp,x\n" + "".join(f"{i * 10},{1700000000123 + i * 10},{i}\n" for i in range(50)))
    out = _import(tmp_path, path)
    assert "were rounded" in out and "16,777,216" in out, out


def test_a_large_whole_number_in_edge_impulse_json_is_reported_rounded(tmp_path: Path):
    doc = {"payload": {"interval_ms": 10, "sensors": [{"name": "count", "units": "N/A"}],
                       "values": [16777217, 16777219, 5]}}
    path = tmp_path / "count.1.json"
    path.write_text(json.dumps(doc))
    assert "were rounded (by up to 1)" in _import(tmp_path, path)


def test_ordinary_values_say_nothing(tmp_path: Path):
    path = tmp_path / "plain.csv"
    path.write_text("timestamp,x\n" + "".join(f"{i * 10},{i * 1000.5}\n" for i in range(50)))
    assert "rounded" not in _import(tmp_path, path)
