"""An unhandled exception, in a Qt slot or in a plain thread, shows a dialog with the report to copy and
writes it to the log file; the app keeps running."""

from __future__ import annotations

import sys
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QPushButton

from tinystudio.app.logs import setup_logging
from tinystudio.gui import crash

pytestmark = pytest.mark.qt_no_exception_capture  # the app's own hook is under test, not pytest-qt's


@pytest.fixture
def handler(monkeypatch, tmp_path: Path) -> crash.CrashHandler:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path))
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # restored after the test
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)
    assert setup_logging() == tmp_path / "tinystudio" / "tinystudio.log"
    yield crash.install(QApplication.instance())
    for dialog in list(crash._handler.dialogs if crash._handler else []):
        dialog.close()


def _log_text(tmp_path: Path) -> str:
    return (tmp_path / "tinystudio" / "tinystudio.log").read_text(encoding="utf-8")


def test_exception_in_a_slot_shows_the_report_and_logs_it(qtbot, handler, tmp_path):
    button = QPushButton("go")
    qtbot.addWidget(button)

    def calibrate_sensor() -> None:
        raise RuntimeError("sensor exploded")

    button.clicked.connect(calibrate_sensor)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(handler.dialogs) == 1)
    dialog = handler.dialogs[0]
    assert dialog.isVisible()
    report = dialog.text.toPlainText()
    assert "RuntimeError: sensor exploded" in report
    assert "in calibrate_sensor" in report and "Traceback" in report
    dialog.copy()
    assert QGuiApplication.clipboard().text() == report
    log = _log_text(tmp_path)
    assert "CRITICAL" in log and "RuntimeError: sensor exploded" in log and "calibrate_sensor" in log
    assert button.isEnabled()  # the app goes on


def test_exception_in_a_thread_reaches_the_dialog_on_the_gui_thread(qtbot, handler, tmp_path):
    def read_board() -> None:
        raise ValueError("bad frame from the board")

    thread = threading.Thread(target=read_board, name="board-reader")
    thread.start()
    thread.join()
    qtbot.waitUntil(lambda: len(handler.dialogs) == 1)
    report = handler.dialogs[0].text.toPlainText()
    assert "in thread board-reader" in report and "ValueError: bad frame from the board" in report
    assert "bad frame from the board" in _log_text(tmp_path)


def test_jobs_and_their_unexpected_errors_are_in_the_log(qtbot, handler, tmp_path):
    from tinystudio.gui.worker import run_in_thread

    def convert_model(progress, cancel) -> None:
        raise KeyError("missing tensor")

    messages: list[str] = []
    worker = run_in_thread(convert_model, on_error=messages.append)
    qtbot.waitUntil(lambda: bool(messages) and worker.isFinished())
    assert messages == ["unexpected error: KeyError('missing tensor')"]  # the page shows one line
    log = _log_text(tmp_path)
    assert "convert_model started" in log and "KeyError: 'missing tensor'" in log and "Traceback" in log
