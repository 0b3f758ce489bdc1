"""The training-run history: one row per run with its impulse and accuracies, to compare runs."""

from __future__ import annotations

import time
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QTableWidget, QTableWidgetItem, QWidget

from tinystudio.app.formatting import fmt_percent
from tinystudio.gui.widgets.tables import make_read_only

COLUMNS = ("Run", "Name", "When", "Window", "DSP", "Model", "Params", "MACs", "Epochs", "Val acc", "Test acc")


class RunHistoryWidget(QTableWidget):
    """Table of training runs; ``run_selected(run_id)`` fires when the user picks a row."""

    run_selected = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, len(COLUMNS), parent)
        make_read_only(self, COLUMNS)
        self.itemSelectionChanged.connect(self._selected)
        self.run_ids: list[int] = []

    def set_runs(self, runs: list[Any]) -> None:
        """Fill from ``Project.runs(kind="train")`` (newest first)."""
        self.blockSignals(True)
        self.setRowCount(0)
        self.run_ids = []
        for run in sorted(runs, key=lambda r: -r.id):
            imp = run.config.get("impulse", {})
            w, d, m = imp.get("window", {}), imp.get("dsp", {}), imp.get("model", {})
            cells = [
                str(run.id), run.name, time.strftime("%Y-%m-%d %H:%M", time.localtime(run.created)),
                f"{w.get('window_ms', 0):g}/{w.get('stride_ms', 0):g} ms", d.get("block", ""),
                m.get("preset", ""), f"{run.metrics.get('params', 0):,}", f"{run.metrics.get('macs', 0):,}",
                str(run.metrics.get("epochs_run", "")), fmt_percent(run.metrics.get("validation_accuracy")),
                fmt_percent(run.metrics.get("test_accuracy")),
            ]
            row = self.rowCount()
            self.insertRow(row)
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, run.id)
                self.setItem(row, col, item)
            self.run_ids.append(run.id)
        self.blockSignals(False)

    def select_run(self, run_id: int) -> None:
        if run_id in self.run_ids:
            self.selectRow(self.run_ids.index(run_id))

    def _selected(self) -> None:
        rows = {i.row() for i in self.selectedItems()}
        if rows:
            self.run_selected.emit(self.run_ids[min(rows)])
