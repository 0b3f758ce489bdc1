"""The Data step on a project it may not change (a read-only file, opened for viewing) or that another program
changed under it (`tinystudio samples P 5 --delete` while the window is open): a click on Split, Move, Crop
or on a row that no longer exists is a line on the page. Before, the UserError escaped the click handler and
the app showed its crash dialog ("TinyStudio stopped on an unexpected error") for a read-only file."""

from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from cli_helpers import run_cli
from tinystudio.core.store import Project
from tinystudio.gui.context import AppContext
from tinystudio.gui.pages.data_page import DataPage


@pytest.fixture
def page_on(qtbot):
    contexts: list[AppContext] = []

    def make(path: Path) -> DataPage:
        context = AppContext()
        context.set_project(Project.open(path))
        contexts.append(context)
        page = DataPage(context)
        qtbot.addWidget(page)
        page.show()
        return page

    yield make
    for context in contexts:
        context.close()


def test_changes_to_a_read_only_project_are_a_line_on_the_page(bm_split_project: Path, tmp_path: Path, qtbot,
                                                               page_on):
    path = tmp_path / "shared.tsproj"
    shutil.copy(bm_split_project, path)
    os.chmod(path, stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
    page = page_on(path)
    assert page.context.project is not None and page.context.project.read_only
    page.table.selectRow(0)
    qtbot.mouseClick(page.split_button, Qt.MouseButton.LeftButton)  # pytest-qt fails on an escaped exception
    assert "read-only" in page.message.text()
    page.move_combo.activated.emit(1)
    assert "read-only" in page.message.text()
    page.crop_shown(1.0, 2.0)  # what the Crop button does once its question is answered
    assert "read-only" in page.message.text()


def test_a_sample_deleted_by_another_program_is_a_line_not_a_crash(bm_split_project: Path, tmp_path: Path,
                                                                  page_on):
    path = tmp_path / "p.tsproj"
    shutil.copy(bm_split_project, path)
    page = page_on(path)
    gone = page.model.rows[1].id
    code, _out, err = run_cli("samples", str(path), str(gone), "--delete")  # as another program would
    assert code == 0, err
    page.table.selectRow(1)  # the row still listed: its selection shows the sample
    assert "no sample" in page.message.text() or "no longer" in page.message.text()
    assert gone not in [r.id for r in page.model.rows]  # the list is read again


def test_the_delete_button_asks_before_deleting(bm_split_project: Path, tmp_path: Path, qtbot, page_on):
    """The button's clicked(bool) reached `delete_selected(confirm)` as confirm=False: one click deleted the
    selected samples at once, without the "No undo" question."""
    path = tmp_path / "p.tsproj"
    shutil.copy(bm_split_project, path)
    page = page_on(path)
    page.table.selectRow(0)
    chosen = page.selected_ids()
    asked: list[str] = []

    def answer_no() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            asked.append(box.text())
            box.button(QMessageBox.StandardButton.No).click()
        else:
            QTimer.singleShot(50, answer_no)

    QTimer.singleShot(50, answer_no)
    qtbot.mouseClick(page.delete_button, Qt.MouseButton.LeftButton)
    assert asked and "No undo" in asked[0]
    assert chosen[0] in [r.id for r in page.model.rows]
    with Project.open(path) as project:
        assert chosen[0] in [s.id for s in project.samples()]
