"""Accuracy against flash for a run's int8 variants: one coloured point per variant (by method), labelled
with its id, and a dashed line at the float model's accuracy, so the best trade-off shows at a glance."""

from __future__ import annotations

from typing import Any

import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from tinystudio.gui.theme import current, on_change, style_legend
from tinystudio.gui.widgets.key_box import add_key_box

METHOD_SERIES = {"ptq": 0, "qat": 2, "prune": 1, "distill": 4}
"""Which of the theme's series colours each compression method takes."""
TOP_ROOM = 0.25
"""Above 100 %, this share of the accuracy range: room for a top point and its label."""


class _AccuracyAxis(pg.AxisItem):
    """The accuracy axis: no tick above 100 % (the room above it holds the top point's label only)."""

    def tickStrings(self, values: list[float], scale: float, spacing: float) -> list[str]:  # noqa: N802
        return ["" if v * scale > 100.0 + 1e-9 else s
                for v, s in zip(values, super().tickStrings(values, scale, spacing), strict=True)]


class VariantChart(pg.PlotWidget):
    """Scatter of test accuracy (%: the int8 network's, or a tree model's own) against flash (KB); ``points``
    holds what is drawn."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent=parent, title="Accuracy vs flash (up and left is better)",
                         axisItems={"left": _AccuracyAxis("left")})
        self.setLabel("left", "test accuracy", units="%")  # int8 for a network, the tree itself for a tree model
        self.setLabel("bottom", "flash: weights + code", units="KB")
        self.setMinimumHeight(220)
        # bottom left: good variants sit at the top, big ones on the right
        style_legend(add_key_box(self, offset=(10, -10)))  # shown while it names a method
        for side in ("left", "bottom"):
            self.getAxis(side).enableAutoSIPrefix(False)  # "KB" stays KB, never "kKB" or "(x1000)"
        self.points: list[tuple[int, str, float, float]] = []  # (variant id, method, flash KB, accuracy %)
        self._items: list[Any] = []
        self._drawn: tuple[list[Any], float | None] = ([], None)
        # a closed PlotWidget has no plot item left to redraw (its Python object may outlive it)
        on_change(self, lambda: self.plotItem is not None and self.set_rows(*self._drawn))

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
        self._drawn = (rows, float_accuracy)
        theme = current()
        by_method: dict[str, list[Any]] = {}
        for r in rows:
            if r.test_accuracy is not None:
                by_method.setdefault(r.method, []).append(r)
        for method, group in by_method.items():
            colour = theme.series_colour(METHOD_SERIES.get(method, 5))
            xs = [r.flash_bytes / 1024 for r in group]
            ys = [100 * r.test_accuracy for r in group]
            sizes = [18 if r.chosen else 12 for r in group]
            tips = [f"#{r.variant_id} {method}{' (marked for deploy)' if r.chosen else ''}" for r in group]
            scatter = pg.ScatterPlotItem(xs, ys, size=sizes, brush=pg.mkBrush(colour),
                                         pen=pg.mkPen(theme.plot_foreground),
                                         name=method, data=tips, hoverable=True,
                                         tip=lambda x, y, data: f"{data}\nflash {x:.1f} KB, accuracy {y:.1f} %")
            self.addItem(scatter)
            self._items.append(scatter)
            for r, x, y in zip(group, xs, ys, strict=True):
                self.points.append((r.variant_id, method, x, y))
        labels: dict[tuple[float, float], list[str]] = {}  # variants drawn on the same spot share a label
        for r in rows:
            if r.test_accuracy is not None:
                spot = (round(r.flash_bytes / 1024, 2), round(100 * r.test_accuracy, 2))
                labels.setdefault(spot, []).append(f"#{r.variant_id}{' (deploy)' if r.chosen else ''}")
        for (x, y), names, anchor in _placed(labels, float_accuracy):
            text = pg.TextItem(", ".join(names), color=theme.plot_foreground, anchor=anchor)
            text.setPos(x, y)
            self.addItem(text)
            self._items.append(text)
        if float_accuracy is not None:
            line = pg.InfiniteLine(100 * float_accuracy, angle=0,
                                   pen=pg.mkPen(theme.grid, width=1, style=Qt.PenStyle.DashLine),
                                   label="float model",  # at the right end, away from the key box (bottom left)
                                   labelOpts={"position": 0.99, "color": theme.grid, "anchors": [(1, 1), (1, 1)]})
            self.addItem(line)
            self._items.append(line)
        self._set_ranges(float_accuracy)

    def _set_ranges(self, float_accuracy: float | None) -> None:
        """Accuracy from a little below the lowest to a little above 100 %, flash from 0 with room for the
        labels: a variant at 100 % shows its whole point and its label above it."""
        ys = [p[3] for p in self.points] + ([100 * float_accuracy] if float_accuracy is not None else [])
        xs = [p[2] for p in self.points]
        low = max(0.0, min(ys, default=90.0) - 5.0)
        self.setYRange(low, 100.0 + TOP_ROOM * (100.0 - low), padding=0)
        self.setXRange(0.0, max(xs, default=1.0) * 1.25, padding=0)


def _placed(labels: dict[tuple[float, float], list[str]],
            float_accuracy: float | None) -> list[tuple[tuple[float, float], list[str], tuple[float, float]]]:
    """Where each label goes: above right of its point, but below when an earlier label (or the float
    line) sits just above it, so neighbouring variants' labels do not print over each other."""
    spots = sorted(labels, key=lambda s: (s[0], -s[1]))
    xs = [s[0] for s in spots] or [1.0]
    ys = [s[1] for s in spots] + ([100 * float_accuracy] if float_accuracy is not None else [])
    near_x = 0.15 * max(max(xs), 1e-9)
    near_y = 0.06 * max(101.0 - (min(ys, default=90.0) - 5.0), 1.0)
    placed: list[tuple[tuple[float, float], list[str], tuple[float, float]]] = []
    for x, y in spots:
        above = (0.0, 1.0)
        crowded = any(abs(px - x) < near_x and abs(py - y) < near_y and a == above for (px, py), _, a in placed)
        placed.append(((x, y), labels[(x, y)], (0.0, 0.0) if crowded else above))
    return placed
