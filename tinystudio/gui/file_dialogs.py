"""File dialogs that start in the projects folder (or where the user last was) and never show a
project's build folder (``<project>-cache``), which holds nothing a user opens."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSettings, QSortFilterProxyModel
from PySide6.QtWidgets import QFileDialog, QFileSystemModel, QWidget

from tinystudio.core.store import PROJECT_SUFFIX

PROJECTS_FOLDER = Path.home() / "TinyStudio"
CACHE_SUFFIX = f"{PROJECT_SUFFIX}-cache"
_SETTING = "last_folder"


class _HideCache(QSortFilterProxyModel):
    """Leaves out folders named like a project's cache."""

    def filterAcceptsRow(self, row: int, parent: QModelIndex | QPersistentModelIndex) -> bool:  # noqa: N802
        model = self.sourceModel()
        index = model.index(row, 0, parent)
        if isinstance(model, QFileSystemModel) and model.isDir(index):
            return not model.fileName(index).endswith(CACHE_SUFFIX)
        return True


def start_folder(settings: QSettings) -> str:
    """The folder a dialog opens in: the last one used, else the projects folder, else home."""
    last = settings.value(_SETTING, "")
    for folder in (Path(str(last)) if last else None, PROJECTS_FOLDER, Path.home()):
        if folder is not None and folder.is_dir():
            return str(folder)
    return ""


def _dialog(parent: QWidget | None, title: str, settings: QSettings, name_filter: str) -> QFileDialog:
    dialog = QFileDialog(parent, title, start_folder(settings), name_filter)
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)  # the native one ignores the proxy
    dialog.setProxyModel(_HideCache(dialog))
    return dialog


def _remember(settings: QSettings, path: str) -> None:
    folder = Path(path) if Path(path).is_dir() else Path(path).parent
    settings.setValue(_SETTING, str(folder))


def open_files(parent: QWidget | None, title: str, settings: QSettings, name_filter: str,
               many: bool = False) -> list[str]:
    """Existing files chosen by the user (one unless ``many``); empty when cancelled."""
    dialog = _dialog(parent, title, settings, name_filter)
    dialog.setFileMode(QFileDialog.FileMode.ExistingFiles if many else QFileDialog.FileMode.ExistingFile)
    if not dialog.exec():
        return []
    files = dialog.selectedFiles()
    if files:
        _remember(settings, files[0])
    return files


def save_file(parent: QWidget | None, title: str, settings: QSettings, name_filter: str) -> str:
    """A new file's path chosen by the user; empty when cancelled."""
    dialog = _dialog(parent, title, settings, name_filter)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    dialog.setFileMode(QFileDialog.FileMode.AnyFile)
    if not dialog.exec() or not dialog.selectedFiles():
        return ""
    path = dialog.selectedFiles()[0]
    _remember(settings, path)
    return path


def choose_folder(parent: QWidget | None, title: str, settings: QSettings) -> str:
    """An existing folder chosen by the user; empty when cancelled."""
    dialog = _dialog(parent, title, settings, "")
    dialog.setFileMode(QFileDialog.FileMode.Directory)
    dialog.setOption(QFileDialog.Option.ShowDirsOnly, True)
    if not dialog.exec() or not dialog.selectedFiles():
        return ""
    path = dialog.selectedFiles()[0]
    _remember(settings, path)
    return path
