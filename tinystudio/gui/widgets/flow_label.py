"""A status line whose text can never widen the window: a word-wrapped QLabel asks its layout for the width
of its longest word, so a job's progress line holding a model's settings joined by commas (one long word)
widened the results column and, through it, the window. This label breaks such a word where the line ends."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QSize, Qt
from PySide6.QtGui import QPainter, QPaintEvent, QTextLayout, QTextOption
from PySide6.QtWidgets import QWidget

from tinystudio.gui.widgets.wrap_label import WrapLabel

MIN_CHARACTERS = 12
"""The narrowest the label asks to be, whatever its text."""


class FlowLabel(WrapLabel):
    """Plain text wrapped at word boundaries, and inside a word longer than the line; its minimum width is
    a few characters and its minimum height that of all its lines at its current width (see WrapLabel)."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.setTextFormat(Qt.TextFormat.PlainText)

    def _side(self) -> int:
        """Horizontal room around the text: margins and frame on both sides."""
        m = self.contentsMargins()
        return m.left() + m.right() + 2 * self.margin()

    def _lines(self, width: int) -> QTextLayout:
        text = self.text().replace("\n", "\u2028")  # a line separator: QTextLayout ignores a newline
        layout = QTextLayout(text, self.font())
        option = QTextOption(self.alignment() & Qt.AlignmentFlag.AlignHorizontal_Mask)
        option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        layout.setTextOption(option)
        layout.beginLayout()
        y = 0.0
        while True:
            line = layout.createLine()
            if not line.isValid():
                break
            line.setLineWidth(max(1, width))
            line.setPosition(QPointF(0.0, y))
            y += line.height()
        layout.endLayout()
        return layout

    def heightForWidth(self, width: int) -> int:  # noqa: N802 - Qt override
        m = self.contentsMargins()
        lines = self._lines(width - self._side())
        text = lines.boundingRect().height() if self.text() else 0.0
        return int(text + 0.999) + m.top() + m.bottom() + 2 * self.margin()

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        hint = super().minimumSizeHint()  # its height; its width is the longest word's
        hint.setWidth(self.fontMetrics().averageCharWidth() * MIN_CHARACTERS + self._side())
        return hint

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        hint = super().sizeHint()  # QLabel's: a comfortable line length, or the longest word if wider
        width = min(hint.width(), self.fontMetrics().averageCharWidth() * 60 + self._side())
        return QSize(width, self.heightForWidth(width))

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        painter = QPainter(self)
        self.drawFrame(painter)
        room = self.contentsRect().adjusted(self.margin(), self.margin(), -self.margin(), -self.margin())
        painter.setPen(self.palette().color(self.foregroundRole()))
        lines = self._lines(room.width())
        top = float(room.top())
        if self.alignment() & Qt.AlignmentFlag.AlignVCenter:  # as QLabel: centred when taller than its text
            top += max(0.0, (room.height() - lines.boundingRect().height()) / 2)
        lines.draw(painter, QPointF(room.left(), top))
