"""A read-only table laid out afresh whenever its view's width changes: tables on a laptop-sized tab choose
which columns to show and how far to elide them from the width they have, never a sideways scroll."""

from __future__ import annotations

from PySide6.QtCore import QEvent
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QTableWidget


class WidthFittedTable(QTableWidget):
    """Calls ``fit`` (given by the subclass) whenever the view's width differs from the one last fitted;
    ``fit`` records that width in ``_fitted_width``."""

    def __init__(self, rows: int, columns: int) -> None:
        super().__init__(rows, columns)
        self._fitted_width = -1

    def fit(self) -> None:
        raise NotImplementedError

    def measure(self) -> dict[int, int]:
        """Every column's width for its texts and heading (all columns shown first: a hidden column reports
        none); records the view's width as fitted."""
        self._fitted_width = self.viewport().width()
        header = self.horizontalHeader()
        for c in range(self.columnCount()):
            self.setColumnHidden(c, False)
        return {c: max(self.sizeHintForColumn(c), header.sectionSizeHint(c), header.minimumSectionSize())
                for c in range(self.columnCount())}

    def columns_that_fit(self, need: dict[int, int], drop_order: list[int]) -> list[int]:
        """The columns shown: all, less those of ``drop_order`` (least useful first) while they do not fit."""
        shown = list(range(self.columnCount()))
        for c in drop_order:
            if sum(need[s] for s in shown) <= self._fitted_width:
                break
            shown.remove(c)
        return shown

    def show_columns(self, shown: list[int], need: dict[int, int]) -> None:
        """Hide the columns not ``shown`` and size the others to ``need``."""
        header = self.horizontalHeader()
        for c in range(self.columnCount()):
            self.setColumnHidden(c, c not in shown)
            if c in shown:
                header.resizeSection(c, need[c])

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        if self.viewport().width() != self._fitted_width:
            self.fit()

    def viewportEvent(self, event: QEvent) -> bool:  # noqa: N802 - Qt override
        """The view narrows without the table resizing when a vertical scroll bar appears: fit again."""
        handled = super().viewportEvent(event)
        if event.type() == QEvent.Type.Resize and self.viewport().width() != self._fitted_width:
            self.fit()
        return handled
