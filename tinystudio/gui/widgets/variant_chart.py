"""Accuracy against flash for a run's int8 variants: one coloured point per variant (by method), labelled
with its id, and a dashed line at the float model's accuracy, so the best trade-off shows at a glance."""

from __future__ import annotations

from typing import Any

import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

METHOD_COLOURS = {"ptq": "#1f77b4", "qat": "#2ca02c", "prune": "#d62728", "distill": "#9467bd"}


class VariantChart(pg.PlotWidget):
    """Scatter of int8 test accuracy (%) against flash (KB); ``points`` holds what is drawn."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent=parent, title="Accuracy vs flash (up and left is better)")
        self.setLabel("left", "int8 test accuracy", units="%")
        self.setLabel("bottom", "flash: weights + code", units="KB")
        self.setMinimumHeight(220)
        self.addLegend(offset=(-10, -10))  # bottom right: good variants sit at the top
        self.points: list[tuple[int, str, float, float]] = []  # (variant id, method, flash KB, accuracy %)
        self._items: list[Any] = []

    def clear_points(self) -> None:
        for item in self._items:
            self.removeItem(item)
        self._items = []
        self.points = []
        legend = self.getPlotItem().legend
        if legend is not None:
            legend.clear()

    def set_rows(self, rows: list[Any], float_accuracy: float | None) -> None:
        """Draw ``VariantRow``s (rows without a test accuracy are left out)."""
        self.clear_points()
        by_method: dict[str, list[Any]] = {}
        for r in rows:
            if r.test_accuracy is not None:
                by_method.setdefault(r.method, []).append(r)
        for method, group in by_method.items():
            colour = METHOD_COLOURS.get(method, "#7f7f7f")
            xs = [r.flash_bytes / 1024 for r in group]
            ys = [100 * r.test_accuracy for r in group]
            sizes = [18 if r.chosen else 12 for r in group]
            scatter = pg.ScatterPlotItem(xs, ys, size=sizes, brush=pg.mkBrush(colour), pen=pg.mkPen("#333333"),
                                         name=method)
            self.addItem(scatter)
            self._items.append(scatter)
            for r, x, y in zip(group, xs, ys, strict=True):
                self.points.append((r.variant_id, method, x, y))
        labels: dict[tuple[float, float], list[str]] = {}  # variants drawn on the same spot share a label
        for r in rows:
            if r.test_accuracy is not None:
                spot = (round(r.flash_bytes / 1024, 2), round(100 * r.test_accuracy, 2))
                labels.setdefault(spot, []).append(f"#{r.variant_id}{' (deploy)' if r.chosen else ''}")
        for (x, y), names in labels.items():
            text = pg.TextItem(", ".join(names), color="#333333", anchor=(0, 1))
            text.setPos(x, y)
            self.addItem(text)
            self._items.append(text)
        if float_accuracy is not None:
            line = pg.InfiniteLine(100 * float_accuracy, angle=0,
                                   pen=pg.mkPen("#555555", width=1, style=Qt.PenStyle.DashLine),
                                   label="float model", labelOpts={"position": 0.05, "color": "#555555"})
            self.addItem(line)
            self._items.append(line)
        self._set_ranges(float_accuracy)

    def _set_ranges(self, float_accuracy: float | None) -> None:
        """Accuracy from a little below the lowest to 100 %, flash from 0 with room for the labels."""
        ys = [p[3] for p in self.points] + ([100 * float_accuracy] if float_accuracy is not None else [])
        xs = [p[2] for p in self.points]
        low = max(0.0, min(ys, default=90.0) - 5.0)
        self.setYRange(low, 101.0, padding=0)
        self.setXRange(0.0, max(xs, default=1.0) * 1.25, padding=0)
