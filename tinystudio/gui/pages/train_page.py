"""The Impulse / Train step: design the impulse, preview the DSP output, train with live curves, compare
runs with their confusion matrices, and cross-validate the impulse (each person or session held out in turn)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from tinystudio.app import crossval as crossval_app
from tinystudio.app import train as train_app
from tinystudio.app.formatting import fmt_bytes, fmt_count, fmt_percent
from tinystudio.app.train import RUN_KIND, EpochStats, TrainResult
from tinystudio.app.trust import data_warnings
from tinystudio.core.errors import UserError
from tinystudio.core.impulse import ImpulseConfig
from tinystudio.core.models import is_classical
from tinystudio.gui.context import AppContext
from tinystudio.gui.job_page import JobPage
from tinystudio.gui.theme import set_tone, span
from tinystudio.gui.widgets.confusion_matrix import ConfusionMatrixWidget
from tinystudio.gui.widgets.crossval_view import CrossValView
from tinystudio.gui.widgets.flow_label import FlowLabel
from tinystudio.gui.widgets.form_scroll import FormScrollArea, compact_combo
from tinystudio.gui.widgets.panes import column, panes
from tinystudio.gui.widgets.train_curves import TrainCurvesWidget
from tinystudio.gui.widgets.train_dsp_preview import DspPreviewWidget
from tinystudio.gui.widgets.train_runs import RunHistoryWidget
from tinystudio.gui.widgets.train_settings import ImpulseForm
from tinystudio.gui.widgets.tune_panel import TunePanel

CURVES_MIN_HEIGHT = 170
"""px: the loss and accuracy plots keep their axis labels and a readable curve."""
PLOT_MIN_HEIGHT = 125
"""px: the DSP preview and the confusion matrix keep about 80 px of plot inside their axes. Without a floor
the panes above the curves gave way to whatever grew under them (a finished run's three-line result, a
position dragged or restored) and both plots ended about 30 px tall; now the results column scrolls instead.
Low enough that a reopened project at 1024x640 shows them and the whole curves without a scroll."""
OPEN_TAB_MIN_HEIGHT = 440
"""px: the Cross-validation and Tune tabs, once chosen, keep room for their table and chart (on a short
screen the results column scrolls to them rather than squeezing them under the tab bar)."""

class _EpochBridge(QObject):
    """Carries per-epoch stats from the training thread to the GUI thread."""

    epoch = Signal(object)


def _no_top_bottom_margin(layout: QVBoxLayout) -> None:
    """Panes of the results column sit between splitter handles: their layouts' top and bottom margins only
    pushed the curves below the fold of a 1024x640 screen (by about 10 px once a run was shown)."""
    m = layout.contentsMargins()
    layout.setContentsMargins(m.left(), 0, m.right(), 0)


class TrainPage(JobPage):
    """Impulse design and training (see module docstring)."""

    training_finished = Signal(int)  # run id

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self._bridge = _EpochBridge(self)
        self._bridge.epoch.connect(self._on_epoch)

        self.form = ImpulseForm()
        self.suggest_button = QPushButton("Suggest from data")
        self.suggest_button.setToolTip("Choose window, DSP block and model from the samples' rate, axes and length")
        self.size_label = QLabel()
        self.size_label.setWordWrap(True)
        self.trust_label = QLabel("")
        self.trust_label.setWordWrap(True)
        set_tone(self.trust_label, "warning")
        self.trust_label.setToolTip("Why the next run's accuracy would not be trustworthy")
        # warnings, sizes and the form scroll together: none of them can grow the page
        settings = column(self.trust_label, self.size_label, self.form)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.addWidget(self.suggest_button)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(FormScrollArea(settings), 1)

        self.sample_combo = compact_combo(QComboBox(), 8)
        self.preview = DspPreviewWidget()
        self.preview.plot.setMinimumHeight(PLOT_MIN_HEIGHT)
        self.train_button = QPushButton("Train")
        self.crossval_button = QPushButton("Cross-validate")
        self.crossval_button.setToolTip("Train once per fold, each time holding out whole groups (people, "
                                        "sessions; a recording without a group is its own), and report the "
                                        "mean and spread of the held-out accuracy")
        self.crossval = CrossValView()
        self.curves = TrainCurvesWidget()
        for plot in self.curves.plots.values():  # the key line above them comes on top
            plot.setMinimumHeight(CURVES_MIN_HEIGHT)
        self.split_combo = QComboBox()
        self.split_combo.addItems(["test", "validation"])
        self.matrix = ConfusionMatrixWidget(plot_floor=PLOT_MIN_HEIGHT)
        self.runs = RunHistoryWidget()

        preview_box = QWidget()
        pl = QVBoxLayout(preview_box)
        _no_top_bottom_margin(pl)
        row = QHBoxLayout()
        row.addWidget(QLabel("Features of"))
        row.addWidget(self.sample_combo, 1)
        pl.addLayout(row)
        pl.addWidget(self.preview, 1)

        train_box = QWidget()
        tl = QVBoxLayout(train_box)
        _no_top_bottom_margin(tl)
        row = QHBoxLayout()
        row.addWidget(self.train_button)
        row.addWidget(self.crossval_button)
        row.addWidget(self.cancel_button)
        row.addWidget(self.progress, 1)
        tl.addLayout(row)
        # every line of the status (a finished run's result takes two) gets its room from the pane, never
        # from the curves under it; an empty status line is as tall as one with text, so nothing jumps
        self.status = FlowLabel(text_format=Qt.TextFormat.AutoText)  # a long path in an error breaks
        tl.addWidget(self.status)
        tl.addWidget(self.curves, 1)

        matrix_box = QWidget()
        ml = QVBoxLayout(matrix_box)
        _no_top_bottom_margin(ml)
        row = QHBoxLayout()
        row.addWidget(QLabel("Matrix on"))
        row.addWidget(self.split_combo)
        row.addStretch(1)
        ml.addLayout(row)
        ml.addWidget(self.matrix, 1)

        top = panes(Qt.Orientation.Horizontal, preview_box, matrix_box, name="preview_matrix")
        self.results_tabs = QTabWidget()
        self.runs.setMinimumHeight(40)  # with the tab bar, as much room as the table alone took before
        self.results_tabs.addTab(self.runs, "Runs")
        self.results_tabs.addTab(self.crossval, "Cross-validation")
        self.tune = TunePanel(context)
        self.tune.installEventFilter(self)  # its status line's lines change the height it wants
        self.results_tabs.addTab(self.tune, "Tune")
        right = panes(Qt.Orientation.Vertical, top, train_box, self.results_tabs, name="results_column")
        self._right = right
        self._shares_before_tab: list[int] | None = None  # the column's panes before another tab opened
        self.results_tabs.currentChanged.connect(self._results_tab_changed)
        layout = QHBoxLayout(self)
        # on a short screen the results column scrolls rather than squashing the curves to a few pixels
        self._column = FormScrollArea(right)
        layout.addWidget(panes(Qt.Orientation.Horizontal, left, self._column, name="settings_results", grow=1))

        self._shown_run: Any = None
        self._job_kind = "train"
        self.form.changed.connect(self._settings_changed)
        self.suggest_button.clicked.connect(self.suggest)
        self.sample_combo.currentIndexChanged.connect(lambda _: self.update_preview())
        self.train_button.clicked.connect(self.start_training)
        self.crossval_button.clicked.connect(self.start_crossval)
        self.runs.run_selected.connect(self.show_run)
        self.split_combo.currentIndexChanged.connect(lambda _: self._show_matrix())
        context.project_changed.connect(self.reload)
        context.samples_changed.connect(self._samples_changed)
        context.runs_changed.connect(self.refresh_runs)
        self.reload()

    # -- project ---------------------------------------------------------------------------------

    def reload(self) -> None:
        """Load the project's last impulse (or a suggestion), samples and runs."""
        project = self.context.project
        if self.worker is not None:  # the project it trains on was just closed
            self.worker.cancel()
        self._shown_run = None
        self.setEnabled(project is not None)
        self.curves.clear()
        self.matrix.clear()
        self.crossval.clear()
        if project is None:
            self.sample_combo.clear()
            self.runs.set_runs([])
            return
        stored = crossval_app.latest(project)
        if stored is not None:
            self.crossval.set_result(stored)
        saved = train_app.saved_impulse(project)
        self.form.set_impulse(saved or self._suggestion())
        self._auto_impulse = self.form.impulse().to_dict() if not saved else None
        self._samples_changed()
        self.refresh_runs()
        runs = project.runs(kind=RUN_KIND)
        if runs:  # reopening a project shows where the user left off: the latest run
            self.runs.select_run(runs[-1].id)
            self.show_run(runs[-1].id)

    def _suggestion(self) -> ImpulseConfig:
        assert self.context.project is not None
        return train_app.default_impulse(self.context.project)

    def _follow_data(self) -> None:
        """While the user has neither trained nor edited the settings, defaults follow the data."""
        project = self.context.project
        if project is None or train_app.saved_impulse(project) is not None:
            return
        try:
            untouched = self.form.impulse().to_dict() == getattr(self, "_auto_impulse", None)
        except UserError:
            return
        if untouched:  # remember what the form shows, so a later change by the user is noticed
            self.form.set_impulse(self._suggestion())
            self._auto_impulse = self.form.impulse().to_dict()

    def _samples_changed(self) -> None:
        self._follow_data()
        project = self.context.project
        warnings = data_warnings(project) if project is not None else []
        self.trust_label.setText("\n".join(f"⚠ {w}" for w in warnings))
        self.trust_label.setVisible(bool(warnings))
        current = self.sample_combo.currentData()
        self.sample_combo.blockSignals(True)
        self.sample_combo.clear()
        if project is not None:
            for s in project.samples():
                if s.status == "complete":
                    self.sample_combo.addItem(f"{s.id}: {s.name or 'sample'} ({s.label or 'unlabelled'})", s.id)
        idx = self.sample_combo.findData(current)
        self.sample_combo.setCurrentIndex(idx if idx >= 0 else 0)
        self.sample_combo.blockSignals(False)
        self._settings_changed()

    def suggest(self) -> None:
        if self.context.project is not None:
            self.form.set_impulse(self._suggestion())

    # -- sizes and preview -----------------------------------------------------------------------

    def _settings_changed(self) -> None:
        self._update_size()
        self.update_preview()

    def _update_size(self) -> None:
        project = self.context.project
        try:
            size = train_app.impulse_size(project, self.form.impulse()) if project is not None else None
        except UserError as exc:
            self.size_label.setText(span(str(exc), "error"))
            self.train_button.setEnabled(False)
            self.crossval_button.setEnabled(False)
            return
        if size is None:
            self.size_label.setText("Add samples on the Data page first.")
            return
        self.train_button.setEnabled(self.worker is None)
        self.crossval_button.setEnabled(self.worker is None)
        out = "x".join(map(str, size.dsp_output))
        if size.classical:
            self.size_label.setText(
                f"Window: {size.frames} frames x {size.shape.axes} axes at {size.shape.rate_hz:g} Hz<br>"
                f"DSP output: {out}, about {fmt_count(size.dsp_ops)} operations per window<br>"
                "Model: <b>tree ensemble</b> on the DSP features; its flash and RAM are measured when it is "
                "trained (Compress step)")
            return
        self.size_label.setText(
            f"Window: {size.frames} frames x {size.shape.axes} axes at {size.shape.rate_hz:g} Hz<br>"
            f"DSP output: {out}, about {fmt_count(size.dsp_ops)} operations per window<br>"
            f"Model: <b>{fmt_count(size.params)}</b> parameters, <b>{fmt_count(size.macs)}</b> MACs per inference"
            f" (about {fmt_bytes(size.params * 4)} float, {fmt_bytes(size.params)} int8)"
        )

    def update_preview(self) -> None:
        project = self.context.project
        sid = self.sample_combo.currentData()
        if project is None or sid is None:
            self.preview.show_message("Select a sample to preview its features")
            return
        try:
            self.preview.show_features(*train_app.preview_features(project, int(sid), self.form.impulse()))
        except UserError as exc:
            self.preview.show_message(str(exc))

    # -- training --------------------------------------------------------------------------------

    def _ready_impulse(self, kind: str) -> ImpulseConfig | None:
        """The form's impulse when a ``kind`` job may start now (buttons disabled), else None (a bad
        setting is shown as the failure)."""
        if self.context.project is None or self.worker is not None:
            return None
        try:
            impulse = self.form.impulse().validate()
        except UserError as exc:
            self._on_error(str(exc))
            return None
        self.train_button.setEnabled(False)
        self.crossval_button.setEnabled(False)
        self._job_kind = kind
        return impulse

    def start_training(self) -> None:
        impulse = self._ready_impulse("train")
        if impulse is None:
            return
        self.curves.clear()
        self.matrix.clear("Training…")
        self.start_job(train_app.train, self.context.project, impulse, on_epoch=self._bridge.epoch.emit, int8=True,
                       starting="Starting…")
        self.bring_into_view(self.curves)  # after the status line took its text: it may change the height

    def start_crossval(self) -> None:
        """Cross-validate the impulse the form shows; the result is stored and shown in its tab."""
        impulse = self._ready_impulse("crossval")
        if impulse is None:
            return
        self.results_tabs.setCurrentWidget(self.crossval)
        self.crossval.clear("Cross-validating…")
        self.start_job(crossval_app.cross_validate, self.context.project, impulse, starting="Cross-validating…")
        self.bring_into_view(self.results_tabs)

    def _on_epoch(self, stats: EpochStats) -> None:
        self.curves.add_epoch({"loss": stats.loss, "accuracy": stats.accuracy,
                               "val_loss": stats.val_loss, "val_accuracy": stats.val_accuracy})

    def job_ended(self) -> None:
        self._update_size()

    def job_done(self, result: TrainResult | crossval_app.CrossValResult) -> None:
        if isinstance(result, crossval_app.CrossValResult):
            self.crossval.set_result(result)
            self.status.setText(_crossval_done(result))
            self.context.runs_changed.emit()
            return
        test = result.metrics.get("test_accuracy")
        val = result.metrics.get("validation_accuracy")
        parts = [f"Run {result.run_id} done"]
        if val is not None:
            parts.append(f"validation accuracy {fmt_percent(val)}")
        if test is not None:
            parts.append(f"test accuracy {fmt_percent(test)}")
        self.status.setText("<br>".join([", ".join(parts), *train_app.int8_lines(result, percent=True)]))
        self.context.runs_changed.emit()  # refreshes this page's run list and the other steps' run choices
        self.runs.select_run(result.run_id)
        self.show_run(result.run_id)
        self.bring_into_view(self.curves)  # the longer status line must not push the finished curves away
        self.training_finished.emit(result.run_id)

    def job_failed(self, message: str) -> None:
        if self._crossval_shown():
            self.status.setText(span(f"Cross-validation failed: {message}", "error"))
            self._show_stored_crossval()
            return
        self.status.setText(span(f"Training failed: {message}", "error"))
        self._show_last_completed("No results")

    def job_cancelled(self) -> None:
        if self._crossval_shown():
            self.status.setText("Cross-validation cancelled; nothing was stored.")
            self._show_stored_crossval()
            return
        shown = self._show_last_completed("Cancelled")
        self.status.setText("Training cancelled; no run was stored."
                            + (f" Showing run {shown}, the last completed one." if shown is not None else ""))

    def bring_into_view(self, widget: QWidget) -> None:
        """Scroll the results column so ``widget`` is wholly in view (its top first when it is taller), once
        the layout has taken in what just changed: on a short screen what the current action shows (the
        curves while training, the table while cross-validating) must not sit below the fold."""
        def scroll(again: bool) -> None:
            QApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)  # sizes as they will be drawn
            self._column.ensureWidgetVisible(widget, 0, 0)
            if again:  # a change of size in one pane lays out the others a turn later
                QTimer.singleShot(0, self, lambda: scroll(False))

        QTimer.singleShot(0, self, lambda: scroll(True))

    def _results_tab_changed(self, _index: int) -> None:
        """Opening the Cross-validation or Tune tab gives it room for its table and chart: at least 45 % of
        the column (from the panes above) and never less than ``OPEN_TAB_MIN_HEIGHT``, scrolled into view.
        The Tune tab instead gets the height that shows its controls, table and chart together, as far as
        the column's view allows (the whole view on a 1024x640 screen), so neither needs a scroll. Back on
        the Runs tab, the panes get back the shares they had (the runs table kept the room given to the
        other tab, and the plots above it stayed short)."""
        opened = self.results_tabs.currentWidget() is not self.runs
        self._fit_open_tab()
        if not opened:
            if self._shares_before_tab is not None:  # once the column has given up the tab's least height
                QTimer.singleShot(0, self, lambda sizes=self._shares_before_tab: self._right.setSizes(sizes))
                self._shares_before_tab = None
            return
        if self._shares_before_tab is None:  # opened from the Runs tab
            self._shares_before_tab = self._right.sizes()
        self.bring_into_view(self.results_tabs)
        sizes = self._right.sizes()
        total = sum(sizes)
        want = int(0.45 * total)
        if total <= 0 or sizes[-1] >= want:
            return
        take = want - sizes[-1]
        above = sizes[:-1]
        spare = sum(above) or 1
        self._right.setSizes([max(0, a - take * a // spare) for a in above] + [want])

    def _fit_open_tab(self) -> None:
        """The results tabs' least height for the tab shown (see ``_results_tab_changed``)."""
        shown = self.results_tabs.currentWidget()
        least = 0 if shown is self.runs else OPEN_TAB_MIN_HEIGHT
        if shown is self.tune:
            whole = self.tune.wanted_height() + self.results_tabs.tabBar().sizeHint().height() + 4  # + frame
            least = min(whole, self._column.viewport().height())
        if self.results_tabs.minimumHeight() != least:
            self.results_tabs.setMinimumHeight(least)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        """Another window size gives the open Tune tab another share: what the column's view now allows
        (once the tab has laid out its table and chart for the new width)."""
        super().resizeEvent(event)
        if self.results_tabs.currentWidget() is self.tune:
            QTimer.singleShot(0, self, self._fit_open_tab)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if watched is self.tune and event.type() == QEvent.Type.LayoutRequest and self.tune.isVisible():
            QTimer.singleShot(0, self, self._fit_open_tab)  # a longer status line: the tab's height follows
        return super().eventFilter(watched, event)

    def _crossval_shown(self) -> bool:
        """Whether the job that just ended was a cross-validation (not a training)."""
        return self._job_kind == "crossval"

    def _show_stored_crossval(self) -> None:
        stored = crossval_app.latest(self.context.project) if self.context.project is not None else None
        if stored is not None:
            self.crossval.set_result(stored)
        else:
            self.crossval.clear()

    def _show_last_completed(self, message: str) -> int | None:
        """After a run that stored nothing, show again the run that was on screen before (or the latest);
        the run shown, None when the project has none."""
        project = self.context.project
        runs = project.runs(kind=RUN_KIND) if project is not None else []
        ids = [r.id for r in runs]
        shown = self._shown_run.id if self._shown_run is not None and self._shown_run.id in ids else None
        run_id = shown if shown is not None else (ids[-1] if ids else None)
        if run_id is None:
            self.curves.clear()
            self.matrix.clear(message)
            return None
        self.runs.select_run(run_id)
        self.show_run(run_id)
        return run_id

    # -- runs ------------------------------------------------------------------------------------

    def refresh_runs(self) -> None:
        project = self.context.project
        self.runs.set_runs(project.runs(kind=RUN_KIND) if project else [])

    def show_run(self, run_id: int) -> None:
        project = self.context.project
        if project is None:
            return
        self._shown_run = project.run(run_id)
        curves = self._shown_run.curves
        preset = str(((self._shown_run.config.get("impulse") or {}).get("model") or {}).get("preset", ""))
        note = ""
        if not any(curves.get(key) for key in ("loss", "accuracy")):
            note = ("A tree model is fitted in one pass: no loss or accuracy per epoch" if is_classical(preset)
                    else f"Run {run_id} stored no curves")
        self.curves.set_curves(curves, note)
        self._show_matrix()

    def _show_matrix(self) -> None:
        run = self._shown_run
        if run is None:
            return
        split = self.split_combo.currentText()
        ev = run.metrics.get(split)
        if not ev:
            self.matrix.clear(f"Run {run.id}: no {split} windows")
            return
        self.matrix.set_matrix(ev["labels"], ev["confusion"], f"Run {run.id}, {split}:")


def _crossval_done(result: crossval_app.CrossValResult) -> str:
    """The status line after a cross-validation: its mean and spread in % as the tab shows them (the last
    line of the CLI's table was a fraction, or a warning or the int8 figure instead of the accuracy)."""
    acc, int8 = result.summary(), result.summary(int8=True)
    if acc is None:
        return "Cross-validation done: no folds."
    return (f"Cross-validation done: {result.k} folds, accuracy {fmt_percent(acc['mean'])} ± "
            f"{fmt_percent(acc['std'])}" + (f", int8 {fmt_percent(int8['mean'])}" if int8 else "")
            + " (Cross-validation tab)")
