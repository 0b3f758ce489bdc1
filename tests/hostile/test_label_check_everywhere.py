"""Every label a user names passes the one check a live run's saved stretch always had: a blank label or
one spanning lines is refused in one line by relabel (command line and Data page), cut, capture and import
(an option or a folder's name), where before only `tinystudio live --label` refused it."""

from __future__ import annotations

from pathlib import Path

import pytest

from cli_helpers import run_cli
from tests.gui.conftest import make_project
from tinystudio.core.store import Project

BAD = ["a\nb", "   ", "tab\there"]


def _labels(path: Path) -> list[str | None]:
    with Project.open(path) as project:
        return [s.label for s in project.samples()]


@pytest.mark.parametrize("label", BAD)
def test_relabel_on_the_command_line_refuses_a_blank_or_multiline_label(tmp_path: Path, label: str):
    path = make_project(tmp_path / "p.tsproj", ["idle", "shake"])
    code, _out, err = run_cli("samples", str(path), "1", "--relabel", label)
    assert code != 0
    assert "label" in err and len(err.strip().splitlines()) == 1, err
    assert _labels(path) == ["idle", "shake"]


def test_relabel_keeps_the_label_stripped(tmp_path: Path):
    path = make_project(tmp_path / "p.tsproj", ["idle", "shake"])
    code, _out, err = run_cli("samples", str(path), "1", "--relabel", "  resting ")
    assert code == 0, err
    assert _labels(path) == ["resting", "shake"]


def test_cut_refuses_a_multiline_label(tmp_path: Path):
    path = make_project(tmp_path / "p.tsproj", ["idle"])
    code, _out, err = run_cli("samples", str(path), "1", "--cut", "0", "1", "a\nb")
    assert code != 0 and "one line" in err, err
    assert _labels(path) == ["idle"]


def test_capture_refuses_a_multiline_label_before_recording(tmp_path: Path):
    path = make_project(tmp_path / "p.tsproj", [])
    code, _out, err = run_cli("capture", str(path), "--simulated", "--label", "a\nb", "--seconds", "0.5")
    assert code != 0 and "one line" in err, err
    assert _labels(path) == []


def test_import_refuses_a_blank_label_option_and_a_folder_name_spanning_lines(tmp_path: Path):
    path = make_project(tmp_path / "p.tsproj", [])
    folder = tmp_path / "walk\ning"
    folder.mkdir()
    (folder / "run01.csv").write_text("a,b\n1,2\n3,4\n")
    code, _out, err = run_cli("import", str(path), str(folder / "run01.csv"), "--rate", "50",
                              "--label-from", "folder")
    assert code != 0 and "one line" in err and len(err.strip().splitlines()) == 1, err
    code, _out, err = run_cli("import", str(path), str(folder / "run01.csv"), "--rate", "50", "--label", "x\ny")
    assert code != 0 and "one line" in err, err
    assert _labels(path) == []


def test_the_data_page_refuses_a_multiline_label_on_the_page(qtbot, tmp_path: Path):
    from tinystudio.gui.context import AppContext
    from tinystudio.gui.pages.data_page import LABEL_COLUMN, DataPage

    path = make_project(tmp_path / "p.tsproj", ["idle", "shake"])
    context = AppContext()
    page = DataPage(context)
    qtbot.addWidget(page)
    context.set_project(Project.open(path))
    page.model.setData(page.model.index(0, LABEL_COLUMN), "a\nb")
    assert "one line" in page.message.text()
    context.close()
    assert _labels(path) == ["idle", "shake"]
