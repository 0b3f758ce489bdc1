"""Read-only tables of results (runs, variants, device results): whole rows are picked, one at a time."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget


def make_read_only(table: QTableWidget, columns: Sequence[str]) -> QTableWidget:
    """Give ``table`` these column headings, single whole-row selection, no editing and fitted columns."""
    table.setColumnCount(len(columns))
    table.setHorizontalHeaderLabels(list(columns))
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    return table


def results_table(columns: Sequence[str]) -> QTableWidget:
    """A new empty read-only table with ``columns``."""
    return make_read_only(QTableWidget(0, len(columns)), columns)


def show_rows(table: QTableWidget, rows: int) -> None:
    """Keep room for the header, ``rows`` rows and a horizontal scroll bar, so a splitter or a small
    screen never squeezes the table to a row or two."""
    height = (table.horizontalHeader().sizeHint().height() + rows * table.verticalHeader().defaultSectionSize()
              + table.horizontalScrollBar().sizeHint().height() + 2 * table.frameWidth())
    table.setMinimumHeight(height)
