"""The main window: a step sidebar (Device, Data, Impulse/Train, Compress, Deploy) and the File menu."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path

from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QFileDialog,
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
from tinystudio.core.errors import UserError
from tinystudio.core.store import PROJECT_SUFFIX, Project
from tinystudio.gui.context import AppContext
from tinystudio.gui.theme import apply_plot_theme

# (sidebar title, module in tinystudio.gui.pages, class name)
STEPS: tuple[tuple[str, str, str], ...] = (
    ("Device", "device_page", "DevicePage"),
    ("Data", "data_page", "DataPage"),
    ("Impulse / Train", "train_page", "TrainPage"),
    ("Compress", "compress_page", "CompressPage"),
    ("Deploy", "deploy_page", "DeployPage"),
)
_FILTER = f"TinyStudio projects (*{PROJECT_SUFFIX});;All files (*)"


class PendingPage(QWidget):
    """Shown for a step this build does not include yet."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"<h2>{title}</h2><p>This step is not available in this version yet.</p>"))
        layout.addStretch(1)


class MainWindow(QMainWindow):
    """The application window; pages share one AppContext."""

    def __init__(self, context: AppContext | None = None) -> None:
        super().__init__()
        apply_plot_theme()
        self.context = context or AppContext(self)
        self.setWindowTitle("TinyStudio")
        self.resize(1280, 800)

        self.sidebar = QListWidget()
        self.sidebar.setFixedWidth(180)
        self.sidebar.setStyleSheet("QListWidget { font-size: 15px; } QListWidget::item { padding: 10px 8px; }")
        self.stack = QStackedWidget()
        self.pages: dict[str, QWidget] = {}
        for title, module, cls in STEPS:
            page = self._make_page(title, module, cls)
            self.pages[title] = page
            self.sidebar.addItem(title)
            self.stack.addWidget(page)
        self.sidebar.currentRowChanged.connect(self.stack.setCurrentIndex)

        central = QWidget()
        layout = QHBoxLayout(central)
        layout.addWidget(self.sidebar)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self._build_menu()
        self.context.project_changed.connect(self._update_title)
        self.context.project_changed.connect(self.statusBar().clearMessage)
        self.context.status.connect(lambda text: self.statusBar().showMessage(text, 8000))
        self.sidebar.setCurrentRow(0)
        self._update_title()

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

    def _build_menu(self) -> None:
        menu = self.menuBar().addMenu("&File")
        new = QAction("&New project…", self, shortcut=QKeySequence.StandardKey.New)
        new.triggered.connect(self.ask_new)
        opn = QAction("&Open project…", self, shortcut=QKeySequence.StandardKey.Open)
        opn.triggered.connect(self.ask_open)
        menu.addAction(new)
        menu.addAction(opn)
        self.recent_menu = menu.addMenu("Open &recent")
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        menu.addSeparator()
        quit_action = QAction("&Quit", self, shortcut=QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        menu.addAction(quit_action)
        help_menu = self.menuBar().addMenu("&Help")
        about = QAction("&About TinyStudio", self)
        about.triggered.connect(
            lambda: QMessageBox.about(self, "TinyStudio", f"TinyStudio {__version__}\nTinyML, sensor to board.")
        )
        help_menu.addAction(about)

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        for path in self.context.recent_projects():
            action = self.recent_menu.addAction(path)
            action.triggered.connect(lambda _=False, p=path: self.open_project(p))
        if not self.recent_menu.actions():
            self.recent_menu.addAction("(none)").setEnabled(False)

    def ask_new(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "New project", "", _FILTER)
        if path:
            if not path.endswith(PROJECT_SUFFIX):
                path += PROJECT_SUFFIX
            self.new_project(path)

    def ask_open(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Open project", "", _FILTER)
        if path:
            self.open_project(path)

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

    def _update_title(self) -> None:
        project = self.context.project
        self.setWindowTitle(f"TinyStudio — {project.path.name}" if project else "TinyStudio")

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        for page in self.pages.values():
            shutdown = getattr(page, "shutdown", None)
            if callable(shutdown):
                shutdown()
        self.context.close()
        event.accept()
