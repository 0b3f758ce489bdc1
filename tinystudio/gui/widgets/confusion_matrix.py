"""A reusable confusion-matrix heatmap: rows are true labels, columns predicted, colour by row share.

Used for host evaluation on the Train page and for on-device results on the Deploy page.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor, QFontMetrics, QResizeEvent
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from tinystudio.app.formatting import fmt_percent
from tinystudio.gui.theme import current, on_change, readable_on

HINT = "rows: true label, columns: predicted label"


class ConfusionMatrixWidget(QWidget):
    """Heatmap with the count in every cell; call ``set_matrix`` with labels and counts[true][pred]."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = QLabel("No results yet")
        self.title.setWordWrap(True)
        # room for two lines from the start, so the page does not jump when a result's title wraps
        self.title.setMinimumHeight(2 * self.title.fontMetrics().lineSpacing())
        self.title.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom)
        self.plot = pg.PlotWidget()
        self.plot.setMinimumHeight(160)  # fits beside the curves on a 640 px high screen
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
        self.plot.getViewBox().sigResized.connect(lambda _vb: self._fit_labels())
        self._title_text = ""
        on_change(self, self._retheme)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.plot, 1)

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
        self.plot.setToolTip(HINT + "\n" + ", ".join(labels))
        self._fit_labels()

    def cell_colour(self, share: float) -> QColor:
        """The heatmap colour of a cell holding ``share`` of its row."""
        return self.colormap.map(np.array([share]), mode="qcolor")[0]

    def _retheme(self) -> None:
        self._empty.setColor(current().muted)
        self.set_matrix(self._labels, self._counts, self._title_text)

    def _fit_labels(self) -> None:
        """Elide the label names to the space they have: predicted labels to one cell's width (so they never
        run into each other), true labels to a share of the widget; the cell tooltips give the full names."""
        if not self._labels:
            return
        metrics = QFontMetrics(self.plot.font())
        px = self.plot.getViewBox().viewPixelSize()[0]
        cell = int(1 / px) if px > 0 else 60
        left_px = max(48, min(160, self.width() // 4))
        numbered = cell - 6 < metrics.horizontalAdvance("Wm…")  # too narrow even for two letters
        for side, room in (("bottom", cell - 6), ("left", left_px)):
            if numbered and side == "bottom":  # columns by number; the rows say which number is which
                names = [str(k + 1) for k in range(len(self._labels))]
            else:
                prefixes = [f"{k + 1} " if numbered else "" for k in range(len(self._labels))]
                names = [metrics.elidedText(p + n, Qt.TextElideMode.ElideRight, room)
                         for p, n in zip(prefixes, self._labels, strict=True)]
            axis = self.plot.getAxis(side)
            axis.setStyle(hideOverlappingLabels=False)
            axis.setTicks([[(k + 0.5, name) for k, name in enumerate(names)]])
            if side == "left":
                axis.setWidth(30 + max(metrics.horizontalAdvance(n) for n in names))  # names + axis title

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
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
            self.plot.setToolTip(HINT + "\n" + ", ".join(self._labels))
