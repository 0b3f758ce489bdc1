"""The Deploy page's per-layer views of a stored result: a table of layers with a bar of each one's
share of the inference time, and the arena plan chart (time across in ops, arena offset up, one
rectangle per buffer, the peak and the RAM budget marked), painted with QPainter in theme colours."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableWidgetItem,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from tinystudio.app.arena_plan import rectangles
from tinystudio.app.formatting import MISSING, fmt_bytes, fmt_count, fmt_percent
from tinystudio.app.layer_report import op_label, op_span, short_kind
from tinystudio.gui.theme import current, on_change
from tinystudio.gui.widgets.fitted_table import WidthFittedTable

COLUMNS = ("Op", "Layer", "Share of time", "Time", "ms", "MACs", "per MAC", "Output")
LAYER_COLUMN = 1
SHARE_COLUMN = 2
SHARE_WIDTH = 130  # px: the bar's least width; a wide table gives it the spare width
LAYER_MIN_WIDTH = 70  # px: below its names' width the layer column elides them (the row's tooltip has all)
DROP_ORDER = ("Output", "per MAC", "Op", "ms")
"""The columns a narrow table leaves out first, least useful first (each row's tooltip still names them)."""
SHARE_ROLE = Qt.ItemDataRole.UserRole + 1
NO_PROFILE = ("No per-layer profile in this result: tick \"Time each layer\" and deploy again "
              "(a second, profiling build runs a few test windows).")


class _ShareBar(QStyledItemDelegate):
    """The share column: a bar as long as the layer's share of the slowest layer, the percentage on it."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        share = index.data(SHARE_ROLE)
        if share is None:
            super().paint(painter, option, index)
            return
        theme = current()
        text = str(index.data() or "")
        cell = option.rect  # type: ignore[attr-defined]
        room = option.fontMetrics.horizontalAdvance("100.0%") + 8  # type: ignore[attr-defined]
        rect = cell.adjusted(3, 4, -room, -4)  # the bar never runs under its percentage
        painter.save()
        painter.fillRect(QRectF(rect.x(), rect.y(), max(1.0, rect.width() * float(share)), rect.height()),
                         QColor(theme.accent))
        painter.setPen(QColor(theme.text))
        painter.drawText(cell.adjusted(0, 0, -4, 0), int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight),
                         text)
        painter.restore()


class LayerTable(QWidget):
    """Per-layer time, MACs and share of one result; a note says what the numbers are."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.note = QLabel(NO_PROFILE)
        self.note.setWordWrap(True)
        self.table = _FittedTable(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.setItemDelegateForColumn(SHARE_COLUMN, _ShareBar(self.table))
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)  # the columns fit instead
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.note)
        layout.addWidget(self.table, 1)

    def clear(self) -> None:
        self.table.setRowCount(0)
        self.note.setText(NO_PROFILE)
        self.table.fit()

    def hidden_columns(self) -> list[str]:
        """The columns left out because the table is too narrow for them."""
        return [COLUMNS[c] for c in range(len(COLUMNS)) if self.table.isColumnHidden(c)]

    def show_result(self, r: dict[str, Any]) -> None:
        rows, p = r.get("per_layer"), r.get("profile")
        if not rows or not p:
            self.clear()
            if r.get("profile_error"):
                self.note.setText(f"The profiling build failed: {r['profile_error']}")
            return
        est = " ms: an estimate at the board's clock." if p["ms_estimate"] else ""
        share = p["sum"] / p["whole"] if p["whole"] else None
        self.note.setText(f"Time in {p['unit']} (median of {p['windows']} windows x {p['runs']} runs, profiling "
                          f"build); the layers add up to {fmt_percent(share)} of the whole inference.{est} "
                          "Point at a layer for all its figures.")
        time_header = QTableWidgetItem("Time")
        time_header.setToolTip(p["unit"])
        self.table.setHorizontalHeaderItem(3, time_header)
        per_mac = QTableWidgetItem("per MAC")
        per_mac.setToolTip(f"{p['unit']} per multiply-accumulate")
        self.table.setHorizontalHeaderItem(6, per_mac)
        top = max(row["share"] for row in rows) or 1.0
        self.table.setRowCount(len(rows))
        for i, row in enumerate(rows):
            cells = [str(row["op_index"]), row["op"], fmt_percent(row["share"]), fmt_count(row["count"]),
                     MISSING if row["ms"] is None else f"{row['ms']:.3g}", fmt_count(row["macs"]),
                     MISSING if row["per_mac"] is None else f"{row['per_mac']:.2f}",
                     "x".join(map(str, row["output_shape"]))]
            tip = (f"op {row['op_index']} {row['op']} -> {row['output']} ({cells[7]})\n{cells[3]} {p['unit']}"
                   f" ({cells[2]} of the time), {cells[4]} ms, {cells[5]} MACs, {cells[6]} per MAC")
            for j, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if j not in (1, 7):
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                item.setToolTip(tip)
                if j == SHARE_COLUMN:
                    item.setData(SHARE_ROLE, row["share"] / top)
                self.table.setItem(i, j, item)
        self.table.fit()


class _FittedTable(WidthFittedTable):
    """The layer table, fitted to its view's width whenever that changes: every shown column as wide as its
    texts, the least useful columns left out (DROP_ORDER) while they do not fit, then the layer names
    elided; spare width lengthens the share bars. Never a sideways scroll."""

    def fit(self) -> None:
        need = self.measure()
        room = self.viewport().width()
        need[SHARE_COLUMN] = SHARE_WIDTH
        shown = self.columns_that_fit(need, [COLUMNS.index(name) for name in DROP_ORDER])
        layer = max(LAYER_MIN_WIDTH, min(need[LAYER_COLUMN], room - sum(need[c] for c in shown if c != LAYER_COLUMN)))
        need[LAYER_COLUMN] = layer
        spare = max(0, room - sum(need[c] for c in shown))
        need[SHARE_COLUMN] += spare
        self.show_columns(shown, need)


class ArenaPlanChart(QWidget):
    """The arena plan of one result; hovering a rectangle names its tensors."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.plan: dict[str, Any] | None = None
        self._drawn: list[tuple[QRectF, dict[str, Any]]] = []
        self.setMinimumSize(320, 200)
        self.setMouseTracking(True)
        on_change(self, self.update)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(520, 300)

    def clear(self) -> None:
        self.set_plan(None)

    def set_plan(self, plan: dict[str, Any] | None) -> None:
        self.plan = plan if plan and plan.get("buffers") else None
        self.update()

    def buffer_rects(self) -> list[tuple[QRectF, dict[str, Any]]]:
        """The rectangles as last painted (widget pixels) with their buffers."""
        return list(self._drawn)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        theme = current()
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), QColor(theme.plot_background))
        self._drawn = []
        fm = painter.fontMetrics()
        if self.plan is None:
            painter.setPen(QColor(theme.muted))
            painter.drawText(self.rect(), int(Qt.AlignmentFlag.AlignCenter), "No arena plan in this result")
            return
        plan = self.plan
        steps = plan["steps"]
        arena = max(1, plan["arena_bytes"])
        budget = plan.get("ram_budget")
        scale_top = budget if budget and budget <= 1.5 * arena else arena
        label_w = fm.horizontalAdvance(fmt_bytes(scale_top)) + 10
        left, right, top, bottom = label_w, 10, fm.height() + 8, self.height() - 2 * fm.height() - 8
        plot_w, plot_h = max(1, self.width() - left - right), max(1, bottom - top)
        n = max(1, len(steps))

        def px(v: float) -> float:
            return left + plot_w * v / n

        def py(v: float) -> float:
            return bottom - plot_h * v / scale_top

        fg = QColor(theme.plot_foreground)
        painter.setPen(fg)
        painter.drawLine(QPointF(left, bottom), QPointF(left + plot_w, bottom))
        painter.drawLine(QPointF(left, top), QPointF(left, bottom))
        for i, (x0, x1, y0, y1, b) in enumerate(rectangles(plan)):
            colour = QColor(theme.muted if b["kind"] == "scratch" else theme.series_colour(i))
            colour.setAlpha(190)
            rect = QRectF(QPointF(px(x0), py(y1)), QPointF(px(x1), py(y0)))
            if rect.height() < 1:
                rect.setHeight(1)
            painter.fillRect(rect, colour)
            painter.setPen(QPen(fg, 0.5))
            painter.drawRect(rect)
            self._drawn.append((rect, b))
        grid = QPen(QColor(theme.grid), 1, Qt.PenStyle.DotLine)
        painter.setPen(grid)
        painter.drawLine(QPointF(left, py(arena)), QPointF(left + plot_w, py(arena)))
        painter.setPen(fg)
        painter.drawText(QRectF(0, py(arena) - fm.height() / 2, left - 4, fm.height()),
                         int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter), fmt_bytes(arena))
        painter.drawText(QRectF(0, bottom - fm.height() / 2, left - 4, fm.height()),
                         int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter), "0")
        error = QColor(theme.error)
        peak = plan["peak"]
        x_peak = px(peak["step"] + 0.5)
        painter.setPen(QPen(error, 1.5, Qt.PenStyle.DashLine))
        painter.drawLine(QPointF(x_peak, top), QPointF(x_peak, bottom))
        text = f"peak {fmt_bytes(peak['bytes'])} live at op {op_label(steps, peak['step'])}"
        if budget:
            if scale_top == budget:
                painter.drawLine(QPointF(left, py(budget)), QPointF(left + plot_w, py(budget)))
            for extra in (f" · RAM budget {fmt_bytes(budget)} (arena {fmt_percent(arena / budget)} of it)",
                          f" · budget {fmt_bytes(budget)}"):
                if fm.horizontalAdvance(text + extra) <= plot_w:
                    text += extra
                    break
        painter.setPen(error)
        painter.drawText(QRectF(left, 2, plot_w, fm.height()), int(Qt.AlignmentFlag.AlignLeft),
                         fm.elidedText(text, Qt.TextElideMode.ElideRight, int(plot_w)))
        painter.setPen(fg)
        small = QFont(painter.font())
        small.setPointSizeF(max(6.0, small.pointSizeF() * 0.85))
        painter.setFont(small)
        sfm = painter.fontMetrics()
        every = 1
        while every < n and plot_w * every / n < sfm.horizontalAdvance("00 conv") + 4:
            every += 1
        for s in range(0, len(steps), every):
            label = f"{op_label(steps, s)} {short_kind(steps[s]['kind'])}"
            painter.drawText(QRectF(px(s + 0.5) - 40, bottom + 2, 80, sfm.height()),
                             int(Qt.AlignmentFlag.AlignHCenter), label)
        painter.drawText(QRectF(left, bottom + sfm.height() + 4, plot_w, sfm.height()),
                         int(Qt.AlignmentFlag.AlignHCenter), "op (time) →   arena offset ↑")

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        pos = event.position()
        for rect, b in self._drawn:
            if rect.contains(pos):
                QToolTip.showText(event.globalPosition().toPoint(),
                                  f"{', '.join(b['tensors'])}\n{fmt_bytes(b['bytes'])} at offset {b['offset']}, "
                                  f"{op_span(self.plan['steps'] if self.plan else [], b)}", self)
                return
        QToolTip.hideText()
