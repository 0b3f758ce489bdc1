"""Labels are free text ("temp < 5", "<noise>", "A&B"): the Data step's preview title and the Deploy page's live
view show them as typed. They were put into rich-text labels unescaped, so "<noise>" vanished and "x < y"
cut the line short."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from PySide6.QtGui import Qt, QTextDocument
from PySide6.QtWidgets import QComboBox, QLabel

from cli_helpers import run_cli
from tinystudio.core.store import Project
from tinystudio.gui.context import AppContext
from tinystudio.gui.pages.data_page import DataPage
from tinystudio.gui.widgets.live_view import LiveView

ODD = "walk <fast> & x < y"


def shown(label: QLabel) -> str:
    """The text a person reads in ``label``, decided the way QLabel decides between plain and rich text."""
    text = label.text()
    rich = label.textFormat() == Qt.TextFormat.RichText or (
        label.textFormat() == Qt.TextFormat.AutoText and Qt.mightBeRichText(text))
    if not rich:
        return text
    doc = QTextDocument()
    doc.setHtml(text)
    return doc.toPlainText().replace("\u00a0", " ")


def _relabelled(source: Path, dest: Path) -> tuple[Path, list[int]]:
    shutil.copy(source, dest)
    code, out, err = run_cli("samples", str(dest), "--label", "walking", "--json")
    assert code == 0, err
    ids = [int(s["id"]) for s in json.loads(out)]
    code, _out, err = run_cli("samples", str(dest), *map(str, ids), "--relabel", ODD)
    assert code == 0, err
    return dest, ids


def test_the_data_steps_preview_title_and_summary_show_the_label_as_typed(bm_split_project: Path, tmp_path: Path,
                                                                          qtbot):
    path, ids = _relabelled(bm_split_project, tmp_path / "odd.tsproj")
    context = AppContext()
    context.set_project(Project.open(path))
    page = DataPage(context)
    qtbot.addWidget(page)
    page.show_sample(ids[0])
    assert ODD in shown(page.preview_title)
    assert ODD in shown(page.summary)  # the table of labels by split
    context.close()


def test_the_live_view_shows_labels_as_typed_in_its_legend_and_after_saving(bm_split_project: Path,
                                                                              tmp_path: Path, qtbot):
    path, _ids = _relabelled(bm_split_project, tmp_path / "odd.tsproj")
    code, _out, err = run_cli("train", str(path), "--model", "rf")
    assert code == 0, err
    context = AppContext()
    context.set_project(Project.open(path))
    models, boards = QComboBox(), QComboBox()
    models.addItem("variant", ("variant", context.project.variants()[-1]["id"]))
    boards.addItem("host", "host")
    view = LiveView(context, models, boards)
    for widget in (view, models, boards):
        qtbot.addWidget(widget)
    view.start()
    try:
        qtbot.waitUntil(lambda: view.worker is None or len(view.band_colours()) >= 1, timeout=120000)
        assert view.last_error == ""
        assert ODD in shown(view.legend_label)
    finally:
        view.stop()
        qtbot.waitUntil(lambda: view.worker is None, timeout=30000)
    sample_id = view.save(1.0, "<noise>")
    assert sample_id is not None
    assert "(<noise>;" in shown(view.status)
    context.close()
