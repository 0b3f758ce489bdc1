"""A word-wrapped label that asks its layout for the height of all its lines: a plain wrapped QLabel asks
for one line's height, so in a splitter pane a second line took its room from the widgets below it."""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QLabel, QWidget


class WrapLabel(QLabel):
    """Word-wrapped; its minimum height is the height its text takes at its current width, and one line
    when it is empty (so a line of text appearing moves nothing). No setMinimumHeight: a fixed minimum
    would override this hint."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.setWordWrap(True)
        self._width = -1

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        hint = super().minimumSizeHint()
        one_line = self.fontMetrics().boundingRect("Xg…").height() + 2 * self.margin() + 2 * self.frameWidth()
        hint.setHeight(max(hint.height(), one_line))
        if self.width() > 0 and self.text():
            hint.setHeight(max(hint.height(), self.heightForWidth(self.width())))
        return hint

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        if event.size().width() != self._width:  # another width may wrap into another number of lines
            self._width = event.size().width()
            self.updateGeometry()
