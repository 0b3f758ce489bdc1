"""The application icon (resources/icons/), for the window, dialogs and the desktop entry."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QIcon

from tinystudio.core.paths import resources_dir


def icon_files() -> list[Path]:
    """The icon's files that exist: the scalable SVG and its 256 px PNG."""
    folder = resources_dir() / "icons"
    return [p for p in (folder / "tinystudio.svg", folder / "tinystudio-256.png") if p.is_file()]


def app_icon() -> QIcon:
    """TinyStudio's icon (empty when the resources are missing, which Qt shows as its default)."""
    icon = QIcon()
    for path in icon_files():
        icon.addFile(str(path))
    return icon
