"""A plot's key as a line of text beside the plot instead of a legend box inside it: on a small plot a
legend box covers the curves it names and clips the names that do not fit; a key line wraps instead."""

from __future__ import annotations

from functools import lru_cache
from html import escape

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, Qt
from PySide6.QtGui import QColor, QPainter, QPen, QPixmap, QResizeEvent
from PySide6.QtWidgets import QLabel, QWidget

STROKE_PX = (22, 10)
"""Width and height of the line sample drawn before each name."""


def png_data_uri(pixmap: QPixmap) -> str:
    """``pixmap`` as an inline PNG (a data URI) for rich text: keys draw their samples as pictures."""
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    pixmap.save(buffer, "PNG")
    return f"data:image/png;base64,{bytes(data.toBase64()).decode('ascii')}"


@lru_cache(maxsize=64)
def stroke_image(colour: str, dashed: bool, ratio: float = 1.0) -> str:
    """A short line in ``colour`` (dashed or solid) as an inline PNG for rich text: the sample is a picture,
    so the name beside it keeps the text colour (a coloured glyph would be text of too low a contrast)."""
    width, height = STROKE_PX
    pixmap = QPixmap(round(width * ratio), round(height * ratio))
    pixmap.setDevicePixelRatio(ratio)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    pen = QPen(QColor(colour), 2.5)
    pen.setStyle(Qt.PenStyle.DashLine if dashed else Qt.PenStyle.SolidLine)
    painter.setPen(pen)
    painter.drawLine(QPointF(1, height / 2), QPointF(width - 1, height / 2))
    painter.end()
    return png_data_uri(pixmap)


class PlotKey(QLabel):
    """Names each curve after a short line in its colour (dashed for dashed curves). Many curves wrap onto
    further lines, always between two entries: rich text may break a line right after an image, which left
    a line's sample at the end of one line and its name at the start of the next."""

    GAP = "&nbsp;&nbsp; "
    """Between two entries on a line."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)  # never widens the page; lines are broken by ``_layout_lines`` before it
        self.setTextFormat(Qt.TextFormat.RichText)
        self.entries: list[tuple[str, str, bool]] = []
        self._laid_for = -1

    def set_entries(self, entries: list[tuple[str, str, bool]]) -> None:
        """``(name, colour, dashed)`` per curve, in drawing order."""
        self.entries = list(entries)
        self._layout_lines()
        self.setVisible(bool(self.entries))

    def names(self) -> list[str]:
        return [name for name, _, _ in self.entries]

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        if self.contentsRect().width() != self._laid_for:
            self._layout_lines()

    def _layout_lines(self) -> None:
        """The entries as lines that fit the label's width, each entry's sample and name kept together."""
        room = self.contentsRect().width() - 2 * self.margin() - 4  # a little slack for rounding
        self._laid_for = self.contentsRect().width()
        metrics = self.fontMetrics()
        width, height = STROKE_PX
        gap = metrics.horizontalAdvance("\u00a0\u00a0 ")
        lines: list[list[str]] = [[]]
        used = 0
        for name, colour, dashed in self.entries:
            shown = name.replace(" ", "\u00a0")
            need = width + metrics.horizontalAdvance("\u00a0" + shown)
            if lines[-1] and used + gap + need > room:
                lines.append([])
                used = 0
            used += need + (gap if lines[-1] else 0)
            lines[-1].append(f"<img src='{stroke_image(colour, dashed)}' width={width} height={height}>"
                             f"&nbsp;{escape(shown)}")
        self.setText("<br>".join(self.GAP.join(line) for line in lines if line))
