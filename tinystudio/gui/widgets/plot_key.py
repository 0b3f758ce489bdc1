"""A plot's key as a line of text beside the plot instead of a legend box inside it: on a small plot a
legend box covers the curves it names and clips the names that do not fit; a key line wraps instead."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

SOLID = "━━"
DASHED = "╍╍"


class PlotKey(QLabel):
    """Names each curve with a short stroke in its colour (dashed for dashed curves)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)  # many curves wrap onto a second line, never widen the page
        self.setTextFormat(Qt.TextFormat.RichText)
        self.entries: list[tuple[str, str, bool]] = []

    def set_entries(self, entries: list[tuple[str, str, bool]]) -> None:
        """``(name, colour, dashed)`` per curve, in drawing order."""
        self.entries = list(entries)
        self.setText("&nbsp;&nbsp; ".join(
            f"<span style='color:{colour}'>{DASHED if dashed else SOLID}</span>&nbsp;{escape(name)}"
            for name, colour, dashed in self.entries))
        self.setVisible(bool(self.entries))

    def names(self) -> list[str]:
        return [name for name, _, _ in self.entries]
