"""A reusable confusion-matrix heatmap: rows are true labels, columns predicted, colour by row share.

Used for host evaluation on the Train page and for on-device results on the Deploy page. Label names are
never cut to a shared prefix ('arm_raise_left' and 'arm_raise_right' both 'arm_rai…'): columns show the
whole names or else numbers, rows the number and the name (shortened in the middle, keeping its end, when
space is short), and whenever a name is not whole on screen a legend under the plot lists every number
with its full name.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, Qt, QTimer
from PySide6.QtGui import QColor, QFont, QFontMetrics, QResizeEvent, QShowEvent
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from tinystudio.app.formatting import fmt_percent
from tinystudio.gui.theme import current, on_change, readable_on
from tinystudio.gui.widgets.flow_label import FlowLabel

HINT = "rows: true label, columns: predicted label"
PLOT_HEIGHT = 160  # the plot's usual least height: fits beside the curves on a 640 px high screen
PLOT_FLOOR = 80  # the least it shrinks to so the legend fits under it in a short space (by default)
MIN_SHOWN = 8  # characters of a shortened row name worth showing; fewer and the rows show numbers only
MIN_COUNT_PT = 6.0  # the smallest count in a cell worth drawing
LEGEND_NAME = 60  # characters of a name the legend shows: a longer one keeps its start and end around "…"
LEGEND_GAP = "   "  # between legend entries, where lines may break (an entry's own spaces do not)


def _legend_name(name: str) -> str:
    """``name`` as the legend shows it: whole up to ``LEGEND_NAME`` characters, else its start and end."""
    if len(name) <= LEGEND_NAME:
        return name
    keep = LEGEND_NAME - 1
    return f"{name[:keep - keep // 2]}…{name[-(keep // 2):]}"


class ConfusionMatrixWidget(QWidget):
    """Heatmap with the count in every cell; call ``set_matrix`` with labels and counts[true][pred].
    ``plot_floor`` is the least height (px) the plot gives up to its title and legend in a short space."""

    def __init__(self, parent: QWidget | None = None, plot_floor: int = PLOT_FLOOR) -> None:
        super().__init__(parent)
        self._plot_floor = plot_floor
        self.title = QLabel("No results yet")
        self.title.setWordWrap(True)
        # room for two lines from the start, so the page does not jump when a result's title wraps
        self.title.setMinimumHeight(2 * self.title.fontMetrics().lineSpacing())
        self.title.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom)
        self.plot = pg.PlotWidget()
        self.plot.setMinimumHeight(PLOT_HEIGHT)
        self.plot.setMenuEnabled(False)
        self.plot.setMouseEnabled(x=False, y=False)
        self.plot.hideButtons()
        self.plot.setLabel("left", "true label")
        self.plot.setLabel("bottom", "predicted label")
        self.plot.invertY(True)
        self.plot.setAspectLocked(True)
        self.image = pg.ImageItem()
        self.colormap = pg.colormap.get("CET-L12")
        self.image.setColorMap(self.colormap)
        self.plot.addItem(self.image)
        self._empty = pg.TextItem("No results yet", color=current().muted, anchor=(0.5, 0.5))
        self._empty.setPos(0.5, 0.5)
        self.plot.addItem(self._empty)
        self._texts: list[pg.TextItem] = []
        self._labels: list[str] = []
        self._counts = np.zeros((0, 0), dtype=np.int64)
        self.plot.scene().sigMouseMoved.connect(self._hover)
        # after the layout pass that resized the plot, not inside it: hiding the legend from within that pass
        # left it hidden yet marked visible, kept its old place over the plot
        self.plot.getViewBox().sigResized.connect(lambda _vb: QTimer.singleShot(0, self, self._fit_labels))
        self._title_text = ""
        # a FlowLabel: one class name longer than the line (its spaces are kept whole) breaks where the line
        # ends; in a word-wrapped QLabel it set the least width of the page, and so of the window
        self.legend = FlowLabel()
        self.legend.setVisible(False)
        self.legend.setToolTip("The classes by number, as the matrix's axes show them")
        on_change(self, self._retheme)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.plot, 1)
        layout.addWidget(self.legend)

    @property
    def labels(self) -> list[str]:
        return list(self._labels)

    @property
    def counts(self) -> np.ndarray:
        return self._counts.copy()

    def clear(self, message: str = "No results yet") -> None:
        self.set_matrix([], [], message)

    def set_matrix(self, labels: Sequence[str], counts: Sequence[Sequence[int]] | np.ndarray, title: str = "") -> None:
        """Show ``counts`` (rows: true label, columns: predicted label)."""
        cm = np.asarray(counts, dtype=np.int64).reshape(len(labels), len(labels))
        self._labels, self._counts, self._title_text = list(labels), cm, title
        for t in self._texts:
            self.plot.removeItem(t)
        self._texts = []
        total = int(cm.sum())
        accuracy = np.trace(cm) / total if total else 0.0
        self.title.setText(
            f"{title}  accuracy {fmt_percent(accuracy)} ({total} windows)" if total else (title or "No results yet")
        )
        empty = not len(labels)
        self._empty.setVisible(empty)
        for side in ("bottom", "left"):
            self.plot.getPlotItem().showAxis(side, not empty)
        if empty:
            self.legend.setVisible(False)
            self.image.clear()
            self.plot.setRange(xRange=(0, 1), yRange=(0, 1), padding=0)
            return
        rows = cm.sum(axis=1, keepdims=True)
        share = np.divide(cm, rows, out=np.zeros(cm.shape), where=rows > 0)
        self.image.setImage(share.T, levels=(0.0, 1.0))  # ImageItem is indexed [x, y]
        for i in range(len(labels)):
            for j in range(len(labels)):
                colour = readable_on(self.cell_colour(float(share[i, j])))  # black or white, whichever reads
                t = pg.TextItem(str(cm[i, j]), color=colour, anchor=(0.5, 0.5))
                t.setPos(j + 0.5, i + 0.5)
                self.plot.addItem(t)
                self._texts.append(t)
        self.plot.setRange(xRange=(0, len(labels)), yRange=(0, len(labels)), padding=0.02)
        self.plot.setToolTip(self._hint())
        self.legend.setText(LEGEND_GAP.join(f"{k + 1}\u00a0{_legend_name(n).replace(' ', chr(0xA0))}"
                                            for k, n in enumerate(labels)))
        self.legend.setToolTip(self._hint())  # every name in full
        self._fit_labels()

    def _hint(self) -> str:
        return HINT + "\n" + "\n".join(f"{k + 1} {n}" for k, n in enumerate(self._labels))

    def cell_colour(self, share: float) -> QColor:
        """The heatmap colour of a cell holding ``share`` of its row."""
        return self.colormap.map(np.array([share]), mode="qcolor")[0]

    def _retheme(self) -> None:
        self._empty.setColor(current().muted)
        self.set_matrix(self._labels, self._counts, self._title_text)

    def tick_names(self) -> tuple[list[str], list[str], bool]:
        """What the columns and rows show at the current size, and whether the legend is needed: columns the
        whole names when every one fits a cell, else numbers; rows then the number and the name, shortened in
        the middle to the room left of the plot (numbers alone when little of a name would be left)."""
        metrics = QFontMetrics(self.plot.font())
        px = self.plot.getViewBox().viewPixelSize()[0]
        cell = int(1 / px) if px > 0 else 60
        whole_columns = all(metrics.horizontalAdvance(n) <= cell - 6 for n in self._labels)
        columns = list(self._labels) if whole_columns else [str(k + 1) for k in range(len(self._labels))]
        if not whole_columns:  # numbers wider than a cell ('10' on a small screen): every second or third one
            every = next(s for s in range(1, len(columns) + 1)
                         if metrics.horizontalAdvance(columns[-1]) + 2 <= s * cell or s == len(columns))
            columns = [c if k % every == 0 else "" for k, c in enumerate(columns)]
        # the row names may take a third of the widget, or all the width the square matrix (no wider than the
        # plot is high) leaves beside it, less the axis title and margins
        # judged at the plot's height without the legend: judged at the height left beside a shown legend, the
        # names fit, the legend goes, the plot grows, they no longer fit, and the legend flickers back mid-layout
        # (left drawn over the plot)
        legend = self.legend.height() if self.legend.isVisibleTo(self) else 0
        beside = self.plot.width() - int(self.plot.getViewBox().height()) - legend - 50
        room = max(48, min(260, max(self.width() // 3, beside)))

        def row_names(numbered: bool) -> list[str]:
            names = []
            for k, name in enumerate(self._labels):
                prefix = f"{k + 1} " if numbered else ""
                shown = metrics.elidedText(name, Qt.TextElideMode.ElideMiddle, room - metrics.horizontalAdvance(prefix))
                if shown != name and len(shown) - 1 < MIN_SHOWN:  # too little left: every row by number
                    return [str(i + 1) for i in range(len(self._labels))]
                names.append(prefix + shown)
            return names

        rows = row_names(numbered=not whole_columns)
        shortened = any(not r.endswith(n) for r, n in zip(rows, self._labels, strict=True))
        if shortened and whole_columns:  # a shortened name needs its number, the legend's key to it
            rows = row_names(numbered=True)
        return columns, rows, shortened

    def _fit_labels(self) -> None:
        """Put the names that fit on the axes (see ``tick_names``) and show the legend when one is not whole."""
        if not self._labels:
            return
        metrics = QFontMetrics(self.plot.font())
        columns, rows, shortened = self.tick_names()
        for side, names in (("bottom", columns), ("left", rows)):
            axis = self.plot.getAxis(side)
            axis.setStyle(hideOverlappingLabels=False)
            axis.setTicks([[(k + 0.5, name) for k, name in enumerate(names)]])
            if side == "left":
                axis.setWidth(30 + max(metrics.horizontalAdvance(n) for n in names))  # names + axis title
        if self.legend.isHidden() == shortened:
            self.legend.setVisible(shortened)
        self._fit_counts()
        self._fit_legend()

    def _fit_counts(self) -> None:
        """Draw the counts small enough to stay inside their cells ('20' ran over its neighbours on a small
        screen); below a readable size they are left out (the cell's tooltip still gives the count)."""
        if not self._texts:
            return
        px = self.plot.getViewBox().viewPixelSize()[0]
        cell = 1 / px if px > 0 else 60.0
        font = QFont(self.plot.font())
        widest = max(QFontMetrics(font).horizontalAdvance(t.toPlainText()) for t in self._texts)
        scale = min(1.0, (cell - 2) / widest) if widest else 1.0
        size = font.pointSizeF() * scale
        if size >= MIN_COUNT_PT:
            font.setPointSizeF(size)
        for t in self._texts:
            t.setVisible(size >= MIN_COUNT_PT)
            if t.textItem.font() != font:
                t.setFont(font)

    def _fit_legend(self) -> None:
        """Reserve the wrapped title's and legend's heights, so a parent short of room scrolls rather than
        draws them over the plot (a word-wrapped label asks for less than its lines need); in a space too
        short for all three the plot gives up height (down to its floor), not the legend."""
        if not self.isVisible():  # a hidden widget's width is not the one it will have: wait for the show
            return
        width = max(1, self.width())
        title = max(2 * self.title.fontMetrics().lineSpacing(), self.title.heightForWidth(width))
        legend = self.legend.heightForWidth(width) if self.legend.isVisibleTo(self) else 0
        for label, height in ((self.title, title), (self.legend, max(0, legend))):
            if label.minimumHeight() != height:
                label.setMinimumHeight(height)
        # when the space given is shorter than the title, the usual plot and the legend together (a restored
        # splitter can give that), the plot shrinks so the legend sits under it rather than over it
        spacing = max(0, self.layout().spacing()) * (2 if legend else 1)
        plot = max(self._plot_floor, min(PLOT_HEIGHT, self.height() - title - max(0, legend) - spacing))
        if self.plot.minimumHeight() != plot:
            self.plot.setMinimumHeight(plot)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self._fit_labels()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        self._fit_labels()

    def _hover(self, pos: QPointF) -> None:
        """The cell under the mouse, in words, as the tooltip."""
        n = len(self._labels)
        if not n:
            return
        point = self.plot.getViewBox().mapSceneToView(pos)
        col, row = int(np.floor(point.x())), int(np.floor(point.y()))
        if 0 <= row < n and 0 <= col < n:
            total = int(self._counts[row].sum())
            count = int(self._counts[row, col])
            share = f" ({count / total:.0%} of this label)" if total else ""
            self.plot.setToolTip(f"true: {self._labels[row]}\npredicted: {self._labels[col]}\n"
                                 f"{count} window{'s' if count != 1 else ''}{share}")
        else:
            self.plot.setToolTip(self._hint())
