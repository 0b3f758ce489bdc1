"""Live loss and accuracy curves for training (train and validation), also used to replay a stored run."""

from __future__ import annotations

from typing import Any

import pyqtgraph as pg
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from tinystudio.gui.theme import current, on_change
from tinystudio.gui.widgets.plot_key import PlotKey

SERIES = (("loss", "loss", 0), ("val_loss", "loss", 3), ("accuracy", "accuracy", 0), ("val_accuracy", "accuracy", 3))
"""(history key, plot, index of the theme's series colour)."""


AXIS_UNITS = {"loss": "cross-entropy", "accuracy": "share right"}


def _pen(key: str, colour: int) -> Any:
    """The theme's series colour; validation curves dashed."""
    dash = pg.QtCore.Qt.PenStyle.DashLine if key.startswith("val") else pg.QtCore.Qt.PenStyle.SolidLine
    return pg.mkPen(current().series_colour(colour), width=2, style=dash)


class TrainCurvesWidget(QWidget):
    """Two plots (loss, accuracy) with a train and a validation curve each, under one key naming both
    (a legend box in each plot covered the curves on a laptop screen)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(2)
        self.key = PlotKey()
        outer.addWidget(self.key)
        layout = QHBoxLayout()
        outer.addLayout(layout, 1)
        self.plots: dict[str, pg.PlotWidget] = {}
        for name in ("loss", "accuracy"):
            plot = pg.PlotWidget(title=name)
            plot.setLabel("bottom", "epoch")
            plot.setLabel("left", AXIS_UNITS[name])
            plot.getAxis("left").enableAutoSIPrefix(False)  # a loss of 0.9 reads 0.9, not 900 (x0.001)
            plot.showGrid(x=True, y=True, alpha=0.3)
            self.plots[name] = plot
            layout.addWidget(plot)
        self.data: dict[str, list[float]] = {key: [] for key, _, _ in SERIES}
        self.lines: dict[str, pg.PlotDataItem] = {}
        self.notes: dict[str, pg.TextItem] = {}  # why a plot is empty, in its middle
        for name, plot in self.plots.items():
            note = pg.TextItem("", color=current().muted, anchor=(0.5, 0.5))
            note.setParentItem(plot.getPlotItem().vb)
            note.setVisible(False)
            self.notes[name] = note
            plot.getPlotItem().vb.sigResized.connect(lambda _vb, n=name: self._place_note(n))
        for key, plot_name, colour in SERIES:
            style = _pen(key, colour)
            label = "validation" if key.startswith("val") else "train"
            self.lines[key] = self.plots[plot_name].plot([], [], pen=style, name=label)
        self._show_key()
        on_change(self, self._retheme)

    def _show_key(self) -> None:
        theme = current()
        self.key.set_entries([("train", theme.series_colour(0), False), ("validation", theme.series_colour(3), True)])

    def _retheme(self) -> None:
        """Curves in the new theme's series colours (dashed for validation, as before)."""
        for key, _, colour in SERIES:
            self.lines[key].setPen(_pen(key, colour))
        for note in self.notes.values():
            note.setColor(current().muted)
        self._show_key()

    def clear(self) -> None:
        self.set_curves({})

    def add_epoch(self, values: dict[str, float | None]) -> None:
        """Append one epoch's values (keys as in ``SERIES``; None is skipped)."""
        for key in self.data:
            v = values.get(key)
            if v is not None:
                self.data[key].append(float(v))
        self._redraw()

    def set_curves(self, curves: dict[str, Any], note: str = "") -> None:
        """Show stored curves (a run's ``curves`` dict); ``note`` says in each empty plot why it is empty."""
        self.data = {key: [float(v) for v in curves.get(key, [])] for key, _, _ in SERIES}
        for name, item in self.notes.items():
            item.setText(note)
            item.setVisible(bool(note))
            self._place_note(name)
        self._redraw()

    def note(self) -> str:
        """What the empty plots say ("" when they say nothing)."""
        return next((n.toPlainText() for n in self.notes.values() if n.isVisible()), "")

    def _place_note(self, name: str) -> None:
        """In the middle of the plot's view, wrapped to its width."""
        box = self.plots[name].getPlotItem().vb.boundingRect()
        note = self.notes[name]
        note.setTextWidth(max(40.0, box.width() - 16))
        note.setPos(box.center())

    def _redraw(self) -> None:
        for key, values in self.data.items():
            self.lines[key].setData(list(range(1, len(values) + 1)), values)
