"""A reusable confusion-matrix heatmap: rows are true labels, columns predicted, colour by row share.

Used for host evaluation on the Train page and for on-device results on the Deploy page.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from tinystudio.app.formatting import fmt_percent


class ConfusionMatrixWidget(QWidget):
    """Heatmap with the count in every cell; call ``set_matrix`` with labels and counts[true][pred]."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = QLabel("No results yet")
        self.plot = pg.PlotWidget(background="w")
        self.plot.setMinimumHeight(220)
        self.plot.setMenuEnabled(False)
        self.plot.setMouseEnabled(x=False, y=False)
        self.plot.hideButtons()
        self.plot.setLabel("left", "true")
        self.plot.setLabel("bottom", "predicted")
        self.plot.invertY(True)
        self.plot.setAspectLocked(True)
        self.image = pg.ImageItem()
        self.image.setColorMap(pg.colormap.get("CET-L12"))
        self.plot.addItem(self.image)
        self._empty = pg.TextItem("No results yet", color="#888888", anchor=(0.5, 0.5))
        self._empty.setPos(0.5, 0.5)
        self.plot.addItem(self._empty)
        self._texts: list[pg.TextItem] = []
        self._labels: list[str] = []
        self._counts = np.zeros((0, 0), dtype=np.int64)
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
        self._labels, self._counts = list(labels), cm
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
                colour = "w" if share[i, j] > 0.5 else "k"
                t = pg.TextItem(str(cm[i, j]), color=colour, anchor=(0.5, 0.5))
                t.setPos(j + 0.5, i + 0.5)
                self.plot.addItem(t)
                self._texts.append(t)
        short = max(4, 48 // len(labels))  # predicted labels sit side by side: shorten them to fit
        for side, width in (("bottom", short), ("left", 40)):
            names = [n if len(n) <= width else n[: width - 1] + "…" for n in labels]
            axis = self.plot.getAxis(side)
            axis.setStyle(hideOverlappingLabels=False)
            axis.setTicks([[(k + 0.5, name) for k, name in enumerate(names)]])
        self.plot.getAxis("left").setWidth(12 + 7 * max(len(name) for name in labels))
        self.plot.setRange(xRange=(0, len(labels)), yRange=(0, len(labels)), padding=0.02)
        self.plot.setToolTip("rows: true label, columns: predicted label\n" + ", ".join(labels))
