"""The Deploy step: pick a board and a model, press one button to build, flash and stream the test split
through the board, then read the on-device confusion matrix, agreement with the host, latency and
memory against the board's budget; earlier results stay listed."""

from __future__ import annotations

import time
from typing import Any, cast

from PySide6.QtCore import QItemSelectionModel, Qt, Signal
from PySide6.QtGui import QShowEvent, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from tinystudio.app.boards import board_choices
from tinystudio.app.device_figures import BENCH_RUNS, MAX_BENCH_RUNS
from tinystudio.app.export_model import FORMAT_TITLES, MODEL_FORMATS, NETWORK_FORMATS, TREE_FORMATS
from tinystudio.app.figure_text import TREE_MODEL, host_model, input_type, with_model_kind
from tinystudio.app.formatting import fmt_bytes, fmt_duration, fmt_latency, fmt_percent
from tinystudio.app.result_choice import newest_result_for
from tinystudio.app.variants import deploy_choices, marked_variant
from tinystudio.core.errors import UserError
from tinystudio.core.progress import CancelToken, Progress
from tinystudio.core.store import Project
from tinystudio.gui.context import AppContext
from tinystudio.gui.file_dialogs import choose_folder, save_file
from tinystudio.gui.widgets.confusion_matrix import ConfusionMatrixWidget
from tinystudio.gui.widgets.device_figures_panel import DeviceFiguresPanel
from tinystudio.gui.widgets.flow_label import FlowLabel
from tinystudio.gui.widgets.form_scroll import FormScrollArea, compact_combo
from tinystudio.gui.widgets.layer_profile_view import ArenaPlanChart, LayerTable
from tinystudio.gui.widgets.live_view import LiveView
from tinystudio.gui.widgets.tables import show_rows
from tinystudio.gui.worker import Worker, run_in_thread

NO_BOARD = "No board contacted yet"
SHUTDOWN_WAIT_MS = 30000
"""How long closing the project waits for a cancelled deploy or export to stop."""
HISTORY_ROWS = 2
"""Rows of the history always in view: on a short screen the rest of the height goes to the figures' tabs."""
HISTORY_COLUMNS = ("Result", "When", "Board", "Model", "Accuracy", "Agreement", "NN mean", "Flash", "RAM")


def _deploy_job(project: Project, choice: tuple[str, int], target: str, device_dsp: bool, profile: bool = False,
                bench_runs: int = BENCH_RUNS, *, progress: Progress, cancel: CancelToken) -> Any:
    from tinystudio.app.deploy import deploy_model

    kind, ident = choice
    return deploy_model(project, target, variant_id=ident if kind == "variant" else None,
                        run_id=ident if kind == "run" else None, device_dsp=device_dsp,
                        progress=progress, cancel=cancel, profile=profile, bench_runs=bench_runs)


def _export_job(project: Project, choice: tuple[str, int], fmt: str, folder: str, *,
                progress: Progress, cancel: CancelToken) -> Any:
    from tinystudio.app.deploy import resolve_variant
    from tinystudio.app.export_model import export_model

    kind, ident = choice
    variant = resolve_variant(project, ident if kind == "variant" else None, ident if kind == "run" else None,
                              progress, cancel)
    return export_model(project, variant, fmt, folder, progress=progress, cancel=cancel)


def _latency_text(figures: dict[str, Any], clock_hz: float | None) -> str:
    """Mean and worst count in the counter's unit, then the same in milliseconds where a clock says so."""
    text = fmt_latency(figures["mean"], figures["unit"], figures["max"])
    mean_ms = fmt_duration(figures["mean"], figures["unit"], clock_hz)
    if mean_ms:
        text += f"\nmean {mean_ms}"
    return text


DEPLOY_TIP = "Build the firmware for the chosen board and model, flash it and test it on the test split"
LIVE_BUSY = ("Live classification is running on the board: press Stop on the Live on board tab to build, "
             "flash and test again")


class DeployPage(QWidget):
    """One-click on-device test (see module docstring)."""

    deploy_finished = Signal(int)  # stored result id
    sample_requested = Signal(int)  # a sample to show on the Data step (a window board and host disagree on)
    window_requested = Signal(int, float, float)  # the same with the window's start and end (s) in that sample

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.worker: Worker | None = None
        self._orphan: Worker | None = None  # a job whose project was closed while it ran
        self.last_error = ""
        self.shown_result: dict[str, Any] | None = None

        self.target_combo = compact_combo(QComboBox(), 24)
        for board in board_choices():
            self.target_combo.addItem(board.title, board.name)
        self.model_combo = compact_combo(QComboBox(), 24)
        self._tree_choices: set[tuple[str, int]] = set()  # the combo's keys of tree model variants
        self.model_combo.setToolTip("A model variant (an int8 network or a tree model), or a training run "
                                    "(a network is quantized to int8 first)")
        self.dsp_check = QCheckBox("Run the DSP block on the board")
        self.dsp_check.setToolTip("Otherwise the host computes the features and sends them to the board")
        self.dsp_check.setChecked(True)
        self.profile_check = QCheckBox("Time each layer")
        self.profile_check.setToolTip("After the test, build the model again with a counter read between layers "
                                      "and run a few test windows: time, MACs and share per layer")
        self.bench_spin = QSpinBox()
        self.bench_spin.setRange(1, MAX_BENCH_RUNS)  # what the use case accepts (app/device_figures.py)
        self.bench_spin.setValue(BENCH_RUNS)
        self.bench_spin.setSuffix(" runs")
        self.bench_spin.setToolTip("Repetitions of the BENCH run on the last test window after the test "
                                   "(min / mean / max latency)")
        self.deploy_button = QPushButton("Build, flash and test")
        self.deploy_button.setToolTip(DEPLOY_TIP)
        font = self.deploy_button.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        self.deploy_button.setFont(font)
        self.deploy_button.setMinimumHeight(48)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setEnabled(False)
        self.export_format = compact_combo(QComboBox(), 16)
        for fmt in MODEL_FORMATS:
            self.export_format.addItem(FORMAT_TITLES[fmt], fmt)
        self.export_format.setToolTip("What to take elsewhere: the chosen model with its DSP block and labels")
        self.export_button = QPushButton("Export…")
        self.export_button.setToolTip("Write the chosen model in this format into a new or empty folder")
        self.report_button = QPushButton("Report…")
        self.report_button.setToolTip("Write one HTML file of the results selected in the history "
                                      "(several side by side) to share")
        self.report_button.setEnabled(False)
        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.status = FlowLabel()  # an error naming a long path breaks, never widens the window

        form = QFormLayout()
        form.addRow("Board", self.target_combo)
        form.addRow("Model", self.model_combo)
        form.addRow("", self.dsp_check)
        form.addRow("", self.profile_check)
        form.addRow("BENCH", self.bench_spin)
        export_row = QHBoxLayout()
        export_row.addWidget(self.export_format, 1)
        export_row.addWidget(self.export_button)
        form.addRow("Export", export_row)
        form.addRow("Share", self.report_button)
        buttons = QHBoxLayout()
        buttons.addWidget(self.deploy_button, 1)
        buttons.addWidget(self.cancel_button)
        controls = QVBoxLayout()
        controls.addLayout(form)
        controls.addLayout(buttons)
        controls.addWidget(self.progress)
        controls.addWidget(self.status)

        self.board_label = QLabel(NO_BOARD)
        self.board_label.setWordWrap(True)
        self.board_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        board_box = QGroupBox("Board")
        QVBoxLayout(board_box).addWidget(self.board_label)

        self.accuracy_label = QLabel("-")
        self.agreement_label = QLabel("-")
        self.dsp_latency = QLabel("-")
        self.nn_latency = QLabel("-")
        self.flash_bar = QProgressBar()
        self.ram_bar = QProgressBar()
        for bar in (self.flash_bar, self.ram_bar):
            bar.setRange(0, 1000)
            bar.setValue(0)
            bar.setTextVisible(True)
            bar.setFormat("-")
        for label in (self.accuracy_label, self.agreement_label, self.dsp_latency, self.nn_latency):
            label.setWordWrap(True)  # long figures wrap instead of widening the window
        results_box = QGroupBox("On-device results")
        res = QFormLayout(results_box)
        res.addRow("Accuracy", self.accuracy_label)
        res.addRow("Agreement with host", self.agreement_label)
        res.addRow("DSP latency", self.dsp_latency)
        res.addRow("NN latency", self.nn_latency)
        res.addRow("Flash", self.flash_bar)
        res.addRow("RAM", self.ram_bar)

        self.matrix = ConfusionMatrixWidget()
        self.history = QTableWidget(0, len(HISTORY_COLUMNS))
        self.history.setHorizontalHeaderLabels(HISTORY_COLUMNS)
        self.history.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.history.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)  # several: compared
        self.history.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.history.verticalHeader().setVisible(False)
        self.history.horizontalHeader().setStretchLastSection(True)
        show_rows(self.history, HISTORY_ROWS)  # a short screen still shows a few results to pick from

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.addLayout(controls)
        left_layout.addWidget(board_box)
        left_layout.addWidget(results_box)
        self.figures = DeviceFiguresPanel()
        self.figures.window_requested.connect(self.open_window)
        left_layout.addStretch(1)
        right = QSplitter(Qt.Orientation.Vertical)
        right.setObjectName("results_history")  # its sizes are remembered under this name
        self.layer_table = LayerTable()
        self.arena_chart = ArenaPlanChart()
        self.result_tabs = QTabWidget()
        # short titles, so all five fit a laptop screen's column; the detailed figures are one click away
        # beside the matrix, not screens down the settings column
        for widget, title, tip in (
                (self.matrix, "Matrix", "Confusion matrix of the board's predictions on the test windows"),
                (FormScrollArea(self.figures), "Latency", "Latency percentiles (DSP and NN), inference rate, duty "
                                                          "cycle and the energy and battery estimate"),
                (FormScrollArea(self.figures.classes_page), "Classes", "Precision, recall and F1 per class on the "
                                                                       "board, and the windows board and host "
                                                                       "disagree on"),
                (self.layer_table, "Layers", "Time, MACs and cycles per MAC of each layer (Time each layer)"),
                (self.arena_chart, "Arena", "Which tensors live in the arena when, against the RAM budget")):
            self.result_tabs.addTab(widget, title)
            self.result_tabs.setTabToolTip(self.result_tabs.count() - 1, tip)
        right.addWidget(self.result_tabs)
        history_box = QGroupBox("History of device results")
        QVBoxLayout(history_box).addWidget(self.history)
        right.addWidget(history_box)
        # the figures take 70 % of the height, the history 30 %, kept as the window grows (a splitter
        # without sizes gave the history its minimum, two and a half rows under a half-empty tab at 1600x1000);
        # a short screen keeps the history's HISTORY_ROWS
        right.setStretchFactor(0, 2)
        right.setStretchFactor(1, 1)
        right.setSizes([7000, 3000])
        self.live = LiveView(context, self.model_combo, self.target_combo)
        self.tabs = QTabWidget()
        self.tabs.addTab(right, "Results")
        self.tabs.addTab(self.live, "Live on board")
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setObjectName("settings_results")
        splitter.addWidget(FormScrollArea(left))  # on a short screen the figures scroll, never overlap
        splitter.addWidget(self.tabs)
        splitter.setStretchFactor(0, 2)  # the figures get room to read on a wide screen too
        splitter.setStretchFactor(1, 3)
        splitter.setChildrenCollapsible(False)
        right.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)  # no page title: the highlighted step names the page, the figures get the room
        layout.addWidget(splitter, 1)

        self.deploy_button.clicked.connect(self.start_deploy)
        self.cancel_button.clicked.connect(self.cancel_deploy)
        self.export_button.clicked.connect(self.choose_export_folder)
        self.report_button.clicked.connect(self.choose_report_file)
        self.history.itemSelectionChanged.connect(self._on_history_selected)
        self.target_combo.activated.connect(self.follow_choice)  # a person's choice, not a refill
        self.model_combo.activated.connect(self.follow_choice)
        self.context.project_closing.connect(self.shutdown)  # a deploy or export never outlives its project
        self.context.project_changed.connect(self.refresh)
        self.context.runs_changed.connect(self._models_changed)
        self.context.variants_changed.connect(self._models_changed)
        self.context.results_changed.connect(self.refresh_history)
        # live classification runs the chosen model on the chosen board: another choice stops it
        self.model_combo.currentIndexChanged.connect(self.live.choice_changed)
        self.model_combo.currentIndexChanged.connect(self._update_export_formats)
        self.target_combo.currentIndexChanged.connect(self.live.choice_changed)
        self.live.running_changed.connect(self._live_running)
        self.refresh()

    # -- state -----------------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        if self.worker is None:
            self.refresh_models()

    def shutdown(self) -> None:
        """The project closes (or the window): cancel a deploy or export and wait until it has stopped, so
        it never writes to, or fails on, a closed project file; its end then says nothing (``_ended``)."""
        if self.worker is not None:
            self._orphan = self.worker
            self.worker.cancel()
            self.worker.wait(SHUTDOWN_WAIT_MS)

    def refresh(self) -> None:
        """A project was opened: its newest result fills the board, results and matrix together (or all
        three say there is none), never a mix of two projects."""
        if self.worker is None:
            self.progress.setValue(0)  # the last project's finished bar
        self.refresh_models()
        self.refresh_history()
        self.clear_result()
        self.history.clearSelection()  # ids kept from another project mean nothing here
        self.report_button.setEnabled(False)  # until one of this project's results is selected
        if self.history.rowCount():
            self._show_board_result()

    def _show_board_result(self) -> None:
        """The newest stored result of the board in the Board box (of the chosen model when that board has
        one), else a line saying this board has none yet: a reopened project never shows the figures of
        another board than the one named beside them."""
        project = self.context.project
        if project is None:
            return
        rows = project.device_results()
        target = str(self.target_combo.currentData())
        choice = self.model_combo.currentData()
        found = newest_result_for(rows, tuple(choice) if choice else None, target)
        if found is None:
            found = next((int(row["id"]) for row in reversed(rows) if row["target"] == target), None)
        if found is not None and self._select_result(found):
            return
        message = f"No stored result on {target} yet: press Build, flash and test"
        self.matrix.clear(message)
        self.figures.clear(message)

    def _models_changed(self) -> None:
        if self.worker is None:
            self.refresh_models()

    def clear_result(self) -> None:
        self.shown_result = None
        self.figures.clear()
        self.matrix.clear()
        self.layer_table.clear()
        self.arena_chart.clear()
        self.board_label.setText(NO_BOARD)
        for label in (self.accuracy_label, self.agreement_label, self.dsp_latency, self.nn_latency):
            label.setText("-")
        for bar in (self.flash_bar, self.ram_bar):
            bar.setValue(0)
            bar.setFormat("-")
            bar.setToolTip("")

    def refresh_models(self) -> None:
        """Variants first (newest on top), then runs that have none yet; keep the current choice."""
        current = self.model_combo.currentData()
        self.model_combo.clear()
        project = self.context.project
        choices = deploy_choices(project) if project is not None else []
        self._tree_choices = {c.key for c in choices if c.tree}
        for choice in choices:
            self.model_combo.addItem(choice.label, choice.key)
        chosen = marked_variant(project) if project is not None else None
        if chosen is not None and chosen != getattr(self, "_chosen_seen", None):
            current = ("variant", chosen)  # just marked "Use for deploy" on the Compress step
        self._chosen_seen = chosen
        if current is not None:  # findData compares Python objects by identity: compare values here
            items = [self.model_combo.itemData(i) for i in range(self.model_combo.count())]
            if current in items:
                self.model_combo.setCurrentIndex(items.index(current))
        busy = self.worker is not None or self.live.running
        self.deploy_button.setEnabled(not busy and project is not None and self.model_combo.count() > 0)
        self.export_button.setEnabled(not busy and self.model_combo.count() > 0)  # nothing to export without one
        if project is None:
            self.status.setText("Open a project to deploy a model.")
        elif self.model_combo.count() == 0:
            self.status.setText("Train a model on the Impulse / Train step first.")
        elif self.status.text().startswith(("Open a project", "Train a model")):
            self.status.setText("")

    def refresh_history(self) -> None:
        project = self.context.project
        rows = list(reversed(project.device_results())) if project is not None else []
        keep = set(self.selected_results())  # the selection follows its results, not their row numbers
        self.history.blockSignals(True)
        self.history.clearSelection()
        self.history.setRowCount(len(rows))
        for i, row in enumerate(rows):
            r = row["results"]
            mem = r.get("memory", {})
            nn = r.get("latency", {}).get("nn", {})
            cells = (
                str(row["id"]),
                time.strftime("%Y-%m-%d %H:%M", time.localtime(row["created"])),
                row["target"],
                f"variant {row['variant_id']}",
                fmt_percent(r.get("accuracy")) if r.get("complete", True)
                else f"partial: {r.get('measured', 0)} of {r.get('windows', 0)} windows",
                fmt_percent(r.get("agreement")),
                f"{nn.get('mean', 0):.0f} {nn.get('unit', '')}",
                fmt_bytes(int(mem.get("flash", 0))),
                fmt_bytes(int(mem.get("ram", 0))),
            )
            for j, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, row["id"])
                self.history.setItem(i, j, item)
            if row["id"] in keep:
                self.history.selectionModel().select(
                    self.history.model().index(i, 0),
                    QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows)
        self.history.blockSignals(False)
        self.history.resizeColumnsToContents()

    # -- running ---------------------------------------------------------------------------------

    def start_deploy(self) -> None:
        project = self.context.project
        choice = self.model_combo.currentData()
        if project is None or choice is None or self.worker is not None:
            return
        target = str(self.target_combo.currentData())
        self.last_error = ""
        self._set_busy(True)
        self.progress.setValue(0)
        self.status.setText("starting…")
        self.worker = run_in_thread(
            _deploy_job, project, tuple(choice), target, self.dsp_check.isChecked(), self.profile_check.isChecked(),
            self.bench_spin.value(),
            on_progress=self._on_progress, on_done=self._on_done, on_error=self._on_error,
            on_cancelled=self._on_cancelled,
        )

    def _update_export_formats(self) -> None:
        """Formats the chosen model has not (a tree's .tflite, a network's tree JSON) are greyed out, and a
        chosen one moves to the C library."""
        choice = self.model_combo.currentData()
        tree = choice is not None and tuple(choice) in self._tree_choices
        allowed = TREE_FORMATS if tree else NETWORK_FORMATS
        why = ("A tree model has no .tflite: export it as a C or Arduino library or as its JSON" if tree else
               "Only a tree model (random forest, boosted trees) exports as JSON")
        items = cast(QStandardItemModel, self.export_format.model())  # a QComboBox's own model
        for i in range(self.export_format.count()):
            usable = choice is None or self.export_format.itemData(i) in allowed
            items.item(i).setEnabled(usable)
            items.item(i).setToolTip("" if usable else why)
        if self.export_format.currentData() not in allowed and choice is not None:
            self.export_format.setCurrentIndex(self.export_format.findData("c-library"))

    def choose_export_folder(self) -> None:
        if self.context.project is None or self.model_combo.currentData() is None or self.worker is not None:
            return
        folder = choose_folder(self, "Export the model into a new or empty folder", self.context.settings)
        if folder:
            self.export_to(folder)

    def export_to(self, folder: str) -> None:
        """Export the chosen model in the chosen format into ``folder`` (in the background)."""
        project = self.context.project
        choice = self.model_combo.currentData()
        if project is None or choice is None or self.worker is not None:
            return
        self.last_error = ""
        self._set_busy(True)
        self.progress.setValue(0)
        self.status.setText("exporting…")
        self.worker = run_in_thread(
            _export_job, project, tuple(choice), str(self.export_format.currentData()), folder,
            on_progress=self._on_progress, on_done=self._on_exported, on_error=self._on_error,
            on_cancelled=self._on_cancelled,
        )

    def _on_exported(self, done: Any) -> None:
        if not self._finish():
            return
        self.progress.setValue(1000)
        self.status.setText(f"Exported variant {done.variant_id} to {done.out_dir}: {done.summary}")
        self.context.variants_changed.emit()  # a run may have been quantized on the way
        self.context.status.emit(f"Exported {done.fmt} to {done.out_dir}")

    def cancel_deploy(self) -> None:
        if self.worker is not None:
            self.worker.cancel()
            self.status.setText("cancelling…")

    def _set_busy(self, busy: bool, live: bool = False) -> None:
        if not live:  # a deploy or export: no live run meanwhile (a real board serves one at a time)
            self.live.start_button.setEnabled(not busy)
        self.deploy_button.setEnabled(not busy)
        self.cancel_button.setEnabled(busy and not live)  # a live run has its own Stop; Cancel did nothing
        self.deploy_button.setToolTip(LIVE_BUSY if busy and live else DEPLOY_TIP)
        if live:  # say why Build, flash and test is greyed out
            self.status.setText(LIVE_BUSY if busy else "")
        self.target_combo.setEnabled(not busy)
        self.model_combo.setEnabled(not busy)
        self.dsp_check.setEnabled(not busy)
        self.profile_check.setEnabled(not busy)
        self.bench_spin.setEnabled(not busy)
        self.export_button.setEnabled(not busy and self.model_combo.count() > 0)
        self.export_format.setEnabled(not busy)

    def _live_running(self, running: bool) -> None:
        self._set_busy(running, live=True)
        if not running:
            self.refresh_models()  # the deploy button as the project allows

    def _finish(self) -> bool:
        """The worker is gone; False when its project was closed while it ran (nothing of it to show)."""
        ended, self.worker = self.worker, None
        self._set_busy(False)
        self.refresh_models()
        if ended is None or ended is not self._orphan:
            return True
        self._orphan = None
        self.progress.setValue(0)
        return False

    def _on_progress(self, fraction: float, message: str) -> None:
        if self.worker is not None and self.worker is self._orphan:
            return
        self.progress.setValue(int(1000 * fraction))
        self.status.setText(message)

    def _on_done(self, result: Any) -> None:
        if not self._finish():
            return
        self.progress.setValue(1000)
        self.context.results_changed.emit()  # this page's history and the Compress step's latency column
        self._select_result(result.result_id)  # selected, so Report… can write it at once
        self.show_result(result.results, result.result_id)
        r = result.results
        self.status.setText(f"Result {result.result_id} stored: on-device accuracy {r['accuracy']:.1%}, "
                            f"agreement with the host {r['agreement']:.1%}")
        self.context.status.emit(f"Deploy finished on {r['target']}")
        self.deploy_finished.emit(result.result_id)

    def _on_error(self, message: str) -> None:
        if not self._finish():
            return
        self.progress.setValue(0)  # a part-full bar beside "Failed" would say the job got that far
        self.refresh_history()  # a board that stopped mid-test leaves a partial result
        self.last_error = message
        self.status.setText(f"Failed: {message}")

    def _on_cancelled(self) -> None:
        if not self._finish():
            return
        self.progress.setValue(0)
        self.status.setText("Cancelled; nothing was stored.")

    # -- showing ---------------------------------------------------------------------------------

    def selected_results(self) -> list[int]:
        """The result ids selected in the history, oldest first (what a report compares)."""
        rows = sorted({i.row() for i in self.history.selectedItems()}, reverse=True)
        return [int(self.history.item(r, 0).data(Qt.ItemDataRole.UserRole)) for r in rows]

    def choose_report_file(self) -> None:
        if self.context.project is None or not self.selected_results():
            return
        path = save_file(self, "Write the report", self.context.settings, "HTML files (*.html)")
        if path:
            self.write_report(path if path.lower().endswith((".html", ".htm")) else path + ".html")

    def write_report(self, path: str) -> None:
        """Write the report of the selected results to ``path`` with the page's rate, sleep and battery."""
        from tinystudio.app.report import write_report

        project = self.context.project
        if project is None:
            return
        f = self.figures
        try:
            written = write_report(project, path, self.selected_results(), f.rate_spin.value(),
                                   f.sleep_spin.value(), f.battery_spin.value())
        except UserError as exc:
            self.status.setText(f"Failed: {exc}")
            return
        self.status.setText(f"Report written to {written}")
        self.context.status.emit(f"Report written to {written}")

    def open_window(self, sample_id: int, window_index: int) -> None:
        """Ask for ``sample_id`` on the Data step, with the disagreeing window as its shaded band when known."""
        from tinystudio.app.window_span import window_span

        project, r = self.context.project, self.shown_result
        span = None
        if project is not None and r is not None and window_index >= 0:
            span = window_span(project, int(r["run_id"]), sample_id, window_index)
        if span is None:
            self.sample_requested.emit(sample_id)
        else:
            self.window_requested.emit(sample_id, *span)

    def follow_choice(self) -> None:
        """Show the newest stored result of the chosen board and model, or say there is none yet, so no figure
        of another board or variant stays on screen under the new choice."""
        project = self.context.project
        if project is None or self.worker is not None:
            return
        choice = self.model_combo.currentData()
        found = newest_result_for(project.device_results(), tuple(choice) if choice else None,
                                  str(self.target_combo.currentData()))
        if found is not None and self._select_result(found):
            return
        self.history.clearSelection()
        self.clear_result()
        self.figures.clear("No stored result of this model on this board yet: press Build, flash and test")

    def _select_result(self, result_id: int) -> bool:
        """Select (and so show) stored result ``result_id`` in the history; False when it is not listed."""
        for i in range(self.history.rowCount()):
            if self.history.item(i, 0).data(Qt.ItemDataRole.UserRole) == result_id:
                self.history.selectRow(i)
                return True
        return False

    def _on_history_selected(self) -> None:
        items = self.history.selectedItems()
        project = self.context.project
        chosen = self.selected_results() if items else []
        self.report_button.setEnabled(bool(chosen) and project is not None and all(
            row["results"].get("complete", True) for row in (project.device_results() if project else [])
            if row["id"] in chosen))
        if not items or project is None:
            return
        result_id = items[0].data(Qt.ItemDataRole.UserRole)
        current = self.history.currentItem()
        if current is not None and current.isSelected():
            result_id = current.data(Qt.ItemDataRole.UserRole)
        for row in project.device_results():
            if row["id"] == result_id:
                self.show_result(row["results"], int(row["id"]))
                return

    def show_result(self, r: dict[str, Any], result_id: int | None = None) -> None:
        """Fill the board facts, matrix, agreement, latency and memory from one stored result."""
        self.shown_result = r
        r = with_model_kind(r, self.context.project)  # a tree model's result stored before deploys named it
        try:
            cm = r["confusion_matrix"]
            self.matrix.set_matrix(cm["labels"], cm["counts"], f"On the board ({r['target']}):")
            self.layer_table.show_result(r)
            self.arena_chart.set_plan(r.get("arena_plan"))
            h = r["hello"]
            where = "DSP on the board" if r["mode"] == "dsp_on_board" else "features sent from the host"
            arena = (f"arena {fmt_bytes(h['arena_bytes'])}" if r["model_kind"] != TREE_MODEL
                     else "a tree model: no tensor arena")
            self.board_label.setText(
                f"{h['board']} · firmware {h['firmware']} (protocol {h['protocol']})"
                f" · clock {h['clock_hz'] / 1e6:g} MHz"
                f"\ncounter: {h['counter']}\nmodel {h['model_name']} ({h['model_hash']}), input "
                f"{'x'.join(map(str, h['input_shape']))} {input_type(r)}, {arena}\n{where}"
            )
            self.accuracy_label.setText(f"{r['accuracy']:.1%} on {r['windows']} test windows "
                                        f"({host_model(r)}: {r['host_accuracy']:.1%})")
            agree = f"{r['agreement']:.1%} of windows predict the same class"
            fe = r.get("feature_error")
            if fe:
                dsp = ("board DSP features equal the host's" if fe["max_abs"] == 0
                       else f"board DSP within {fe['max_abs']:.2g} of the host's")
                agree += f"\n{dsp}, network bit-exact on {r['nn_bit_exact']:.1%}"
            else:
                agree += f"\nidentical scores on {r['scores_identical']:.1%}"
            self.agreement_label.setText(agree)
            lat = r["latency"]
            dsp, nn = lat["dsp"], lat["nn"]
            clock = h.get("clock_hz")
            self.dsp_latency.setText(_latency_text(dsp, clock) if dsp.get("on_board")
                                     else "computed on the host (not measured on the board)")
            self.nn_latency.setText(_latency_text(nn, clock))
            if r.get("complete", True):
                self.figures.show_result(r, result_id)
            else:
                self.figures.clear(f"Result {result_id} is partial: deploy again to complete it")
            mem = r["memory"]
            budget = mem.get("budget")
            for bar, key in ((self.flash_bar, "flash"), (self.ram_bar, "ram")):
                used = int(mem[key])
                # short words in the bar (its text is cut at both ends, not wrapped), the sentence in its tooltip
                if budget:
                    share = used / budget[key] if budget[key] else 0.0
                    bar.setValue(int(1000 * min(1.0, share)))
                    bar.setFormat(f"{fmt_bytes(used)} of {fmt_bytes(budget[key])} ({share:.1%})")
                    bar.setToolTip(f"{key}: {fmt_bytes(used)} of the board's {fmt_bytes(budget[key])} budget")
                else:
                    bar.setValue(0)
                    bar.setFormat(f"{fmt_bytes(used)}, no budget" if used else "not measured")
                    bar.setToolTip(f"{key}: {fmt_bytes(used)}; this board states no {key} budget" if used
                                   else f"{key}: not measured on this board")
        except (KeyError, TypeError, ValueError) as exc:
            self.status.setText(f"This stored result is incomplete ({exc}).")
