"""First-run guidance: the next-step strip names what is missing and its button does it; warnings say
when a training result would not be trustworthy (GUI and CLI); Data table edits, shortcuts and Help."""

from __future__ import annotations

import shutil

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from cli_helpers import run_cli
from tests.gui.conftest import close_main_window, make_project
from tinystudio import __version__
from tinystudio.app.guidance import next_step
from tinystudio.app.trust import data_warnings
from tinystudio.core.store import Project
from tinystudio.gui.context import AppContext
from tinystudio.gui.file_dialogs import _dialog
from tinystudio.gui.main_window import MainWindow, about_html
from tinystudio.gui.pages.data_page import LABEL_COLUMN


@pytest.fixture
def window(qtbot):
    win = MainWindow(AppContext())
    qtbot.addWidget(win)
    yield win
    close_main_window(win)


def test_next_step_follows_the_loop(tmp_path, gui_trained):
    with Project.create(tmp_path / "empty.tsproj") as empty:
        assert next_step(empty, connected=False).action == "connect"
        assert next_step(empty, connected=True).action == "record"
    with Project.open(make_project(tmp_path / "two.tsproj", ["idle", "shake"] * 3)) as two:
        assert next_step(two, connected=False).action == "split"
    copy = tmp_path / "trained.tsproj"
    shutil.copy(gui_trained.path, copy)
    with Project.open(copy) as trained:
        assert next_step(trained, connected=False).action == "deploy"


def test_next_step_button_splits_and_then_offers_training(window, tmp_path):
    window.open_project(str(make_project(tmp_path / "p.tsproj", ["idle", "shake"] * 4)))
    bar = window.next_step
    assert bar.button.isVisible() or not window.isVisible()
    assert bar.step.action == "split" and bar.button.text() == "Split"
    bar.button.click()
    assert all(s.split for s in window.context.project.samples())
    assert window.stack.currentWidget() is window.pages["Data"]
    assert bar.step.action == "train" and "train" in bar.label.text().lower()


def test_next_step_connects_the_simulated_board_and_the_header_follows(window, tmp_path, qtbot):
    window.new_project(str(tmp_path / "new.tsproj"))
    device = window.pages["Device"]
    device.select_simulated()
    assert window.next_step.step.action == "connect"
    assert "new.tsproj" in window.header.project.text()
    assert "no board connected" in window.header.connection.text()
    window.next_step.button.click()
    assert device.session is not None
    assert window.next_step.step.action == "record"
    assert "streaming from Simulated board" in window.header.connection.text()
    deploy = window.pages["Deploy"]
    deploy.target_combo.setCurrentIndex(deploy.target_combo.findData("host"))
    assert deploy.target_combo.currentText().split(" (")[0] in window.header.board.text()


def test_untrustworthy_data_is_named_in_app_gui_and_cli(window, tmp_path, bm_split_project):
    one_each = make_project(tmp_path / "one.tsproj", ["idle", "shake"])
    with Project.open(one_each) as project:
        lines = data_warnings(project)
    assert any("No test data" in line for line in lines)
    assert any("Too few recordings per label" in line for line in lines)
    with Project.open(bm_split_project) as project:
        assert data_warnings(project) == []
    window.open_project(str(one_each))
    train = window.show_step("Impulse / Train")
    assert "No test data" in train.trust_label.text()
    window.open_project(str(bm_split_project))
    assert train.trust_label.text() == ""


def test_unbalanced_classes_are_named(tmp_path):
    with Project.open(make_project(tmp_path / "u.tsproj", ["idle"] * 9 + ["shake"] * 3)) as project:
        lines = data_warnings(project)
    assert any("unbalanced" in line and "'shake' 3" in line for line in lines)


@pytest.mark.slow
def test_cli_train_prints_the_warnings(tmp_path):
    path = make_project(tmp_path / "one.tsproj", ["idle", "shake"])
    assert run_cli("split", str(path))[0] == 0  # one recording per label: both land in train
    code, out, err = run_cli("train", str(path), "--epochs", "1")
    assert code == 0
    assert "warning: No validation data" in err and "warning: Too few recordings per label" in err


def test_data_table_edits_labels_in_place_and_offers_a_menu(window, tmp_path):
    window.open_project(str(make_project(tmp_path / "p.tsproj", ["idle", "shake"])))
    page = window.show_step("Data")
    page.table.selectRow(0)
    label_index = page.model.index(0, LABEL_COLUMN)
    assert page.model.flags(label_index) & Qt.ItemFlag.ItemIsEditable
    assert page.model.setData(label_index, "resting")
    assert window.context.project.sample_info(page.model.rows[0].id).label == "resting"
    assert "resting" in page.preview_title.text()
    page.table.selectRow(0)
    titles = [a.text() for a in page.context_menu().actions() if a.text()]
    assert any(t.startswith("Relabel 1 sample") for t in titles)
    assert any(t.startswith("Delete 1 sample") for t in titles)
    assert "Move to split" in titles


def test_shortcuts_are_listed_in_help_and_next_label_cycles(window, tmp_path):
    html = about_html()
    assert __version__ in html
    for keys in ("Ctrl+R", "Esc", "Ctrl+L", "Ctrl+T", "Ctrl+D"):
        assert keys in html
    window.open_project(str(make_project(tmp_path / "p.tsproj", ["idle", "shake"])))
    device = window.pages["Device"]
    first = device.label_box.currentText()
    window.actions_by_name["next_label"].trigger()
    assert device.label_box.currentText() != first
    assert window.actions_by_name["record"].shortcut().toString() == "Ctrl+R"


def test_file_dialogs_start_in_the_last_folder_and_hide_project_caches(qtbot, tmp_path):
    folder = tmp_path / "projects"
    folder.mkdir()
    with Project.create(folder / "a.tsproj") as project:
        assert project.cache_dir.is_dir()
    (folder / "plain").mkdir()
    context = AppContext()
    context.settings.setValue("last_folder", str(folder))
    dialog = _dialog(None, "Open project", context.settings, "All files (*)")
    qtbot.addWidget(dialog)
    assert dialog.directory().absolutePath() == str(folder)
    proxy = dialog.proxyModel()
    source = proxy.sourceModel()
    root = source.index(str(folder))
    qtbot.waitUntil(lambda: source.rowCount(root) >= 3, timeout=5000)
    QApplication.processEvents()
    shown = {proxy.data(proxy.index(r, 0, proxy.mapFromSource(root))) for r in range(proxy.rowCount(
        proxy.mapFromSource(root)))}
    assert "a.tsproj" in shown and "plain" in shown
    assert "a.tsproj-cache" not in shown


def test_relabel_dialog_starts_with_the_samples_own_label(window, tmp_path, qtbot):
    from PySide6.QtCore import QTimer

    window.open_project(str(make_project(tmp_path / "p.tsproj", ["idle", "shake"])))
    page = window.show_step("Data")
    page.table.selectRow(1)
    assert page.model.rows[1].label == "shake"
    seen: list[str] = []

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        seen.append(dialog.textValue())
        dialog.reject()

    QTimer.singleShot(200, answer)
    page.ask_relabel()
    assert seen == ["shake"]
