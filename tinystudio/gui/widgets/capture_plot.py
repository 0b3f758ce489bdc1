"""The live capture plot: one scrolling strip per axis, fed from the capture ring buffer and decimated
to a few thousand points per curve for display only (storage always keeps every frame)."""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QVBoxLayout, QWidget

from tinystudio.gui.theme import current, on_change

LEFT_AXIS_PX = 64
MAX_POINTS = 1000
"""Points drawn per curve: min/max pairs keep spikes visible when decimating."""


def decimate(values: np.ndarray, max_points: int = MAX_POINTS) -> tuple[np.ndarray, np.ndarray]:
    """Index and values reduced to at most ``max_points`` rows, keeping each bucket's min and max."""
    n = values.shape[0]
    if n <= max_points:
        return np.arange(n, dtype=np.float64), values
    buckets = max_points // 2
    size = n // buckets
    usable = size * buckets
    start = n - usable
    blocks = values[start:].reshape(buckets, size, values.shape[1])
    lo = blocks.min(axis=1)
    hi = blocks.max(axis=1)
    out = np.empty((buckets * 2, values.shape[1]), dtype=values.dtype)
    out[0::2] = lo
    out[1::2] = hi
    x = start + np.repeat(np.arange(buckets) * size, 2) + np.tile([0, size - 1], buckets)
    return x.astype(np.float64), out

TIME_TITLE = "time before now (s) · values as the board sends them: a serial line states no units"
"""The shared time axis's title, which also says why no strip names a unit."""

TICK_PX = 22
"""Height one labelled value tick needs on a strip's axis."""


class StripAxis(pg.AxisItem):
    """A strip's value axis: only as many labelled ticks as fit without touching, since a strip may be a few
    dozen pixels high on a laptop screen (pyqtgraph's own spacing then stacks the numbers on each other)."""

    def tickSpacing(self, minVal: float, maxVal: float, size: float) -> list[tuple[float, float]]:  # noqa: N802, N803
        span = abs(maxVal - minVal)
        if not math.isfinite(span) or span == 0 or size <= 0:
            return super().tickSpacing(minVal, maxVal, size)
        wanted = span / max(1, int(size // TICK_PX))
        power = 10.0 ** math.floor(math.log10(wanted))
        step = next(m * power for m in (1, 2, 5, 10) if m * power >= wanted)
        return [(step, 0.0)]


class CapturePlot(QWidget):
    """Stacked strips sharing the time axis; call ``show_frames`` with the newest frames."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.view = pg.GraphicsLayoutWidget()
        self.view.setBackground(current().plot_background)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view)
        self._plots: list[pg.PlotItem] = []
        self._curves: list[pg.PlotDataItem] = []
        self._names: list[str] = []
        self._titles: list[pg.TextItem] = []
        on_change(self, self._retheme)
        self.window_s = 10.0
        self.frames_drawn = 0

    def set_window(self, seconds: float) -> None:
        """How many seconds of history the strips show."""
        self.window_s = seconds
        for plot in self._plots:
            plot.setXRange(-seconds, 0, padding=0)

    def set_axes(self, names: list[str]) -> None:
        """Rebuild the strips for a new set of axes."""
        if names == self._names:
            return
        self.view.clear()
        self._plots, self._curves, self._titles = [], [], []
        self._names = list(names)
        for i, name in enumerate(names):
            plot = self.view.addPlot(row=i, col=0, axisItems={"left": StripAxis("left")})
            left = plot.getAxis("left")
            # a strip is short: pyqtgraph's "(x0.001)" scale note would run into the next strip's name, so
            # values keep their own scale and every strip's axis has the same width (the curves line up)
            left.enableAutoSIPrefix(False)
            left.setWidth(LEFT_AXIS_PX)
            # strips can be a few dozen pixels high on a laptop: a rotated axis name would run into its
            # neighbours, so the name sits inside the strip's top-left corner
            title = pg.TextItem(self._title(i), color=current().plot_foreground, anchor=(0, 0))
            title.setParentItem(plot.vb)
            title.setPos(2, -2)
            self._titles.append(title)
            plot.setToolTip(f"{name}: values as the board sends them; time in seconds before now")
            plot.setMenuEnabled(False)
            plot.setMouseEnabled(x=False, y=False)
            plot.hideButtons()
            # time runs from -window to 0 (now): the x range never changes, so nothing is re-laid out
            plot.setXRange(-self.window_s, 0, padding=0)
            plot.disableAutoRange(axis="x")
            plot.enableAutoRange(axis="y")
            if i < len(names) - 1:
                plot.hideAxis("bottom")  # one time axis at the bottom: axes are costly to paint
            else:
                bottom = plot.getAxis("bottom")
                bottom.enableAutoSIPrefix(False)
                # a serial line carries bare numbers: say so rather than leave the reader to guess a unit
                plot.setLabel("bottom", TIME_TITLE)
            curve = plot.plot(pen=pg.mkPen(current().series_colour(i), width=1))
            curve.setSkipFiniteCheck(True)
            self._plots.append(plot)
            self._curves.append(curve)

    def _retheme(self) -> None:
        """Strip names and curves in the new theme's colours."""
        theme = current()
        for i, (title, curve) in enumerate(zip(self._titles, self._curves, strict=True)):
            title.setColor(theme.plot_foreground)
            curve.setPen(pg.mkPen(theme.series_colour(i), width=1))

    def show_frames(self, frames: np.ndarray, total: int, rate_hz: float | None) -> None:
        """Draw the newest frames; ``total`` is the running frame count (for the time axis)."""
        if frames.shape[0] == 0 or frames.shape[1] != len(self._curves):
            return
        x, y = decimate(frames)
        scale = 1.0 / rate_hz if rate_hz else 1.0 / 100.0
        t = (x - (frames.shape[0] - 1)) * scale  # seconds relative to the newest frame
        for i, curve in enumerate(self._curves):
            curve.setData(t, y[:, i])
            values = y[:, i]
            finite = values[np.isfinite(values)]
            if finite.size:
                self._titles[i].setText(self._title(i, float(finite.min()), float(finite.max())))
        self.frames_drawn += 1

    def _title(self, i: int, low: float | None = None, high: float | None = None) -> str:
        """A strip's name and the range of values it spans: a strip a few dozen pixels high has room for one
        tick, often without its number, so the range is read here."""
        name = self._names[i]
        return name if low is None or high is None else f"{name}  {low:.3g} … {high:.3g}"

    def clear(self) -> None:
        for i, curve in enumerate(self._curves):
            curve.setData([], [])
            self._titles[i].setText(self._title(i))  # no range claimed for a strip with nothing drawn
