"""The Deploy page's detailed figures of one stored result: how its test windows travelled and where the
time went (build, boot, transfer, compute), latency percentiles (DSP and NN, counter
units and ms), inference rate and duty cycle at the rate the user sets, the energy estimate for the
sleep current and battery the user sets, per-class precision/recall/F1, and the windows where board and
host disagree (a double click asks to show that window of its sample on the Data step).

The latency part is this widget; the per-class and disagreement part is ``classes_page``, a second widget
the page shows in a tab of its own, each headed by the same caption so neither can pass for another result."""

from __future__ import annotations

from html import escape
from typing import Any

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QBoxLayout,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHeaderView,
    QLabel,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from tinystudio.app.device_figures import (
    DEFAULT_BATTERY_MAH,
    DEFAULT_RATE_HZ,
    DEFAULT_SLEEP_UA,
    MAX_BATTERY_MAH,
    MAX_RATE_HZ,
    MAX_SLEEP_UA,
    MIN_BATTERY_MAH,
    MIN_RATE_HZ,
    device_figures,
)
from tinystudio.app.figure_text import energy_sentence, rate_sentence
from tinystudio.app.formatting import fmt_count, fmt_percent, fmt_test_transfer
from tinystudio.gui.widgets.tables import results_table, show_rows

PREFERRED_WIDTH = 440
SIDE_BY_SIDE_WIDTH = 720
"""From this width on, the percentiles and the rate and energy figures stand side by side (one above the
other below it, so a laptop screen's narrow tab shows the percentiles and the rate without scrolling)."""
NO_RESULT = "No result shown: pick one in the history or deploy"
PER_CLASS_COLUMNS = ("Class", "Precision", "Recall", "F1", "n")
DISAGREE_COLUMNS = ("Sample", "Window", "Host", "Board")


def _spin(value: float, low: float, high: float, decimals: int, suffix: str) -> QDoubleSpinBox:
    spin = QDoubleSpinBox()
    spin.setRange(low, high)
    spin.setDecimals(decimals)
    spin.setValue(value)
    spin.setSuffix(suffix)
    return spin


def latency_lines(f: dict[str, Any]) -> str:
    """A small table (rich text): min / median / p95 / max per part in counter units and in ms (marked when an
    estimate), then the BENCH run; a table reads better than wrapped lines in a narrow column."""
    lat = f["latency"]
    parts = [(t, lat[p]) for p, t in (("dsp", "DSP"), ("nn", "NN")) if p == "nn" or lat[p]["on_board"]]
    unit = lat["nn"]["unit"]
    timed = lat["nn"]["ms"] is not None
    caption = (f"min / median / p95 / max after the warm-up window, in {escape(unit)}"
               + (" and ms" + (" (estimate)" if lat["nn"]["ms_estimate"] else "") if timed else ""))
    rows = ["<tr><th></th>" + "".join(f"<th align='right'>{k}</th>" for k in ("min", "median", "p95", "max"))
            + "</tr>"]
    for title, s in parts:
        rows.append(f"<tr><td>{title}</td>" + "".join(f"<td align='right'>{fmt_count(s[k])}</td>"
                                                      for k in ("min", "median", "p95", "max")) + "</tr>")
        if s["ms"]:
            rows.append("<tr><td>ms</td>" + "".join(f"<td align='right'>{s['ms'][k]:.3g}</td>"
                                                   for k in ("min", "median", "p95", "max")) + "</tr>")
    bench = [f"{title} " + " / ".join(fmt_count(s["bench"][k]) for k in ("min", "mean", "max"))
             for title, s in parts if s["bench"]]
    text = f"{caption}<table cellspacing='0' cellpadding='2'>{''.join(rows)}</table>"
    if bench:
        text += f"BENCH, {lat['bench_runs']} runs (min / mean / max): " + "; ".join(bench)
    return text


def class_cells(c: dict[str, Any], predicted: int) -> list[tuple[str, str]]:
    """One per-class row's cells (text, tooltip): a figure with nothing to divide by is '-' and says why,
    not 0.0 %: a class with no test windows has no recall (nor F1), one the board never chose no precision
    (its F1 is still 0 when it has windows: all were missed)."""
    none_true = "no test window of this class" if not c["support"] else ""
    none_chosen = "the board chose this class for no window" if not predicted else ""
    return [(c["label"], ""),
            ("-" if none_chosen else fmt_percent(c["precision"]), none_chosen),
            ("-" if none_true else fmt_percent(c["recall"]), none_true),
            ("-" if none_true else fmt_percent(c["f1"]), none_true),
            (str(c["support"]), "")]


class DeviceFiguresPanel(QWidget):
    """See the module docstring; ``show_result`` fills it, ``clear`` empties it."""

    window_requested = Signal(int, int)  # a sample id and the window in it (-1: unknown) to show on the Data step

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.result: dict[str, Any] | None = None
        self.figures: dict[str, Any] | None = None
        self.rate_spin = _spin(DEFAULT_RATE_HZ, MIN_RATE_HZ, MAX_RATE_HZ, 3, " /s")
        self.rate_spin.setToolTip("How often the application runs an inference (for duty cycle and battery life)")
        self.sleep_spin = _spin(DEFAULT_SLEEP_UA, 0.0, MAX_SLEEP_UA, 1, " µA")
        self.sleep_spin.setToolTip("The board's current while it sleeps between inferences")
        self.battery_spin = _spin(DEFAULT_BATTERY_MAH, MIN_BATTERY_MAH, MAX_BATTERY_MAH, 0, " mAh")
        self.caption = QLabel(NO_RESULT)
        self.caption.setWordWrap(True)
        self.classes_caption = QLabel(NO_RESULT)  # the same words over the per-class page
        self.classes_caption.setWordWrap(True)
        self.transfer_label = QLabel()  # hidden for results stored before the deploy recorded it
        self.transfer_label.setTextFormat(Qt.TextFormat.PlainText)
        self.transfer_label.setWordWrap(True)
        self.transfer_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.transfer_label.setVisible(False)
        self.percentiles = QLabel("-")
        self.rate_label = QLabel("-")
        self.energy_label = QLabel("-")
        self.percentiles.setTextFormat(Qt.TextFormat.RichText)
        for label in (self.percentiles, self.rate_label, self.energy_label):
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.per_class = results_table(PER_CLASS_COLUMNS)
        self.per_class.horizontalHeaderItem(4).setToolTip("Test windows of this class")
        self.per_class.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        show_rows(self.per_class, 4)
        self.disagreements = results_table(DISAGREE_COLUMNS)
        self.disagreements.setToolTip("Double-click a window to show its sample on the Data step")
        show_rows(self.disagreements, 3)
        self.disagree_title = QLabel("Board and host disagree on -")

        inputs = QFormLayout()
        inputs.addRow("Inference rate", self.rate_spin)
        inputs.addRow("Sleep current", self.sleep_spin)
        inputs.addRow("Battery", self.battery_spin)
        timing = QWidget()
        t = QVBoxLayout(timing)
        t.setContentsMargins(0, 0, 0, 0)
        t.addWidget(self.percentiles)
        t.addStretch(1)
        rate = QWidget()
        r = QVBoxLayout(rate)
        r.setContentsMargins(0, 0, 0, 0)
        r.addWidget(self.rate_label)
        r.addWidget(self.energy_label)
        r.addLayout(inputs)
        r.addWidget(self.transfer_label)
        r.addStretch(1)
        self.columns = QBoxLayout(QBoxLayout.Direction.TopToBottom)
        self.columns.addWidget(timing, 1)
        self.columns.addWidget(rate, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.caption)  # then the figures: percentiles first, they fit a short tab
        layout.addLayout(self.columns)
        layout.addStretch(1)
        classes = QGroupBox("Per class on the board")
        QVBoxLayout(classes).addWidget(self.per_class)
        disagree = QGroupBox("Windows where board and host disagree")
        d = QVBoxLayout(disagree)
        d.addWidget(self.disagree_title)
        d.addWidget(self.disagreements)
        self.classes_page = QWidget()
        classes_layout = QVBoxLayout(self.classes_page)
        classes_layout.setContentsMargins(0, 0, 0, 0)
        for w in (self.classes_caption, classes, disagree):
            classes_layout.addWidget(w)
        classes_layout.addStretch(1)

        for spin in (self.rate_spin, self.sleep_spin, self.battery_spin):
            spin.valueChanged.connect(self._recompute)
        self.disagreements.cellDoubleClicked.connect(self._open_window)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        """Wide enough for the latency table and the energy sentence on few lines: a splitter without saved
        positions starts the figures' column at this width instead of squeezing it to its minimum."""
        hint = super().sizeHint()
        return QSize(max(hint.width(), PREFERRED_WIDTH), hint.height())

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        wide = event.size().width() >= SIDE_BY_SIDE_WIDTH
        direction = QBoxLayout.Direction.LeftToRight if wide else QBoxLayout.Direction.TopToBottom
        if self.columns.direction() != direction:
            self.columns.setDirection(direction)

    def side_by_side(self) -> bool:
        """True when the percentiles and the rate and energy figures stand side by side."""
        return self.columns.direction() == QBoxLayout.Direction.LeftToRight

    def clear(self, caption: str = NO_RESULT) -> None:
        """Empty every figure; ``caption`` says why (no result yet for the chosen board and model, ...)."""
        self.result = self.figures = None
        self.caption.setText(caption)
        self.classes_caption.setText(caption)
        for label in (self.caption, self.classes_caption):
            label.setToolTip("")
        self.transfer_label.clear()
        self.transfer_label.setVisible(False)
        for label in (self.percentiles, self.rate_label, self.energy_label):
            label.setText("-")
        self.per_class.setRowCount(0)
        self.disagreements.setRowCount(0)
        self.disagreements.setVisible(False)
        self.disagree_title.setText("Board and host disagree on -")

    def show_result(self, r: dict[str, Any], result_id: int | None = None) -> None:
        """Show the figures of stored result ``r``; the caption names the result, variant and board."""
        self.result = r
        named = f"Result {result_id}: " if result_id is not None else ""
        # the board's short name keeps the caption on one line in a laptop screen's tab; its title is the tooltip
        self.caption.setText(f"<b>{named}variant {r.get('variant_id')} on {escape(str(r.get('target')))}</b>")
        self.classes_caption.setText(self.caption.text())
        for caption in (self.caption, self.classes_caption):
            caption.setToolTip(str(r.get("target_title", r.get("target"))))
        travelled = fmt_test_transfer(r)
        self.transfer_label.setText(travelled or "")
        self.transfer_label.setVisible(travelled is not None)
        self._recompute()

    def _recompute(self) -> None:
        if self.result is None:
            return
        f = device_figures(self.result, self.rate_spin.value(), self.sleep_spin.value(), self.battery_spin.value())
        self.figures = f
        self.percentiles.setText(latency_lines(f))
        self.rate_label.setText(rate_sentence(f["rate"]))
        e = f["energy"]
        self.energy_label.setText(energy_sentence(e) + (f"\nSource: {e['source']}" if e else ""))
        self.per_class.setRowCount(len(f["per_class"]))
        counts = (self.result.get("confusion_matrix") or {}).get("counts") or []
        for i, c in enumerate(f["per_class"]):
            predicted = sum(row[i] for row in counts if i < len(row))
            for j, (text, tip) in enumerate(class_cells(c, predicted)):
                item = QTableWidgetItem(text)
                item.setToolTip(tip)
                self.per_class.setItem(i, j, item)
        d = f["disagreements"]
        self.disagree_title.setText(f"Board and host disagree on {len(d)} of {self.result['windows']} windows"
                                    + (" (double-click one to see it on the Data step)" if d else ""))
        self.disagreements.setRowCount(len(d))
        self.disagreements.setVisible(bool(d))  # an empty table is only wasted room
        for i, w in enumerate(d):
            cells = ("-" if w["sample_id"] is None else str(w["sample_id"]),
                     "-" if w["window_index"] is None else str(w["window_index"]), w["host"], w["device"])
            for j, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, w["sample_id"])
                self.disagreements.setItem(i, j, item)

    def _open_window(self, row: int, _column: int) -> None:
        if self.figures is None or not 0 <= row < len(self.figures["disagreements"]):
            return
        w = self.figures["disagreements"][row]
        if w["sample_id"] is not None:
            self.window_requested.emit(int(w["sample_id"]), -1 if w["window_index"] is None else int(w["window_index"]))

