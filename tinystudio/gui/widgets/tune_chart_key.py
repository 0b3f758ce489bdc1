"""The Tune chart's key as a line of text above the chart, not a legend box over its points: a dot on a
line for the Pareto front, an x for the measured trials off it (dominated, or over the budget)."""

from __future__ import annotations

from functools import lru_cache

from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QBrush, QColor, QPainter, QPen, QPixmap
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget

from tinystudio.gui.widgets.plot_key import png_data_uri

FRONT = "Pareto front"
OFF_FRONT = "trials off the front"
TIP = ("Dots on the line: the Pareto front, the points no other trial beats on both accuracy and size. "
       "x: the other measured trials, beaten by a point of the front or over the budget.")
SAMPLE_PX = (22, 12)


@lru_cache(maxsize=16)
def mark_image(colour: str, mark: str) -> str:
    """A small picture of ``mark`` ("front": a dot on a line, "x": a cross) in ``colour``, as an inline PNG
    for rich text: the name beside it keeps the text colour."""
    width, height = SAMPLE_PX
    pixmap = QPixmap(width, height)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(QPen(QColor(colour), 1.8))
    mid = QPointF(width / 2, height / 2)
    if mark == "front":
        painter.drawLine(QPointF(1, mid.y()), QPointF(width - 1, mid.y()))
        painter.setBrush(QBrush(QColor(colour)))
        painter.drawEllipse(mid, 4, 4)
    else:
        painter.drawLine(mid + QPointF(-4, -4), mid + QPointF(4, 4))
        painter.drawLine(mid + QPointF(-4, 4), mid + QPointF(4, -4))
    painter.end()
    return png_data_uri(pixmap)


class TuneChartKey(QLabel):
    """Names the marks the chart shows; hidden while it shows none."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # one line, never wrapped: a wrapped label would have the tab's scroll area lay the tab out at its
        # preferred height (the chart's, hundreds of pixels); it never widens the tab either, cut at its end
        # when narrower than its text (the tooltip names the marks in full)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setTextFormat(Qt.TextFormat.RichText)
        self.names: list[str] = []
        self.setToolTip(TIP)
        self.setVisible(False)

    def show_marks(self, front_colour: str | None, off_colour: str | None) -> None:
        """The key for a chart with front points (their colour) and trials off it (theirs); None: none drawn."""
        entries = [(name, colour, mark) for name, colour, mark in
                   ((FRONT, front_colour, "front"), (OFF_FRONT, off_colour, "x")) if colour is not None]
        self.names = [name for name, _, _ in entries]
        width, height = SAMPLE_PX
        self.setText("&nbsp;&nbsp; ".join(
            f"<img src='{mark_image(colour, mark)}' width={width} height={height}>&nbsp;{name}"
            for name, colour, mark in entries))
        self.setVisible(bool(entries))
