"""A cross-validation's result: one table row per fold (groups held out, accuracy, windows), the mean and
spread in a line above, and a bar per fold, named by the groups it held out, with a dashed line at the
mean, so a fold far below the others (a person the model does not generalise to) shows at a glance."""

from __future__ import annotations

from html import escape
from typing import Any

import pyqtgraph as pg
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QHeaderView, QSplitter, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget

from tinystudio.app.crossval import warnings
from tinystudio.app.formatting import fmt_percent
from tinystudio.gui.theme import current, on_change, span
from tinystudio.gui.widgets.flow_label import FlowLabel
from tinystudio.gui.widgets.tables import make_read_only

COLUMNS = ("Fold", "Held out", "Accuracy", "int8", "Windows")
BAR_WIDTH = 0.6
"""Of the room each fold has on the chart."""
HELD_OUT_WIDTH = 120
"""At most this wide, the Held out column (its tooltip names them in full), so the accuracy beside it stays in
view in a narrow tab."""
CHART_HINT = "Each bar is one fold, named by the people or sessions it held out; point at a bar for its figures"


class CrossValView(QWidget):
    """Shows a ``CrossValResult`` (``set_result``) or a message (``clear``)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.summary = FlowLabel(text_format=Qt.TextFormat.AutoText)  # its warnings name people as typed
        self.table = QTableWidget(0, len(COLUMNS))
        make_read_only(self.table, COLUMNS)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        self.chart = pg.PlotWidget()
        self.chart.setLabel("left", "accuracy", units="%")
        self.chart.setLabel("bottom", "held out")
        self.chart.getAxis("left").enableAutoSIPrefix(False)
        self.chart.setToolTip(CHART_HINT)
        self.chart.scene().sigMouseMoved.connect(self._hover)
        self.chart.getViewBox().sigResized.connect(lambda _vb: self._fit_names())
        for w in (self.table, self.chart):  # the tab shares the runs table's room: it must not grow the page
            w.setMinimumHeight(36)
        self.bars: list[float] = []  # accuracy % per fold as drawn
        self.names: list[str] = []  # the groups each fold held out, as the table names them
        self.mean_line: float | None = None
        split = QSplitter(Qt.Orientation.Horizontal)
        split.setObjectName("crossval_table_chart")  # its sizes are remembered under this name
        split.addWidget(self.table)
        split.addWidget(self.chart)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.summary)
        layout.addWidget(split, 1)
        self._result: Any = None
        self.clear()
        on_change(self, lambda: self._result is not None and self.set_result(self._result))

    def clear(self, message: str = "No cross-validation yet: press Cross-validate to hold each person or "
              "session out in turn.") -> None:
        self.summary.setText(message)
        self.table.setRowCount(0)
        self.chart.clear()
        self.chart.setTitle(None)  # no mean of a cross-validation no longer shown
        self.chart.setYRange(0, 100)  # in % from the start, as the bars will be
        self.bars, self.mean_line, self.names = [], None, []
        self._result: Any = None

    def set_result(self, result: Any) -> None:
        acc = result.summary()
        if acc is None:
            self.clear("The cross-validation has no folds.")
            return
        int8 = result.summary(int8=True)
        self.summary.setText(
            f"{result.k} folds ({result.method}): accuracy <b>{fmt_percent(acc['mean'])}</b> ± "
            f"{fmt_percent(acc['std'])} (min {fmt_percent(acc['min'])}, max {fmt_percent(acc['max'])})"
            + (f"; int8 {fmt_percent(int8['mean'])} ± {fmt_percent(int8['std'])}" if int8 else "")
            + "".join(f"<br>{span(escape(text[:1].upper() + text[1:]), 'warning')}" for text in warnings(result))
            )
        self.table.setRowCount(0)
        for fold, score in zip(result.folds, result.scores, strict=True):
            row = self.table.rowCount()
            self.table.insertRow(row)
            for col, text in enumerate((str(fold.index + 1), ", ".join(fold.held_out),
                                        fmt_percent(score.accuracy), fmt_percent(score.int8_accuracy),
                                        str(score.windows))):
                item = QTableWidgetItem(text)
                if col == 1:
                    item.setToolTip(text)
                self.table.setItem(row, col, item)
        self._fit_table()
        self.chart.clear()
        self._result = result
        theme = current()
        self.bars = [100 * a for a in result.accuracies()]
        self.names = [", ".join(fold.held_out) or f"fold {fold.index + 1}" for fold in result.folds]
        xs = list(range(1, len(self.bars) + 1))
        self.chart.addItem(pg.BarGraphItem(x=xs, height=self.bars, width=BAR_WIDTH, brush=theme.series[0]))
        self.mean_line = 100 * acc["mean"]
        self.chart.addItem(pg.InfiniteLine(pos=self.mean_line, angle=0,
                                           pen=pg.mkPen(theme.series[1], width=2, style=Qt.PenStyle.DashLine)))
        # named above the plot: a label on the line itself was cut off at the left edge of a narrow chart
        # and drawn over the first bar
        self.chart.setTitle(f"dashed line: mean {self.mean_line:.1f} %", size="9pt")
        self.chart.setXRange(0.4, len(xs) + 0.6)
        self.chart.setYRange(0, 100)
        self._fit_names()

    def _fit_table(self) -> None:
        """Columns to their contents (Held out at most ``HELD_OUT_WIDTH``), and the table at least as wide as
        Fold, Held out and Accuracy: the splitter beside the chart gave it a third of a narrow tab, which hid
        every fold's accuracy behind a sideways scroll."""
        table, header = self.table, self.table.horizontalHeader()
        table.resizeColumnsToContents()
        header.resizeSection(1, min(header.sectionSize(1), HELD_OUT_WIDTH))
        table.setMinimumWidth(sum(header.sectionSize(c) for c in range(3)) + 2 * table.frameWidth()
                              + table.verticalScrollBar().sizeHint().width())

    def tick_names(self) -> list[str]:
        """Each bar's name as the axis shows it at the current size: the held-out groups, shortened at the end
        with an ellipsis to the room between bars (the tooltip over a bar names them in full)."""
        if not self.names:
            return []
        px = self.chart.getViewBox().viewPixelSize()[0]
        room = int(1 / px) - 6 if px > 0 else 60
        metrics = QFontMetrics(self.chart.getAxis("bottom").font())
        return [metrics.elidedText(name, Qt.TextElideMode.ElideRight, max(room, metrics.horizontalAdvance("…")))
                for name in self.names]

    def _fit_names(self) -> None:
        axis = self.chart.getAxis("bottom")
        axis.setStyle(hideOverlappingLabels=False)
        axis.setTicks([[(k + 1, name) for k, name in enumerate(self.tick_names())]])

    def bar_tip(self, index: int) -> str:
        """The tooltip over bar ``index``: the fold, the groups it held out in full and its accuracy."""
        score = self._result.scores[index] if self._result is not None else None
        int8 = f", int8 {fmt_percent(score.int8_accuracy)}" if score is not None and score.int8_accuracy is not None \
            else ""
        return f"fold {index + 1}: held out {self.names[index]}\naccuracy {self.bars[index]:.1f} %{int8}"

    def _hover(self, pos: QPointF) -> None:
        point = self.chart.getViewBox().mapSceneToView(pos)
        index = round(point.x()) - 1
        inside = 0 <= index < len(self.bars) and abs(point.x() - (index + 1)) <= BAR_WIDTH / 2
        self.chart.setToolTip(self.bar_tip(index) if inside else CHART_HINT)
