"""The Tune panel's Pareto table, fitted to its width: short headings (their tooltips say them in full), the
least useful columns left out first while the figures do not fit, long texts elided. A laptop screen's narrow
tab shows each point's accuracy, flash, RAM, latency, model family and DSP block without a sideways scroll."""

from __future__ import annotations

from PySide6.QtCore import QSize

from tinystudio.gui.widgets.fitted_table import WidthFittedTable

COLUMNS = ("#", "Acc.", "int8", "Flash", "RAM", "ms", "Model", "DSP", "Point")
HEADER_TIPS = (
    "Row of the Pareto front, most accurate first",
    "Accuracy the search scored the point by (%)",
    "The int8 model's validation accuracy (%)",
    "Flash the int8 model takes on the board",
    "RAM the model needs on the board",
    "Latency of one inference on the board (ms)",
    "Model family",
    "DSP block",
    "The whole point: window, DSP block, model settings and compression",
)
DROP_ORDER = ("Point", "int8")
"""The columns a narrow table leaves out first, least useful first (each row's tooltip still names them)."""
SHRINKS = ("Point", "DSP", "Model")
"""Text columns that give up width, elided, when the shown ones still do not fit; the figures never do."""
MIN_TEXT_WIDTH = 44  # px: a shrunk text column keeps a few letters and the ellipsis


class FittedTable(WidthFittedTable):
    """A read-only table laid out afresh whenever its view's width or rows change (``fit``)."""

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        """As tall as its minimum (a few rows): the chart below it takes the rest of the tab."""
        hint = super().sizeHint()
        return QSize(hint.width(), max(self.minimumHeight(), 1))

    def hidden_columns(self) -> list[str]:
        """The columns left out because the table is too narrow for them."""
        return [COLUMNS[c] for c in range(self.columnCount()) if self.isColumnHidden(c)]

    def fit(self) -> None:
        need = self.measure()
        room = self.viewport().width()
        shown = self.columns_that_fit(need, [COLUMNS.index(name) for name in DROP_ORDER])
        for name in SHRINKS:
            c = COLUMNS.index(name)
            over = sum(need[s] for s in shown) - room
            if over <= 0:
                break
            if c in shown:
                need[c] = max(MIN_TEXT_WIDTH, need[c] - over)
        last = shown[-1]
        need[last] += max(0, room - sum(need[c] for c in shown))  # spare width to the last shown column
        self.show_columns(shown, need)
