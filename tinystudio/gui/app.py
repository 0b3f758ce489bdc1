"""Start the desktop application: the log file, the crash dialog, the theme and icon, then the given, the
last or a first project in the main window."""

from __future__ import annotations

import logging
import signal
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from tinystudio.core.errors import UserError
from tinystudio.core.store import PROJECT_SUFFIX, Project

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication

    from tinystudio.gui.main_window import MainWindow

DEFAULT_PROJECT = Path.home() / "TinyStudio" / f"my-first-project{PROJECT_SUFFIX}"


def _initial_project(argv: Sequence[str], recent: list[str]) -> Project | None:
    """The project named on the command line, else the most recent one, else a first project."""
    if argv:
        return Project.open(Path(argv[0]))
    for path in recent:
        if Path(path).is_file():
            try:
                return Project.open(Path(path))
            except UserError:
                continue
    if DEFAULT_PROJECT.is_file():
        return Project.open(DEFAULT_PROJECT)
    DEFAULT_PROJECT.parent.mkdir(parents=True, exist_ok=True)
    return Project.create(DEFAULT_PROJECT)


def prepare_app() -> QApplication:
    """The QApplication with TinyStudio's names, log file, crash dialog, theme (following the system's
    colour scheme) and icon; what every start of the window needs before the window is made."""
    from PySide6.QtWidgets import QApplication

    from tinystudio import __version__
    from tinystudio.app.logs import setup_logging
    from tinystudio.gui import crash, gc_guard, theme
    from tinystudio.gui.icon import app_icon

    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("TinyStudio")
    app.setOrganizationName("TinyStudio")
    app.setApplicationVersion(__version__)
    app.setDesktopFileName("tinystudio")  # matches packaging/linux/tinystudio.desktop (taskbar icon)
    setup_logging()
    logging.getLogger("tinystudio").info("TinyStudio %s starting", __version__)
    crash.install(app)
    theme.apply_theme(app)
    theme.follow_system(app)
    app.setWindowIcon(app_icon())
    gc_guard.acquire()  # for good: reader threads (capture, live) allocate too; collect on this thread only
    return app


def run_gui(argv: Sequence[str]) -> int:
    """Open the main window and run the Qt event loop until it closes."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QMessageBox

    from tinystudio.gui.context import AppContext
    from tinystudio.gui.main_window import MainWindow

    app = prepare_app()
    try:
        context = AppContext()
        window = MainWindow(context)
        try:
            context.set_project(_initial_project(argv, context.recent_projects()))
        except UserError as exc:
            QMessageBox.warning(window, "Cannot open project", str(exc))
        window.show()
    except Exception:  # a bug before the event loop runs: the same report and log, then a clean exit
        return _crashed_at_start()
    device = window.pages.get("Device")
    if device is not None and hasattr(device, "connect_if_simulated"):
        QTimer.singleShot(200, device.connect_if_simulated)
    _close_on_terminate(window)
    return int(app.exec())


def _close_on_terminate(window: MainWindow) -> None:
    """SIGTERM or SIGHUP closes the window as "Stop and quit" would: jobs are cancelled, a recording keeps what
    it has, and emulators stop. Python only sees a signal when it runs, so a timer wakes it now and then."""
    from PySide6.QtCore import QTimer

    def on_signal(signum: int, frame: object) -> None:
        QTimer.singleShot(0, window.terminate)

    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, on_signal)
    wake = QTimer(window)
    wake.setInterval(250)
    wake.timeout.connect(lambda: None)
    wake.start()


def _crashed_at_start() -> int:
    """Log and show the report of the exception being handled, waiting until the dialog is closed."""
    from tinystudio.gui import crash

    report = crash.crash_report(*sys.exc_info())  # type: ignore[arg-type]
    logging.getLogger("tinystudio.crash").critical("%s", report)
    print(report, file=sys.stderr)
    crash.CrashDialog(report).exec()
    return 1
