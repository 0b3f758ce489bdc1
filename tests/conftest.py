"""Shared test setup: Qt runs offscreen, TensorFlow stays quiet, user settings and logs go to scratch folders."""

import os
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
REAL_CONFIG_HOME = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
"""Where the user's own settings live (checked untouched by the tests)."""


def settings_files(config_home: Path) -> dict[str, tuple[int, int]]:
    """Size and modification time of every file of the app's settings under ``config_home``."""
    folder = config_home / "TinyStudio"
    return {str(p): (p.stat().st_size, p.stat().st_mtime_ns) for p in folder.rglob("*") if p.is_file()}


USER_SETTINGS_AT_START = settings_files(REAL_CONFIG_HOME)
# QSettings (recent projects, window layout) must never touch the real user's configuration, nor may the
# app started as a program by a test; in this process each test also gets a folder of its own (below).
os.environ["XDG_CONFIG_HOME"] = tempfile.mkdtemp(prefix="tinystudio-test-config-")
# ... nor write into the real user's log file.
os.environ["XDG_STATE_HOME"] = tempfile.mkdtemp(prefix="tinystudio-test-state-")

# tests/ helpers (datasets.py, suite_models.py) are importable as plain modules.
sys.path.insert(0, str(Path(__file__).resolve().parent))


@pytest.fixture(autouse=True)
def settings_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The folder of this test's QSettings, fresh for every test: a window a test closes saves its size,
    step and splitter positions there, so no test starts from a layout an earlier one left behind."""
    from PySide6.QtCore import QSettings

    folder = tmp_path_factory.mktemp("settings")
    for scope in (QSettings.Scope.UserScope, QSettings.Scope.SystemScope):
        QSettings.setPath(QSettings.Format.NativeFormat, scope, str(folder / scope.name))
        QSettings.setPath(QSettings.Format.IniFormat, scope, str(folder / scope.name))
    return folder


@dataclass(frozen=True)
class UserSettings:
    """The user's own settings folder and its files as they were when the tests started."""

    folder: Path
    at_start: dict[str, tuple[int, int]]

    def now(self) -> dict[str, tuple[int, int]]:
        return settings_files(self.folder)


@pytest.fixture(scope="session")
def user_settings() -> UserSettings:
    return UserSettings(REAL_CONFIG_HOME, USER_SETTINGS_AT_START)


@pytest.fixture(autouse=True)
def app_theme_only_where_asked(request: pytest.FixtureRequest) -> None:
    """A test that does not ask for the app's theme (light_app_theme) runs with the app's look from before it."""
    if "light_app_theme" not in request.fixturenames:
        import app_theme

        app_theme.undo()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_teardown(item: pytest.Item):
    """Delete the widgets a test closed once it has ended.

    pytest-qt closes a test's widgets and asks Qt to delete them later, but that deletion waits for an event
    loop which never runs between tests: every main window stayed in memory (about 1,700 widgets each), and
    each later style change, widget walk and repaint crossed all of them, so GUI tests slowed down as the
    session went on."""
    result = yield
    if "PySide6.QtWidgets" in sys.modules:
        from PySide6.QtCore import QEvent
        from PySide6.QtWidgets import QApplication

        app = QApplication.instance()
        if app is not None:
            app.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    return result


@pytest.fixture(scope="session")
def bm_split_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """BasicMotions imported through the CSV importer and split 70/15/15, once per session.

    Tests that change it take a copy: `shutil.copy(bm_split_project, tmp_path / "x.tsproj")`.
    """
    from datasets import write_basic_motions_csv
    from tinystudio.core.formats import import_files
    from tinystudio.core.split import assign_splits
    from tinystudio.core.store import Project

    root = tmp_path_factory.mktemp("basic_motions_split")
    path = root / "bm.tsproj"
    with Project.create(path) as project:
        import_files(project, write_basic_motions_csv(root / "csv"))
        assign_splits(project)
    return path
