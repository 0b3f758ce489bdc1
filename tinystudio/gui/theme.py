"""One look for every plot in the app: light background, dark axes, smooth lines."""

from __future__ import annotations

import pyqtgraph as pg


def apply_plot_theme() -> None:
    """Set pyqtgraph's defaults; call before any plot is created."""
    pg.setConfigOptions(background="w", foreground="#333333", antialias=True)
