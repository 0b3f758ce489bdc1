"""What "usable on a laptop screen" means for a page, as checks a test can run on real widgets."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QDoubleSpinBox,
    QLineEdit,
    QScrollArea,
    QSpinBox,
    QStyle,
    QWidget,
)

FIELDS = (QLineEdit, QSpinBox, QDoubleSpinBox, QComboBox)
MIN_LINE_EDIT = 60
"""A line edit narrower than this shows only a few characters."""


def _is_inner_editor(w: QWidget) -> bool:
    """The line edit inside a spin box or an editable combo box is checked through its owner."""
    parent = w.parentWidget()
    return isinstance(w, QLineEdit) and isinstance(parent, QAbstractSpinBox | QComboBox)


def _scroll_area(w: QWidget) -> QScrollArea | None:
    p = w.parentWidget()
    while p is not None:
        if isinstance(p, QScrollArea) and p.widget() is not None and p.widget().isAncestorOf(w):
            return p
        p = p.parentWidget()
    return None


def field_problems(page: QWidget, window: QWidget) -> list[str]:
    """Every visible input field that is narrower than it needs, cut off by the window or pushed out of
    its scroll area's view sideways; and every scroll area that scrolls a form sideways."""
    problems: list[str] = []
    for field in page.findChildren(QWidget):
        if not isinstance(field, FIELDS) or _is_inner_editor(field) or not field.isVisibleTo(window):
            continue
        name = field.objectName() or field.toolTip()[:40] or type(field).__name__
        if isinstance(field, QComboBox) and field.count():
            name += f" [{field.currentText()[:30]}]"
        need = MIN_LINE_EDIT if isinstance(field, QLineEdit) else field.minimumSizeHint().width()
        if field.width() < need:
            problems.append(f"{name}: {field.width()} px wide, needs {need}")
        area = _scroll_area(field)
        if area is not None:
            left = field.mapTo(area.viewport(), QPoint(0, 0)).x()
            if left < 0 or left + field.width() > area.viewport().width():
                problems.append(f"{name}: outside its scroll area's view ({left}..{left + field.width()} of "
                                f"{area.viewport().width()} px)")
        else:
            left = field.mapTo(window, QPoint(0, 0)).x()
            if left < 0 or left + field.width() > window.width():
                problems.append(f"{name}: cut off by the window ({left}..{left + field.width()} px)")
    for area in page.findChildren(QScrollArea):
        bar = area.horizontalScrollBar()
        if area.isVisibleTo(window) and area.widget() is not None and bar.maximum() > 0:
            problems.append(f"scroll area {area.objectName() or area.widget().__class__.__name__} scrolls "
                            f"sideways by {bar.maximum()} px")
    return problems


def hidden_part(widget: QWidget, window: QWidget, top_px: int = 0, height: int | None = None) -> int:
    """Pixels of ``widget``'s height (or of its band ``top_px`` .. ``top_px + height``) that the user cannot
    see without scrolling: cut off by an enclosing scroll area's view or by the window (0: all in view)."""
    top = widget.mapTo(window, QPoint(0, top_px)).y()
    bottom = top + (widget.height() - top_px if height is None else height)
    low, high = 0, window.height()
    p = widget.parentWidget()
    while p is not None and p is not window:
        if isinstance(p, QScrollArea):
            view_top = p.viewport().mapTo(window, QPoint(0, 0)).y()
            low, high = max(low, view_top), min(high, view_top + p.viewport().height())
        p = p.parentWidget()
    return max(0, low - top) + max(0, bottom - high) if bottom > low and top < high else bottom - top


def columns_out_of_view(table: QAbstractItemView, names: list[str]) -> list[str]:
    """Each column named in ``names`` that is not wholly inside the table's view as it opens (scrolled to
    the left): the user would have to scroll sideways to read it."""
    model = table.model()
    heads = {str(model.headerData(c, Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole)): c
             for c in range(model.columnCount())}
    width = table.viewport().width()
    out = []
    for name in names:
        column = heads[name]
        left = table.horizontalHeader().sectionPosition(column)
        right = left + table.horizontalHeader().sectionSize(column)
        if right > width:
            out.append(f"{name}: {left}..{right} px of a {width} px view")
    return out


def clipped_cells(table: QAbstractItemView, column: int) -> list[str]:
    """Texts of ``column`` that do not fit their cell (shown with an ellipsis)."""
    model = table.model()
    metrics = QFontMetrics(table.font())
    room = table.horizontalHeader().sectionSize(column) - 2 * table.style().pixelMetric(
        QStyle.PixelMetric.PM_FocusFrameHMargin) - 2
    texts = [str(model.data(model.index(row, column), Qt.ItemDataRole.DisplayRole))
             for row in range(model.rowCount())]
    return [t for t in texts if metrics.horizontalAdvance(t) > room]


def rows_hidden(table: QAbstractItemView, window: QWidget) -> list[int]:
    """The rows of ``table`` (and -1 for its header) that are not wholly in view: scrolled out of the table
    or of an enclosing scroll area, or cut off by the window."""
    hidden = [-1] if hidden_part(table.horizontalHeader(), window) else []
    for row in range(table.model().rowCount()):
        top = table.rowViewportPosition(row)
        height = table.rowHeight(row)
        if top < 0 or top + height > table.viewport().height() or \
                hidden_part(table.viewport(), window, top, height):
            hidden.append(row)
    return hidden
