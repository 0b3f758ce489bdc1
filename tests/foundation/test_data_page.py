"""The Data page driven like a user: import by drop, preview, relabel, move, delete, split."""

import numpy as np
import pytest
from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl
from PySide6.QtGui import QDropEvent

from datasets import write_basic_motions_csv
from tinystudio.core.store import Project
from tinystudio.gui.main_window import MainWindow


@pytest.fixture
def window(qtbot, tmp_path):
    win = MainWindow()
    qtbot.addWidget(win)
    assert win.new_project(str(tmp_path / "p.tsproj"))
    yield win
    win.close()


def _drop(page, paths):
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    event = QDropEvent(QPoint(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    page.dropEvent(event)


def test_drop_import_preview_and_edit(qtbot, window, tmp_path):
    page = window.show_step("Data")
    paths = write_basic_motions_csv(tmp_path / "bm")[:8]
    _drop(page, paths)
    qtbot.waitUntil(lambda: page.model.rowCount() == 8, timeout=10000)
    assert "imported 8 sample(s)" in page.message.text()

    page.table.selectRow(0)
    items = page.plot.getPlotItem().listDataItems()
    assert len(items) == 6  # one curve per axis
    x, y = items[0].getData()
    assert x[-1] == pytest.approx(9.9) and np.isfinite(y).all()

    first = page.model.rows[0].id
    page.relabel([first], "jumping")
    assert window.context.project.sample_info(first).label == "jumping"
    assert page.label_filter.findText("jumping") >= 0

    page.move_to_split([first], "test")
    info = window.context.project.sample_info(first)
    assert info.split == "test" and info.split_manual
    assert "test (manual)" in page.model.data(page.model.index(0, 3), Qt.ItemDataRole.DisplayRole)

    page.table.selectRow(1)
    gone = page.selected_ids()
    page.delete_selected(confirm=False)
    assert page.model.rowCount() == 7 and gone[0] not in [r.id for r in page.model.rows]

    report = page.run_split()
    assert report is not None and all(r.split for r in page.model.rows)
    assert "train" in page.summary.text()
    assert window.context.project.sample_info(first).split == "test"  # the manual move stuck


def test_failed_import_shows_error_and_adds_nothing(qtbot, window, tmp_path):
    page = window.show_step("Data")
    bad = tmp_path / "bad.csv"
    bad.write_text("timestamp,x\n0,1\n10,zz\n")
    worker = page.import_paths([str(bad)])
    qtbot.waitUntil(lambda: worker.isFinished(), timeout=10000)
    qtbot.waitUntil(lambda: "Import failed" in page.message.text(), timeout=5000)
    assert page.model.rowCount() == 0


def test_open_recent_and_bad_project(qtbot, tmp_path, monkeypatch):
    Project.create(tmp_path / "a.tsproj").close()
    win = MainWindow()
    qtbot.addWidget(win)
    assert win.open_project(str(tmp_path / "a.tsproj"))
    assert str(tmp_path / "a.tsproj") in win.context.recent_projects()
    assert "a.tsproj" in win.windowTitle()
    (tmp_path / "junk.tsproj").write_text("junk")
    monkeypatch.setattr("tinystudio.gui.main_window.QMessageBox.warning", lambda *a: None)
    assert not win.open_project(str(tmp_path / "junk.tsproj"))
    assert "a.tsproj" in win.windowTitle()  # still on the good project
    win.close()


def test_cut_and_crop_from_the_waveform_selection(qtbot, window, tmp_path):
    page = window.show_step("Data")
    project = window.context.project
    sid = project.add_sample(np.arange(1000, dtype=np.float32).reshape(-1, 1), 100, ["v"], "session")
    window.context.samples_changed.emit()
    page.table.selectRow(0)
    assert page.shown_id == sid and page.region.isVisible()
    page.region.setRegion((2.0, 3.0))
    new_id = page.cut_shown(*page.selection(), "wave")
    assert page.model.rowCount() == 2
    assert project.load_signal(new_id)[:, 0].tolist() == list(range(200, 300))
    page.crop_shown(5.0, 7.5)
    assert project.sample_info(sid).frames == 250


def test_nan_refusal_offers_to_import_without_those_rows(qtbot, window, tmp_path):
    page = window.show_step("Data")
    path = tmp_path / "tap.csv"
    path.write_text("timestamp,x,y\n0,1,2\n10,nan,3\n20,4,5\n30,6,7\n")
    worker = page.import_paths([str(path)])
    qtbot.waitUntil(lambda: worker.isFinished(), timeout=10000)
    qtbot.waitUntil(lambda: "Import failed" in page.message.text(), timeout=5000)
    assert "tap.csv, line 3, column 'x'" in page.message.text() and "--drop-nonfinite" not in page.message.text()
    assert page.drop_nonfinite_button.isVisibleTo(page) and page.model.rowCount() == 0
    page.drop_nonfinite_button.click()
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=10000)
    assert "dropped 1 row(s) holding nan or inf" in page.message.text()
    assert not page.drop_nonfinite_button.isVisibleTo(page)
    assert window.context.project.samples()[0].frames == 3


def test_axis_names_for_a_headerless_file(qtbot, window, tmp_path):
    page = window.show_step("Data")
    path = tmp_path / "log.csv"
    path.write_text("Script started on 2026-11-29 21:40:12+00:00\r\n0,1,2\r\n20,3,4\r\n40,5,6\r\n")
    worker = page.import_paths([str(path)], axes=["t_ms", "x", "y"])
    qtbot.waitUntil(lambda: worker.isFinished(), timeout=10000)
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=5000)
    info = window.context.project.samples()[0]
    assert info.axis_names == ("x", "y") and info.rate_hz == 50.0


def test_split_summary_names_too_few_groups(qtbot, window):
    """Two people recorded everything: the summary says so (not that recordings are too few), and train and
    test get one person each."""
    project = window.context.project
    for i in range(12):
        project.add_sample(np.zeros((20, 1), np.float32), 10, ["a"], ("wave", "idle")[i % 2],
                           group=("ann", "bob")[i // 6])
    window.context.samples_changed.emit()
    page = window.show_step("Data")
    page.run_split()
    text = page.summary.text()
    assert "only 2 groups ('ann', 'bob') for 3 splits" in text
    assert "record more" not in text
    homes = {s.group: s.split for s in project.samples()}
    assert sorted(homes.values()) == ["test", "train"]
