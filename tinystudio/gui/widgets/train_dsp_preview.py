"""Picture of one window's DSP output: an image for 2-D features (raw, MFE, MFCC), band-power curves per
axis for spectral features, one line of values per axis over the statistics for window statistics."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QVBoxLayout, QWidget

from tinystudio.core.dsp import DspBlock
from tinystudio.core.dsp.spectral import STATS
from tinystudio.core.dsp.statistics import BASIC, PERCENTILES
from tinystudio.gui.theme import current, on_change
from tinystudio.gui.widgets.plot_key import PlotKey
from tinystudio.gui.widgets.wrap_label import WrapLabel


class DspPreviewWidget(QWidget):
    """Shows ``block(window)`` for the selected sample's first window."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # wrapped, and asking for all its lines: a long caption must not widen the page, nor (when it takes
        # three lines in a narrow pane) lay itself over the plot
        self.caption = WrapLabel("Select a sample to preview its features")
        self.key = PlotKey()  # the axes' colours: a legend box inside the small plot hid curves and names
        self.key.setVisible(False)
        self.plot = pg.PlotWidget()
        self.plot.showGrid(x=True, y=True, alpha=0.2)
        self.image = pg.ImageItem()
        self.image.setColorMap(pg.colormap.get("viridis"))
        # the band powers' title sits inside the plot's top right corner, where the spectra are lowest: a
        # rotated axis title ran longer than the plot is high on a laptop screen ("log10 powe")
        self.y_title = pg.TextItem("", anchor=(1, 0))
        self.y_title.setZValue(10)
        self.y_title.setParentItem(self.plot.getPlotItem().vb)
        self.y_title.setVisible(False)
        self.plot.getPlotItem().vb.sigResized.connect(self._place_y_title)
        self.features: np.ndarray | None = None
        self._shown: tuple[DspBlock, np.ndarray, list[str]] | None = None
        on_change(self, self._retheme)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)  # caption, key and plot belong together (as the curves and their key do)
        layout.addWidget(self.caption)
        layout.addWidget(self.key)
        layout.addWidget(self.plot, 1)

    def _place_y_title(self) -> None:
        self.y_title.setPos(self.plot.getPlotItem().vb.width(), 0)

    def _set_y_title(self, text: str) -> None:
        """``text`` inside the plot's top right corner over a veil of the background ("" hides it)."""
        theme = current()
        veil = QColor(theme.plot_background)
        veil.setAlpha(210)  # the curves stay faintly visible under it
        self.y_title.setColor(theme.plot_foreground)
        self.y_title.fill = pg.mkBrush(veil)
        self.y_title.setText(text)
        self.y_title.setVisible(bool(text))
        self._place_y_title()

    def show_message(self, text: str) -> None:
        self.features = None
        self._shown = None
        self._set_y_title("")
        self.plot.clear()
        self.key.set_entries([])
        self.caption.setText(text)

    def show_features(self, block: DspBlock, features: np.ndarray, axis_names: list[str]) -> None:
        spectral = getattr(block, "spectral", None)
        if block.name == "spectral-statistics" and spectral is not None:  # its band powers; statistics follow
            self.show_features(spectral, np.asarray(features)[: spectral.output_shape[0]], axis_names)
            self.features, self._shown = features, (block, features, axis_names)
            self.caption.setText(f"{block.title}: {features.shape[0]} features (band powers shown, window "
                                 f"statistics after them), about {block.ops():,} operations per window")
            return
        self.features = features
        self._shown = (block, features, axis_names)
        self.plot.clear()
        self._set_y_title("")
        self.plot.getAxis("bottom").setTicks(None)  # the statistics' names only under their own picture
        self.key.set_entries([])
        shape = "x".join(map(str, features.shape))
        self.caption.setText(f"{block.title}: {shape} features, about {block.ops():,} operations per window")
        if block.name == "spectral":
            per_axis = features.reshape(block.axes, -1)[:, len(STATS):]
            n = block.params["fft_length"]
            freqs = np.arange(1, n // 2 + 1) * block.rate_hz / n
            names = [axis_names[a] if a < len(axis_names) else f"axis {a}" for a in range(block.axes)]
            for a, name in enumerate(names):
                self.plot.plot(freqs, per_axis[a], pen=pg.mkPen(current().series_colour(a), width=2), name=name)
            self.key.set_entries([(name, current().series_colour(a), False) for a, name in enumerate(names)])
            self.plot.setLabel("bottom", "frequency", units="Hz")
            # titled inside the plot instead; the axis keeps its title's room, so the panes stay as laid out
            self.plot.setLabel("left", " ")
            self._set_y_title("log10 power" if block.params["log"] else "power")
            return
        if block.name == "statistics":
            self._show_statistics(block, features, axis_names)
            return
        # 2-D: time runs along x, bands / coefficients / axes along y
        self.image.setImage(np.asarray(features, dtype=np.float32))
        self.plot.addItem(self.image)
        self.plot.setLabel("bottom", "frame" if block.name != "raw" else "sample")
        self.plot.setLabel("left", {"raw": "axis", "mfe": "mel band", "mfcc": "coefficient"}.get(block.name, ""))
        self.plot.autoRange()

    def _show_statistics(self, block: DspBlock, features: np.ndarray, axis_names: list[str]) -> None:
        """Each axis's statistics as points joined by a line, the statistics named along x."""
        per_axis = features.reshape(block.axes, -1)
        names = [f"p{p}" for p in PERCENTILES] if block.params["percentiles"] else []
        names = [*BASIC, *names]
        axes = [axis_names[a] if a < len(axis_names) else f"axis {a}" for a in range(block.axes)]
        for a, name in enumerate(axes):
            colour = current().series_colour(a)
            self.plot.plot(np.arange(len(names)), per_axis[a], pen=pg.mkPen(colour, width=2), symbol="o",
                           symbolSize=6, symbolBrush=colour, name=name)
        self.key.set_entries([(name, current().series_colour(a), False) for a, name in enumerate(axes)])
        self.plot.getAxis("bottom").setTicks([list(enumerate(names))])
        self.plot.setLabel("bottom", "statistic")
        self.plot.setLabel("left", "value")

    def _retheme(self) -> None:
        """Band-power curves in the new theme's series colours."""
        if self._shown is not None:
            self.show_features(*self._shown)
