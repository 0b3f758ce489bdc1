"""`tinystudio report` against what people and time do to a project: --out naming the project file itself or a
file of their own, a stored result damaged or written without some fields, a result of a board no longer in
the registry, and a board whose counter reads 0 for every window. Each is one clear line or a report that
still renders, and the project keeps opening with its results."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from trained_projects import private_copy

from cli_helpers import run_cli
from tinystudio.core.store import Project


@pytest.fixture(scope="module")
def deployed(trained, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The trained project with one on-device result of the host board (a real build and test)."""
    path = tmp_path_factory.mktemp("report-hostile") / "p.tsproj"
    shutil.copy(trained.path, path)
    code, _out, err = run_cli("deploy", str(path), "--target", "host", "--json")
    assert code == 0, err
    return path


@pytest.fixture
def copy(deployed: Path, tmp_path: Path) -> Path:
    return private_copy(deployed, tmp_path, "p.tsproj")


def _sql(path: Path, statement: str) -> None:
    with sqlite3.connect(path) as db:
        db.execute(statement)


def test_out_never_overwrites_the_project_or_a_file_that_is_not_a_report(copy: Path, tmp_path: Path):
    before = copy.read_bytes()
    code, _out, err = run_cli("report", str(copy), "--out", str(copy))
    assert code != 0 and "project file itself" in err and "Traceback" not in err
    assert copy.read_bytes() == before
    with Project.open(copy) as project:
        assert len(project.device_results()) == 1
    notes = tmp_path / "notes.txt"
    notes.write_text("my measurements\n")
    code, _out, err = run_cli("report", str(copy), "--out", str(notes))
    assert code != 0 and "not an HTML page" in err
    assert notes.read_text() == "my measurements\n"
    report = tmp_path / "r.html"
    for _ in range(2):  # a report of its own is written again
        code, _out, err = run_cli("report", str(copy), "--out", str(report))
        assert code == 0, err
    assert report.read_text().startswith("<!DOCTYPE html>")
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_a_result_of_a_board_no_longer_in_the_registry_still_reports(copy: Path, tmp_path: Path):
    _sql(copy, "UPDATE device_results SET target = 'retired-board', "
               "results = json_set(results, '$.target', 'retired-board')")
    out = tmp_path / "r.html"
    code, _out, err = run_cli("report", str(copy), "--compare", "--out", str(out))
    assert code == 0, err
    html = out.read_text()
    assert "retired-board" in html and "no power figure" in html.lower()


@pytest.mark.parametrize("damage", [
    "json_remove(results, '$.latency')",
    "json_remove(results, '$.nn_counts')",
    "json_object('complete', json('true'))",
])
def test_a_damaged_result_is_named_in_one_line_and_left_out_of_the_comparison(copy: Path, tmp_path: Path, damage):
    code, _out, err = run_cli("deploy", str(copy), "--target", "host", "--json")  # result 2, intact
    assert code == 0, err
    _sql(copy, f"UPDATE device_results SET results = {damage} WHERE id = 1")
    code, _out, err = run_cli("report", str(copy), "--result", "1", "--out", str(tmp_path / "one.html"))
    assert code != 0 and "result 1 is damaged" in err and "Traceback" not in err
    code, _out, err = run_cli("report", str(copy), "--compare", "--out", str(tmp_path / "all.html"))
    assert code == 0, err
    assert "result 2" in (tmp_path / "all.html").read_text().lower()


def test_a_board_whose_counter_reads_zero_for_every_window_reports(copy: Path, tmp_path: Path):
    # The host board counts microseconds: a small enough model takes 0 of them on every window.
    with sqlite3.connect(copy) as db:
        (windows,) = db.execute("SELECT json_extract(results, '$.windows') FROM device_results").fetchone()
        zeros = json.dumps([0] * int(windows))
        db.execute("UPDATE device_results SET results = json_set(results, '$.nn_counts', json(?), "
                   "'$.dsp_counts', json(?))", (zeros, zeros))
    out = tmp_path / "r.html"
    code, _out, err = run_cli("report", str(copy), "--out", str(out))
    assert code == 0, err
    assert "less than the counter can time" in out.read_text()


def test_a_result_named_twice_is_reported_once(copy: Path, tmp_path: Path):
    out = tmp_path / "r.html"
    code, _out, err = run_cli("report", str(copy), "--result", "1", "--result", "1", "--out", str(out))
    assert code == 0, err
    assert out.read_text().count('<section class="result"') == 1
