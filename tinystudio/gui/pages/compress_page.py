"""The Compress step: pick a trained run and compression methods, make int8 variants in the background,
compare them in a table and an accuracy-vs-flash chart, and mark the one the Deploy step should use."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QPushButton,
    QSpinBox,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from tinystudio.app.boards import board_clock
from tinystudio.app.compress import DEFAULT_EPOCHS, DEFAULTS, METHOD_TITLES, METHODS, CompressOptions, compress_run
from tinystudio.app.formatting import fmt_bytes, fmt_duration, fmt_latency, fmt_percent
from tinystudio.core.errors import UserError
from tinystudio.core.models import NN_PRESETS
from tinystudio.gui.context import AppContext
from tinystudio.gui.job_page import JobPage
from tinystudio.gui.widgets.form_scroll import FormScrollArea, compact_combo
from tinystudio.gui.widgets.panes import panes, titled
from tinystudio.gui.widgets.tables import results_table, show_rows
from tinystudio.gui.widgets.variant_chart import VariantChart
from tinystudio.gui.widgets.wrap_label import WrapLabel

TREE_METHODS = ("rf", "gbt")
"""Variants that are tree models (stored when trained; no compression method makes them)."""
COLUMNS = ("Variant", "Method", "Test acc", "vs float", "Val acc", "Sparsity", "Params (non-zero)",
           "MACs", "Flash", "RAM (arena)", "Latency on device", "Deploy")


class CompressPage(JobPage):
    """Compression and comparison of int8 variants (see module docstring)."""

    compress_finished = Signal(list)  # variant ids made
    deploy_variant_changed = Signal(int)

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.rows: list[Any] = []
        self.tree_run = False  # the chosen run is a tree model (nothing to compress)

        self.run_combo = compact_combo(QComboBox(), 20)
        self.run_combo.setToolTip("The trained run to compress (its float model is the reference)")
        self.method_checks: dict[str, QCheckBox] = {}
        for method in METHODS:
            check = QCheckBox(METHOD_TITLES[method][0].upper() + METHOD_TITLES[method][1:])
            check.setChecked(method in ("ptq", "prune"))
            self.method_checks[method] = check
        self.sparsity = QDoubleSpinBox()
        self.sparsity.setRange(0.05, 0.95)
        self.sparsity.setSingleStep(0.05)
        self.sparsity.setValue(DEFAULTS.sparsity)
        self.sparsity.setToolTip("Share of the weights set to zero")
        self.student = compact_combo(QComboBox(), 14)
        for name, preset in NN_PRESETS.items():
            self.student.addItem(preset.title, name)
        self.student.setCurrentIndex(self.student.findData(DEFAULTS.student))
        self.epochs = QSpinBox()
        self.epochs.setRange(0, 500)
        self.epochs.setSpecialValueText("method default")
        self.epochs.setToolTip("Fine-tuning (QAT, pruning) or student training epochs; defaults: "
                               + ", ".join(f"{m} {e}" for m, e in DEFAULT_EPOCHS.items() if e))

        methods_box = QGroupBox("Methods")
        mform = QFormLayout(methods_box)
        mform.addRow(self.method_checks["ptq"])
        mform.addRow(self.method_checks["qat"])
        mform.addRow(self.method_checks["prune"])
        mform.addRow("    target sparsity", self.sparsity)
        mform.addRow(self.method_checks["distill"])
        mform.addRow("    student model", self.student)
        mform.addRow("Epochs", self.epochs)

        self.compress_button = QPushButton("Compress")
        font = QFont(self.compress_button.font())
        font.setBold(True)
        self.compress_button.setFont(font)
        self.compress_button.setMinimumHeight(40)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        form = QFormLayout()
        form.addRow("Run", self.run_combo)
        left_layout.addLayout(form)
        left_layout.addWidget(methods_box)
        buttons = QHBoxLayout()
        buttons.addWidget(self.compress_button, 1)
        buttons.addWidget(self.cancel_button)
        left_layout.addLayout(buttons)
        left_layout.addWidget(self.progress)
        left_layout.addWidget(self.status)
        left_layout.addStretch(1)

        self.table = results_table(COLUMNS)
        self.table.horizontalHeaderItem(2).setToolTip(  # a tree model has no int8 copy to name
            "Accuracy on the test split: the int8 network's, or the tree model's own (random forest, boosted trees)")
        show_rows(self.table, 4)  # at least four variants in view, even at 1024x640
        self.use_button = QPushButton("Use for deploy")
        self.use_button.setEnabled(False)
        self.use_button.setToolTip("The Deploy step starts from the marked variant")
        self.note = WrapLabel()  # its wrapped lines take room from the table's pane, never overlap the table
        self.chart = VariantChart()

        table_box = QWidget()
        tl = QVBoxLayout(table_box)
        tl.setContentsMargins(0, 0, 0, 0)
        tl.addWidget(self.table, 1)
        row = QHBoxLayout()
        row.addWidget(self.note, 1)
        row.addWidget(self.use_button)
        tl.addLayout(row)
        right = panes(Qt.Orientation.Vertical, table_box, self.chart, name="variants_chart", grow=1)
        # the settings column scrolls on a short screen: a long error under it never makes the window taller
        titled(self, "Compress", panes(Qt.Orientation.Horizontal, FormScrollArea(left), right, name="settings_variants",
                                      grow=1))

        self.compress_button.clicked.connect(self.start_compress)
        self.use_button.clicked.connect(self.use_selected_for_deploy)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.run_combo.currentIndexChanged.connect(lambda _i: self.refresh_variants())
        for check in self.method_checks.values():
            check.toggled.connect(lambda _on: self._update_enabled())
        self.context.project_changed.connect(self.refresh)
        self.context.runs_changed.connect(self.refresh_runs)
        self.context.variants_changed.connect(self.refresh_variants)
        self.context.results_changed.connect(self.refresh_variants)  # latency measured on the Deploy step
        self.refresh()

    # -- state -----------------------------------------------------------------------------------

    def refresh_choices(self) -> None:
        self.refresh_runs()

    def refresh(self) -> None:
        self.refresh_runs()
        self.refresh_variants()

    def selected_methods(self) -> list[str]:
        return [m for m, check in self.method_checks.items() if check.isChecked()]

    def options(self) -> CompressOptions:
        return CompressOptions(epochs=self.epochs.value() or None, sparsity=round(self.sparsity.value(), 4),
                               student=str(self.student.currentData())).validate()

    def refresh_runs(self) -> None:
        """Training runs, newest first; keeps the current choice."""
        current = self.run_combo.currentData()
        self.run_combo.blockSignals(True)
        self.run_combo.clear()
        project = self.context.project
        if project is not None:
            for r in reversed(project.runs("train")):
                acc = r.metrics.get("test_accuracy")
                acc_text = f", float test accuracy {acc:.1%}" if isinstance(acc, float) else ""
                preset = (r.config.get("impulse") or {}).get("model", {}).get("preset", "")
                self.run_combo.addItem(f"Run {r.id}{' ' + r.name if r.name else ''} ({preset}{acc_text})", r.id)
        if current is not None and self.run_combo.findData(current) >= 0:
            self.run_combo.setCurrentIndex(self.run_combo.findData(current))
        self.run_combo.blockSignals(False)
        if self.run_combo.currentData() != current:
            self.refresh_variants()
        self._update_enabled()
        if project is None:
            self.status.setText("Open a project to compress its models.")
        elif self.run_combo.count() == 0:
            self.status.setText("Train a model on the Impulse / Train step first.")
        elif self.worker is None and self.status.text().startswith(("Open a project", "Train a model")):
            self.status.setText("")

    def refresh_variants(self) -> None:
        """Fill the table and chart with the chosen run's variants."""
        from tinystudio.app.variants import list_variants

        project = self.context.project
        run_id = self.run_combo.currentData()
        self.rows = []
        if project is not None and run_id is not None:
            try:
                self.rows = list_variants(project, int(run_id))
            except UserError as exc:
                self.status.setText(f"Cannot compare the variants: {exc}")
        self.table.blockSignals(True)
        self.table.setRowCount(len(self.rows))
        for i, r in enumerate(self.rows):
            change = r.accuracy_change
            device = "-"
            if r.device is not None and r.device.nn_mean is not None:
                ms = fmt_duration(r.device.nn_mean, r.device.unit, board_clock(r.device.target))
                ms = f" ({ms})" if ms else ""
                device = f"{fmt_latency(r.device.nn_mean, r.device.unit)}{ms} on {r.device.target}"
            elif r.method in TREE_METHODS:
                device = "not measured (tree model)"
            else:
                device = f"not measured ({r.macs:,} MACs)"
            cells = (
                f"#{r.variant_id}", r.method + (" (damaged file)" if r.damaged else ""), fmt_percent(r.test_accuracy),
                "-" if change is None else f"{change * 100:+.1f} pts", fmt_percent(r.validation_accuracy),
                fmt_percent(r.sparsity), f"{r.nonzero_params:,} of {r.params:,}", f"{r.macs:,}",
                fmt_bytes(r.flash_bytes) + ("" if r.code_bytes is not None else " (weights)"), fmt_bytes(r.arena_bytes),
                device, "✓" if r.chosen else "",
            )
            for j, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, r.variant_id)
                if r.chosen:
                    f = item.font()
                    f.setBold(True)
                    item.setFont(f)
                self.table.setItem(i, j, item)
        self.table.blockSignals(False)
        float_acc = self.rows[0].run_test_accuracy if self.rows else None
        if not self.rows and project is not None and run_id is not None:
            run = project.run(int(run_id))
            float_acc = run.metrics.get("test_accuracy")
        self.chart.set_rows(self.rows, float_acc)
        self.tree_run = any(r.method in TREE_METHODS for r in self.rows)
        if self.tree_run:
            self.note.setText("A tree model needs no compression: its variant was stored when it was trained. "
                              "Flash = its tables + Cortex-M4 code; RAM = the stack of one inference.")
            self._update_enabled()
            return
        self.note.setText("Flash = weights + the model's Cortex-M4 code; RAM = tensor arena. Latency is "
                          "measured on the Deploy step; until then MACs estimate the cost."
                          if self.rows else "No variants of this run yet: choose methods and press Compress.")
        self._update_enabled()

    def _update_enabled(self) -> None:
        busy = self.worker is not None
        ready = self.context.project is not None and self.run_combo.count() > 0
        self.compress_button.setEnabled(not busy and ready and bool(self.selected_methods())
                                        and not self.tree_run)
        self.cancel_button.setEnabled(busy)
        for w in (self.run_combo, self.sparsity, self.student, self.epochs, *self.method_checks.values()):
            w.setEnabled(not busy)
        self.sparsity.setEnabled(not busy and self.method_checks["prune"].isChecked())
        self.student.setEnabled(not busy and self.method_checks["distill"].isChecked())
        self.use_button.setEnabled(self.selected_variant() is not None and self.context.project is not None)

    def selected_variant(self) -> int | None:
        items = self.table.selectedItems()
        return int(items[0].data(Qt.ItemDataRole.UserRole)) if items else None

    def select_variant(self, variant_id: int) -> None:
        for i, r in enumerate(self.rows):
            if r.variant_id == variant_id:
                self.table.selectRow(i)
                return

    def _selection_changed(self) -> None:
        self._update_enabled()

    # -- running ---------------------------------------------------------------------------------

    def start_compress(self) -> None:
        project = self.context.project
        run_id = self.run_combo.currentData()
        methods = self.selected_methods()
        if project is None or run_id is None or not methods or self.worker is not None:
            return
        try:
            options = self.options()
        except UserError as exc:
            self.status.setText(f"Failed: {exc}")
            return
        self.start_job(compress_run, project, int(run_id), methods, options)
        self._update_enabled()

    def job_ended(self) -> None:
        self._update_enabled()

    def job_done(self, made: list[int]) -> None:
        self.context.variants_changed.emit()
        if made:
            self.select_variant(made[-1])
        self.status.setText(f"Stored {len(made)} variant{'s' if len(made) != 1 else ''}: "
                            + ", ".join(f"#{v}" for v in made))
        self.context.status.emit("Compression finished")
        self.compress_finished.emit(list(made))

    def job_failed(self, message: str) -> None:
        self.context.variants_changed.emit()  # variants finished before the failure are stored
        self.status.setText(f"Failed: {message}")

    def job_cancelled(self) -> None:
        self.refresh_variants()
        self.status.setText("Cancelled; the variant in progress was not stored.")

    # -- choosing --------------------------------------------------------------------------------

    def use_selected_for_deploy(self) -> None:
        from tinystudio.app.variants import mark_for_deploy

        project = self.context.project
        variant_id = self.selected_variant()
        if project is None or variant_id is None:
            return
        try:
            mark_for_deploy(project, variant_id)
        except UserError as exc:
            self.status.setText(f"Failed: {exc}")
            return
        self.context.variants_changed.emit()
        self.select_variant(variant_id)
        self.status.setText(f"Variant #{variant_id} will be preselected on the Deploy step.")
        self.context.status.emit(f"Variant #{variant_id} marked for deploy")
        self.deploy_variant_changed.emit(variant_id)
