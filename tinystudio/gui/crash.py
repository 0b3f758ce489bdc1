"""Unhandled exceptions in the desktop app: whichever thread raises, the report (versions, platform,
traceback) goes to the log file and a dialog shows it with a Copy button, and the app keeps running.

``install()`` replaces ``sys.excepthook`` (exceptions in Qt slots and the main thread arrive there) and
``threading.excepthook`` (plain Python threads); a report from another thread reaches the dialog through a
queued signal, since widgets live on the GUI thread only."""

from __future__ import annotations

import logging
import platform
import sys
import threading
import traceback
from types import TracebackType

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QFontDatabase, QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from tinystudio import __version__
from tinystudio.app.logs import log_file

log = logging.getLogger("tinystudio.crash")


def crash_report(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None,
                 thread: str | None = None) -> str:
    """The text a user copies into a bug report."""
    where = f" in thread {thread}" if thread else ""
    lines = [
        f"TinyStudio {__version__} stopped on an unexpected error{where}.",
        f"Python {platform.python_version()}, PySide6 {pyside_version}, {platform.platform()}",
        "",
        *traceback.format_exception(exc_type, exc, tb),
    ]
    return "\n".join(line.rstrip("\n") for line in lines)


class CrashDialog(QDialog):
    """The report in a read-only text box, a Copy button and where the log file is."""

    def __init__(self, report: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("TinyStudio: unexpected error")
        self.resize(760, 460)
        layout = QVBoxLayout(self)
        intro = QLabel("Something went wrong inside TinyStudio. Your project is saved as it was before this "
                       "error; you can keep working. Please copy the report below into a bug report.\n"
                       f"It is also in the log file: {log_file()}")
        intro.setWordWrap(True)
        intro.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(intro)
        self.text = QPlainTextEdit(report)
        self.text.setReadOnly(True)
        self.text.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        layout.addWidget(self.text, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.copy_button = QPushButton("Copy report")
        self.copy_button.clicked.connect(self.copy)
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def copy(self) -> None:
        QGuiApplication.clipboard().setText(self.text.toPlainText())
        self.copy_button.setText("Copied")


class CrashHandler(QObject):
    """Logs every unhandled exception and shows it in a CrashDialog on the GUI thread."""

    reported = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.dialogs: list[CrashDialog] = []
        self.reported.connect(self._show)  # queued when emitted from another thread

    def handle(self, exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None,
               thread: str | None = None) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc, tb)
            return
        report = crash_report(exc_type, exc, tb, thread)
        log.critical("%s", report)
        print(report, file=sys.stderr)
        self.reported.emit(report)

    def _show(self, report: str) -> None:
        app = QApplication.instance()
        parent = app.activeWindow() if isinstance(app, QApplication) else None
        dialog = CrashDialog(report, parent)
        self.dialogs.append(dialog)
        dialog.finished.connect(lambda _r, d=dialog: self.dialogs.remove(d) if d in self.dialogs else None)
        dialog.show()  # not exec(): a second error while it is open still gets its own dialog
        dialog.raise_()


_handler: CrashHandler | None = None


def install(app: QApplication) -> CrashHandler:
    """Route unhandled exceptions of every thread to one CrashHandler owned by ``app``."""
    global _handler
    if _handler is None or _handler.parent() is not app:
        _handler = CrashHandler(app)
    handler = _handler

    def on_thread_exception(args: threading.ExceptHookArgs) -> None:
        if args.exc_value is None:
            return
        name = args.thread.name if args.thread is not None else None
        handler.handle(args.exc_type, args.exc_value, args.exc_traceback, name)

    sys.excepthook = handler.handle
    threading.excepthook = on_thread_exception
    return handler
