"""The main window: a step sidebar (Device, Data, Impulse/Train, Compress, Deploy), the File and Help menus,
what is remembered between runs, and closing safely while a long job runs (it asks, then cancels the job
through its cancel token and closes once it has stopped)."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QSize, QTimer, QUrl
from PySide6.QtGui import QAction, QCloseEvent, QDesktopServices, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from tinystudio import __version__
from tinystudio.app.guidance import next_step
from tinystudio.app.logs import log_file
from tinystudio.core.errors import UserError
from tinystudio.core.store import PROJECT_SUFFIX, Project
from tinystudio.gui import settings as remembered
from tinystudio.gui.context import AppContext
from tinystudio.gui.file_dialogs import PROJECTS_FOLDER, open_files, save_file
from tinystudio.gui.guide import GuideDialog
from tinystudio.gui.icon import app_icon
from tinystudio.gui.shortcuts import SHORTCUTS, shortcuts_html
from tinystudio.gui.theme import apply_plot_theme, restyle_plots
from tinystudio.gui.widgets.header import StatusHeader
from tinystudio.gui.widgets.next_step import NextStepBar
from tinystudio.gui.widgets.panes import column

# (sidebar title, module in tinystudio.gui.pages, class name)
STEPS: tuple[tuple[str, str, str], ...] = (
    ("Device", "device_page", "DevicePage"),
    ("Data", "data_page", "DataPage"),
    ("Impulse / Train", "train_page", "TrainPage"),
    ("Compress", "compress_page", "CompressPage"),
    ("Deploy", "deploy_page", "DeployPage"),
)
_FILTER = f"TinyStudio projects (*{PROJECT_SUFFIX});;All files (*)"
JOB_NAMES = {"Device": "a recording", "Data": "an import", "Impulse / Train": "a training",
             "Compress": "a compression", "Deploy": "a deploy"}
"""What each step's long job is called when closing asks about it."""
STOP_POLL_MS = 100


def about_html() -> str:
    """Help > About: version, what the app does, and the shortcuts."""
    return (f"<h3>TinyStudio {__version__}</h3>"
            "<p>TinyML from sensor to board, fully offline: record or import labelled sensor data, split "
            "it, design and train a small model, compress it to int8 (quantization, pruning, distillation), "
            "then build the firmware, flash it and measure accuracy, latency and memory on the board or its "
            "emulator. Every step also runs from the command line (<code>tinystudio --help</code>).</p>"
            "<p>The bar under the menu always says what to do next.</p><h4>Keyboard shortcuts</h4>"
            + shortcuts_html())


class PendingPage(QWidget):
    """Shown for a step this build does not include yet."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"<h2>{title}</h2><p>This step is not available in this version yet.</p>"))
        layout.addStretch(1)


FIRST_SIZE = QSize(1280, 800)


def first_size(available: QSize) -> QSize:
    """The window's size on a first start: the usual size, but never larger than the screen offers."""
    return FIRST_SIZE.boundedTo(available) if available.isValid() and not available.isEmpty() else FIRST_SIZE


class MainWindow(QMainWindow):
    """The application window; pages share one AppContext."""

    def __init__(self, context: AppContext | None = None) -> None:
        super().__init__()
        apply_plot_theme()
        self.context = context or AppContext(self)
        self.setWindowTitle("TinyStudio")
        self.setWindowIcon(app_icon())
        self.resize(first_size(self.screen().availableGeometry().size()))
        self.close_box: QMessageBox | None = None
        self._stopping = False
        self._stop_timer = QTimer(self)
        self._stop_timer.setInterval(STOP_POLL_MS)
        self._stop_timer.timeout.connect(self._close_when_stopped)

        self.sidebar = QListWidget()
        self.sidebar.setObjectName("steps")
        self.sidebar.setFixedWidth(180)
        self.stack = QStackedWidget()
        self.pages: dict[str, QWidget] = {}
        for title, module, cls in STEPS:
            page = self._make_page(title, module, cls)
            self.pages[title] = page
            self.sidebar.addItem(title)
            self.stack.addWidget(page)
        self.sidebar.currentRowChanged.connect(self.stack.setCurrentIndex)

        self.next_step = NextStepBar()
        self.next_step.triggered.connect(self.do_action)
        self.header = StatusHeader()
        central = QWidget()
        layout = QHBoxLayout(central)
        layout.addWidget(self.sidebar)
        layout.addWidget(column(self.header, self.next_step, self.stack), 1)
        self.setCentralWidget(central)
        self._build_menu()
        for signal in (self.context.project_changed, self.context.samples_changed, self.context.runs_changed,
                       self.context.variants_changed, self.context.results_changed):
            signal.connect(self.update_next_step)
        self.sidebar.currentRowChanged.connect(lambda _row: self.update_next_step())
        connection = getattr(self.pages.get("Device"), "connection_changed", None)
        if connection is not None:
            connection.connect(self.update_next_step)
        wanted = getattr(self.pages.get("Deploy"), "sample_requested", None)
        if wanted is not None:  # a window the board got differently from the host: show its sample
            wanted.connect(self.show_data_sample)
        window = getattr(self.pages.get("Deploy"), "window_requested", None)
        if window is not None:  # ... with that window as the shaded band
            window.connect(self.show_data_window)
        target = getattr(self.pages.get("Deploy"), "target_combo", None)
        if target is not None:
            target.currentIndexChanged.connect(lambda _i: self.update_next_step())
        self.context.project_changed.connect(self._update_title)
        self.context.project_changed.connect(self.statusBar().clearMessage)
        self.context.status.connect(lambda text: self.statusBar().showMessage(text, 8000))
        restyle_plots(self)  # pages may have made plots with a fixed background
        settings = self.context.settings
        remembered.restore_window(settings, self)
        remembered.restore_splitters(settings, self.pages)
        remembered.restore_choices(settings, self.pages)
        remembered.restore_numbers(settings, self.pages)
        self.sidebar.setCurrentRow(remembered.saved_step(settings, len(STEPS)))
        self._update_title()
        self.update_next_step()

    def _make_page(self, title: str, module: str, cls: str) -> QWidget:
        try:
            mod = importlib.import_module(f"tinystudio.gui.pages.{module}")
        except ModuleNotFoundError as exc:
            if exc.name != f"tinystudio.gui.pages.{module}":
                raise
            return PendingPage(title)
        return getattr(mod, cls)(self.context)

    def show_step(self, title: str) -> QWidget:
        self.sidebar.setCurrentRow([s[0] for s in STEPS].index(title))
        return self.pages[title]

    def show_data_sample(self, sample_id: int) -> None:
        """Switch to the Data step with ``sample_id`` selected and drawn."""
        select = getattr(self.show_step("Data"), "select_sample", None)
        if select is not None:
            select(sample_id)

    def show_data_window(self, sample_id: int, start_s: float, end_s: float) -> None:
        """``show_data_sample`` with the band on the window from ``start_s`` to ``end_s``."""
        self.show_data_sample(sample_id)
        band = getattr(self.pages["Data"], "set_selection", None)
        if band is not None:
            band(start_s, end_s)

    def _build_menu(self) -> None:
        menu = self.menuBar().addMenu("&File")
        new = QAction("&New project…", self, shortcut=QKeySequence.StandardKey.New)
        new.triggered.connect(self.ask_new)
        opn = QAction("&Open project…", self, shortcut=QKeySequence.StandardKey.Open)
        opn.triggered.connect(self.ask_open)
        menu.addAction(new)
        menu.addAction(opn)
        self.recent_menu = menu.addMenu("Open &Recent")
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        menu.addSeparator()
        quit_action = QAction("&Quit", self, shortcut=QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        menu.addAction(quit_action)
        run_menu = self.menuBar().addMenu("&Run")
        self.actions_by_name: dict[str, QAction] = {}
        for sc in SHORTCUTS:
            action = QAction(sc.title, self, shortcut=QKeySequence(sc.keys))
            action.setToolTip(sc.help)
            action.triggered.connect(lambda _=False, name=sc.action: self.do_action(name))
            run_menu.addAction(action)
            self.actions_by_name[sc.action] = action
        run_menu.addSeparator()
        for i, (title, _, _) in enumerate(STEPS, start=1):
            go = QAction(f"Go to {title}", self, shortcut=QKeySequence(f"Ctrl+{i}"))
            go.triggered.connect(lambda _=False, t=title: self.show_step(t))
            run_menu.addAction(go)
        help_menu = self.menuBar().addMenu("&Help")
        guide = QAction("&User guide", self, shortcut=QKeySequence.StandardKey.HelpContents)
        guide.triggered.connect(self.show_guide)
        logs = QAction("Open the &log folder", self)
        logs.triggered.connect(lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(log_file().parent))))
        keys = QAction("&Keyboard shortcuts", self)
        keys.triggered.connect(lambda: QMessageBox.information(self, "Keyboard shortcuts", shortcuts_html()))
        about = QAction("&About TinyStudio", self)
        about.triggered.connect(self.show_about)
        for action in (guide, keys, logs, about):
            help_menu.addAction(action)

    def show_guide(self) -> GuideDialog:
        dialog = GuideDialog(self)
        dialog.show()
        return dialog

    def show_about(self) -> None:
        QMessageBox.about(self, "About TinyStudio", about_html() + f"<p>Log file: {log_file()}</p>")

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        for path in self.context.recent_projects():
            action = self.recent_menu.addAction(path)
            action.setEnabled(Path(path).is_file())  # moved or deleted since: shown, not offered
            action.triggered.connect(lambda _=False, p=path: self.open_project(p))
        if not self.recent_menu.actions():
            self.recent_menu.addAction("(none)").setEnabled(False)

    def ask_new(self) -> None:
        PROJECTS_FOLDER.mkdir(parents=True, exist_ok=True)
        path = save_file(self, "New project", self.context.settings, _FILTER)
        if path:
            if not path.endswith(PROJECT_SUFFIX):
                path += PROJECT_SUFFIX
            self.new_project(path)

    def ask_open(self) -> None:
        paths = open_files(self, "Open project", self.context.settings, _FILTER)
        if paths:
            self.open_project(paths[0])

    def new_project(self, path: str) -> bool:
        return self._switch_to(Project.create, path, "Cannot create project")

    def open_project(self, path: str) -> bool:
        return self._switch_to(Project.open, path, "Cannot open project")

    def _switch_to(self, load: Callable[[Path], Project], path: str, problem: str) -> bool:
        """Make ``load(path)`` the open project; a problem is shown in a box and the old one stays."""
        try:
            project = load(Path(path))
        except UserError as exc:
            QMessageBox.warning(self, problem, str(exc))
            return False
        self.context.set_project(project)
        return True

    def update_next_step(self) -> None:
        """The header's facts and the next step, from the project and the Device and Deploy steps."""
        device = self.pages.get("Device")
        connected = getattr(device, "session", None) is not None
        self.next_step.show_step(next_step(self.context.project, connected))
        port = device.selected_port() if connected and hasattr(device, "selected_port") else None
        target = getattr(self.pages.get("Deploy"), "target_combo", None)
        project = self.context.project
        self.header.show_facts(project.path.name if project is not None else None,
                               target.currentText() if target is not None else None,
                               (port.label if port is not None else "a board") if connected else None)

    def do_action(self, name: str) -> None:
        """Run one of the loop's actions on its step (the next-step button and the Run menu)."""
        where = {"connect": "Device", "record": "Device", "next_label": "Device", "split": "Data",
                 "train": "Impulse / Train", "compress": "Compress", "deploy": "Deploy"}
        if name == "stop":
            self.stop_current()
            return
        if name not in where:
            return
        page = self.show_step(where[name])
        method = {"connect": "connect_port", "record": "toggle_recording", "next_label": "next_label",
                  "split": "run_split", "train": "start_training", "compress": "start_compress",
                  "deploy": "start_deploy"}[name]
        run = getattr(page, method, None)
        if callable(run):
            run()

    def stop_current(self) -> None:
        """Stop the recording or cancel the current step's long job."""
        device = self.pages.get("Device")
        session = getattr(device, "session", None)
        if session is not None and session.recording:
            session.stop_recording()
            return
        page = self.stack.currentWidget()
        worker = getattr(page, "worker", None)
        if worker is not None:
            worker.cancel()

    def _update_title(self) -> None:
        project = self.context.project
        self.setWindowTitle(f"TinyStudio — {project.path.name}" if project else "TinyStudio")

    # -- closing ---------------------------------------------------------------------------------

    def busy_steps(self) -> list[str]:
        """The steps whose long job is running now (a worker thread, or a recording on the Device step)."""
        busy = []
        for title, page in self.pages.items():
            worker = getattr(page, "worker", None)
            session = getattr(page, "session", None)
            if (worker is not None and worker.isRunning()) or (session is not None and session.recording):
                busy.append(title)
        return busy

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        busy = self.busy_steps()
        if busy:
            event.ignore()
            if not self._stopping:
                self._ask_to_stop(busy)
            return
        self._stop_timer.stop()
        remembered.save(self.context.settings, self, self.pages, self.sidebar.currentRow())
        for page in self.pages.values():
            shutdown = getattr(page, "shutdown", None)
            if callable(shutdown):
                shutdown()
        self.context.close()
        event.accept()

    def _ask_to_stop(self, busy: list[str]) -> None:
        """Ask whether to stop the running jobs and quit; the answer arrives in ``_answered``."""
        if self.close_box is not None:
            self.close_box.raise_()
            return
        jobs = " and ".join(JOB_NAMES.get(t, t) for t in busy)
        box = QMessageBox(QMessageBox.Icon.Question, "Quit TinyStudio?",
                          f"{jobs[0].upper()}{jobs[1:]} is still running ({', '.join(busy)}).",
                          QMessageBox.StandardButton.NoButton, self)
        box.setInformativeText("Stop it and quit? Finished results are kept; a recording keeps what was recorded.")
        self.stop_button = box.addButton("Stop and quit", QMessageBox.ButtonRole.AcceptRole)
        box.addButton("Keep running", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(self.stop_button)
        box.finished.connect(lambda _r: self._answered(box.clickedButton() is self.stop_button))
        self.close_box = box
        box.open()

    def _answered(self, stop: bool) -> None:
        self.close_box = None
        if not stop:
            return
        self._stopping = True
        for title in self.busy_steps():
            page = self.pages[title]
            worker = getattr(page, "worker", None)
            if worker is not None:
                worker.cancel()  # the job stops at its next cancel check and reports "cancelled"
            session = getattr(page, "session", None)
            if session is not None and session.recording:
                session.stop_recording()  # what was recorded is saved
        self.statusBar().showMessage("Stopping before quitting…")
        self._stop_timer.start()

    def terminate(self) -> None:
        """Stop every running job as "Stop and quit" does, without asking, then close (SIGTERM, logout)."""
        if self.close_box is not None:
            self.close_box.done(0)
        self._answered(True)

    def _close_when_stopped(self) -> None:
        if not self.busy_steps():
            self._stop_timer.stop()
            self._stopping = False
            self.close()
