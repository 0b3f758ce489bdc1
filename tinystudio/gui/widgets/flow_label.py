"""A status line whose text can never widen the window: a word-wrapped QLabel asks its layout for the width
of its longest word, so a job's progress line holding a model's settings joined by commas (one long word),
or an error naming a long file path, widened its column and, through it, the window. This label breaks
such a word where the line ends, in plain text and in rich text (a coloured error) alike."""

from __future__ import annotations

from PySide6 import QtGui
from PySide6.QtCore import QPointF, QSize, Qt
from PySide6.QtGui import QAbstractTextDocumentLayout, QPainter, QPaintEvent, QPalette, QTextDocument, QTextOption
from PySide6.QtWidgets import QWidget

from tinystudio.gui.widgets.wrap_label import WrapLabel

MIN_CHARACTERS = 12
"""The narrowest the label asks to be, whatever its text."""


class FlowLabel(WrapLabel):
    """Text wrapped at word boundaries, and inside a word longer than the line; its minimum width is a few
    characters and its minimum height that of all its lines at its current width (see WrapLabel). Plain
    text unless ``text_format`` says otherwise (rich text, or QLabel's guess: AutoText)."""

    def __init__(self, text: str = "", parent: QWidget | None = None, *,
                 text_format: Qt.TextFormat = Qt.TextFormat.PlainText) -> None:
        super().__init__(text, parent)
        self.setTextFormat(text_format)

    def _side(self) -> int:
        """Horizontal room around the text: margins and frame on both sides."""
        m = self.contentsMargins()
        return m.left() + m.right() + 2 * self.margin()

    def _lines(self, width: int) -> QTextDocument:
        """The text laid out in lines ``width`` pixels long."""
        doc = QTextDocument()
        doc.setDefaultFont(self.font())
        doc.setDocumentMargin(0)
        option = QTextOption(self.alignment() & Qt.AlignmentFlag.AlignHorizontal_Mask)
        option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        doc.setDefaultTextOption(option)
        if self.textFormat() == Qt.TextFormat.RichText or (
                self.textFormat() == Qt.TextFormat.AutoText and QtGui.Qt.mightBeRichText(self.text())):
            doc.setHtml(self.text())
        else:
            doc.setPlainText(self.text())
        doc.setTextWidth(max(1, width))
        return doc

    def heightForWidth(self, width: int) -> int:  # noqa: N802 - Qt override
        m = self.contentsMargins()
        text = self._lines(width - self._side()).size().height() if self.text() else 0.0
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
        lines = self._lines(room.width())
        top = float(room.top())
        if self.alignment() & Qt.AlignmentFlag.AlignVCenter:  # as QLabel: centred when taller than its text
            top += max(0.0, (room.height() - lines.size().height()) / 2)
        context = QAbstractTextDocumentLayout.PaintContext()
        palette = QPalette(self.palette())
        palette.setColor(QPalette.ColorRole.Text, self.palette().color(self.foregroundRole()))
        context.palette = palette
        painter.translate(QPointF(room.left(), top))
        lines.documentLayout().draw(painter, context)
