"""A plot's legend box that is shown only while it names something: pyqtgraph draws a legend's frame and
background even with no entries, so a plot with no curves yet (no sample chosen, no variants) showed an
empty box in its corner."""

from __future__ import annotations

from typing import Any

import pyqtgraph as pg


class KeyBox(pg.LegendItem):
    """A LegendItem hidden while it has no entries."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.setVisible(False)

    def _follow(self) -> None:
        self.setVisible(bool(self.items))

    def addItem(self, item: Any, name: str) -> None:  # noqa: N802 - pyqtgraph override
        super().addItem(item, name)
        self._follow()

    def removeItem(self, item: Any) -> None:  # noqa: N802 - pyqtgraph override
        super().removeItem(item)
        self._follow()

    def clear(self) -> None:
        super().clear()
        self._follow()


def add_key_box(plot: pg.PlotWidget | pg.PlotItem, **kwargs: Any) -> KeyBox:
    """Give ``plot`` a KeyBox as its legend (what ``addLegend`` does with a plain LegendItem): curves drawn
    with a ``name`` enter it."""
    item = plot.getPlotItem() if isinstance(plot, pg.PlotWidget) else plot
    box = KeyBox(**kwargs)
    box.setParentItem(item.vb)
    item.legend = box
    return box
