"""Live loss and accuracy curves for training (train and validation), also used to replay a stored run."""

from __future__ import annotations

from typing import Any

import pyqtgraph as pg
from PySide6.QtWidgets import QHBoxLayout, QWidget

SERIES = (("loss", "loss", "#1f77b4"), ("val_loss", "loss", "#ff7f0e"),
          ("accuracy", "accuracy", "#1f77b4"), ("val_accuracy", "accuracy", "#ff7f0e"))


AXIS_UNITS = {"loss": "cross-entropy", "accuracy": "share right"}


class TrainCurvesWidget(QWidget):
    """Two plots (loss, accuracy) with a train and a validation curve each."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.plots: dict[str, pg.PlotWidget] = {}
        for name in ("loss", "accuracy"):
            plot = pg.PlotWidget(title=name)
            plot.addLegend(offset=(-10, 10))
            plot.setLabel("bottom", "epoch")
            plot.setLabel("left", AXIS_UNITS[name])
            plot.getAxis("left").enableAutoSIPrefix(False)  # a loss of 0.9 reads 0.9, not 900 (x0.001)
            plot.showGrid(x=True, y=True, alpha=0.3)
            self.plots[name] = plot
            layout.addWidget(plot)
        self.data: dict[str, list[float]] = {key: [] for key, _, _ in SERIES}
        self.lines: dict[str, pg.PlotDataItem] = {}
        for key, plot_name, colour in SERIES:
            style = pg.mkPen(colour, width=2, style=pg.QtCore.Qt.PenStyle.DashLine if key.startswith("val")
                             else pg.QtCore.Qt.PenStyle.SolidLine)
            label = "validation" if key.startswith("val") else "train"
            self.lines[key] = self.plots[plot_name].plot([], [], pen=style, name=label)

    def clear(self) -> None:
        self.set_curves({})

    def add_epoch(self, values: dict[str, float | None]) -> None:
        """Append one epoch's values (keys as in ``SERIES``; None is skipped)."""
        for key in self.data:
            v = values.get(key)
            if v is not None:
                self.data[key].append(float(v))
        self._redraw()

    def set_curves(self, curves: dict[str, Any]) -> None:
        """Show stored curves (a run's ``curves`` dict)."""
        self.data = {key: [float(v) for v in curves.get(key, [])] for key, _, _ in SERIES}
        self._redraw()

    def _redraw(self) -> None:
        for key, values in self.data.items():
            self.lines[key].setData(list(range(1, len(values) + 1)), values)
