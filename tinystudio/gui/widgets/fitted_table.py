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
