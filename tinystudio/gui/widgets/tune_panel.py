"""The Tune panel of the Train step: board, trials and budget, Start / Cancel with progress, the Pareto front
as a table and a chart (accuracy against flash or latency), and "Train selected" to train a chosen point as
a new run whose variant is marked for deploy. The search itself is ``app.tune``; this widget only shows it."""

from __future__ import annotations

from typing import Any

import pyqtgraph as pg
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QBoxLayout,
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from tinystudio.app import tune as tune_app
from tinystudio.app.boards import board_choices
from tinystudio.app.formatting import MISSING, fmt_bytes, fmt_percent
from tinystudio.core.errors import UserError
from tinystudio.gui.context import AppContext
from tinystudio.gui.job_page import JobPage
from tinystudio.gui.theme import current, on_change
from tinystudio.gui.widgets.flow_label import FlowLabel
from tinystudio.gui.widgets.panes import column
from tinystudio.gui.widgets.tables import make_read_only
from tinystudio.gui.widgets.tune_chart_key import TuneChartKey
from tinystudio.gui.widgets.tune_table import COLUMNS, HEADER_TIPS, FittedTable

INTRO = "Search windows, DSP blocks, model families and compression for the most accurate models that fit the board."
NOTHING_MEASURED = ("Cancelled before any trial finished: no point was measured, so no search was stored and no "
                    "model was trained.")
CHART_MIN_HEIGHT = 128
"""px: the chart keeps its axes, its whole "accuracy (%)" title and about 80 px of points. With the controls
and three rows of the table it makes the tab about 490 px tall: all in view in a 1024x640 window."""
SPACING = 4
"""px between the tab's rows (the style's 6 left the chart short of its title's height at 1024x640)."""
BESIDE_MIN_WIDTH = 720
"""px: from this width of the tab the chart sits beside the table (at 1600x1000 the tab is about 870 px wide),
both as tall as the tab allows; a narrower tab (about 430 px at 1024x640) stacks them."""
CHART_MIN_WIDTH = 300
"""px: the chart beside the table keeps its axes and room between its points."""
PROGRESS_MIN_WIDTH = 72
"""px: the progress bar fits beside the three buttons in a 1024x640 window's tab (its own row took the
chart's room)."""
HINT_HEIGHT = 330
"""px: the most height the tab's scrolled part asks for (it scrolls to the rest)."""
EMPTY_X = {"flash": (0.0, 64.0), "latency": (0.0, 10.0)}
"""The empty chart's x range per axis choice (KB, ms): a scale in the axis's unit, not 0..1."""


class TunePanel(JobPage):
    """See module docstring. ``result`` is the search shown; ``picked`` the last point trained."""

    SHUTDOWN_WAIT_MS = 60000  # a trial in progress finishes its epoch first

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        # a trial line holds a model's settings joined by commas: one long word that a plain wrapped label
        # would ask the results column, and so the window, to be wide enough for
        self.status = FlowLabel()
        self._on_result: Any = None
        self.result: tune_app.TuneResult | None = None
        self.base_impulse: dict[str, Any] | None = None
        self.picked: tune_app.Picked | None = None
        self.board = QComboBox()
        self.board.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.board.setMinimumContentsLength(10)  # the full name is in the tooltip
        self.board.currentTextChanged.connect(self.board.setToolTip)
        for choice in board_choices(attached=set()):
            self.board.addItem(choice.title, choice.name)
        self.trials = _spin(1, 10_000, 20)
        self.epochs = _spin(1, 100_000, 30)
        self.flash_kb = _spin(0, 1 << 20, 0, "board's", " KB")
        self.ram_kb = _spin(0, 1 << 20, 0, "board's", " KB")
        self.latency = QDoubleSpinBox()
        self.latency.setRange(0.0, 1e6)
        self.latency.setDecimals(2)
        self.latency.setSpecialValueText("no limit")
        self.latency.setSuffix(" ms")
        self.families = {name: QCheckBox(name) for name in tune_app.FAMILY_NAMES}
        for name, box in self.families.items():
            box.setChecked(name in tune_app.DEFAULT_FAMILIES)
        self.start_button = QPushButton("Start search")
        self.train_button = QPushButton("Train selected")
        self.train_button.setEnabled(False)
        self.train_button.setToolTip("Train the chosen point as a new run and mark its variant for deploy")
        self.status.setText(INTRO)
        self._job = ""  # "search" or "train": what a Cancel stopped
        self._searches_before = 0  # stored searches when the running one started
        self.table: QTableWidget = FittedTable(0, len(COLUMNS))
        make_read_only(self.table, COLUMNS)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)  # the columns fit instead
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for c, tip in enumerate(HEADER_TIPS):
            header_item = self.table.horizontalHeaderItem(c)
            if header_item is not None:
                header_item.setToolTip(tip)
        self.x_axis = QComboBox()
        self.x_axis.addItem("flash (KB)", "flash")
        self.x_axis.addItem("latency (ms)", "latency")
        self.chart = pg.PlotWidget()
        self.key = TuneChartKey()  # beside the axis choice above the chart, never over the points it names
        on_change(self, self._draw)
        self.chart.setLabel("left", "accuracy", units="%")
        for side in ("left", "bottom"):  # flash in KB as the table gives it, not kB of 1000 bytes
            self.chart.getAxis(side).enableAutoSIPrefix(False)
        self.chart.setMinimumHeight(CHART_MIN_HEIGHT)
        # the front's first rows stay readable over the chart (never a sideways scroll bar to leave room for)
        self.table.setMinimumHeight(self.table.horizontalHeader().sizeHint().height() + 2 * self.table.frameWidth()
                                    + 3 * self.table.verticalHeader().defaultSectionSize())
        self.points: list[tuple[float, float]] = []  # (x, accuracy %) of the front as drawn

        form = QGridLayout()
        fields = [("Board", self.board), ("Trials", self.trials), ("Epochs", self.epochs),
                  ("Flash", self.flash_kb), ("RAM", self.ram_kb), ("Latency", self.latency)]
        for i, (label, widget) in enumerate(fields):  # two per row: the tab fits a laptop screen's column
            form.addWidget(QLabel(label), i // 2, 2 * (i % 2))
            form.addWidget(widget, i // 2, 2 * (i % 2) + 1)
        form.setColumnStretch(1, 1)
        form.setColumnStretch(3, 1)
        form.setVerticalSpacing(SPACING)
        fams = QHBoxLayout()
        fams.addWidget(QLabel("Families"))
        for box in self.families.values():
            fams.addWidget(box)
        fams.addStretch(1)
        buttons = QHBoxLayout()
        for w in (self.start_button, self.cancel_button, self.train_button):
            buttons.addWidget(w)
        self.progress.setMinimumWidth(PROGRESS_MIN_WIDTH)
        buttons.addWidget(self.progress, 1)
        axis_row = QWidget()
        axis_layout = QHBoxLayout(axis_row)
        axis_layout.setContentsMargins(0, 0, 0, 0)
        axis_layout.addWidget(self.x_axis)
        axis_layout.addWidget(self.key, 1)
        # the table over the chart in a narrow tab (the table has the tab's whole width for its figures), the
        # chart beside it in a wide one (``arrange``)
        self.chart_box = column(axis_row, self.chart)
        self.results_layout = QBoxLayout(QBoxLayout.Direction.TopToBottom)
        self.results_layout.addWidget(self.table)
        self.results_layout.addWidget(self.chart_box, 1)
        inner = QWidget()
        layout = QVBoxLayout(inner)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(SPACING)
        layout.addLayout(form)
        layout.addLayout(fams)
        layout.addLayout(buttons)
        layout.addLayout(self.results_layout, 1)
        self.inner = inner
        scroll = _Scroll()  # the tab shares the runs table's room: it must not grow the page
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(inner)
        scroll.setMinimumSize(36, 36)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        # the wrapped status line stays outside the scrolled part: a word-wrapped label inside would make the
        # scroll area size it at its preferred height, so the table and chart would scroll off in the tab
        outer.addWidget(self.status)
        outer.addWidget(scroll, 1)

        self.arrange()
        self.start_button.clicked.connect(self.start)
        self.train_button.clicked.connect(self.train_selected)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.x_axis.currentIndexChanged.connect(lambda _: self._draw())
        context.project_changed.connect(self.reload)
        context.project_closing.connect(self.shutdown)
        self.reload()

    # -- layout ----------------------------------------------------------------------------------

    def chart_beside_table(self) -> bool:
        return self.results_layout.direction() == QBoxLayout.Direction.LeftToRight

    def arrange(self) -> None:
        """The chart beside the table when the tab is at least ``BESIDE_MIN_WIDTH`` wide, else under it."""
        beside = self.width() >= BESIDE_MIN_WIDTH
        if beside == self.chart_beside_table():
            return
        direction = QBoxLayout.Direction
        self.results_layout.setDirection(direction.LeftToRight if beside else direction.TopToBottom)
        self.results_layout.setStretch(0, 1 if beside else 0)  # stacked, the table keeps its few rows
        self.chart_box.setMinimumWidth(CHART_MIN_WIDTH if beside else 0)

    def wanted_height(self) -> int:
        """The height that shows the status line, the controls, the table and the chart without a scroll."""
        status = self.status.heightForWidth(max(1, self.status.width()))
        return status + self.layout().spacing() + self.inner.minimumSizeHint().height()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self.arrange()

    # -- showing ---------------------------------------------------------------------------------

    def reload(self) -> None:
        """Show the project's last search, if any."""
        project = self.context.project
        self.setEnabled(project is not None)
        stored = tune_app.latest(project) if project is not None else None
        if stored is None:
            self.show_result(None)
        else:
            self.base_impulse = stored[1].get("base_impulse")
            self.show_result(stored[0])

    def show_result(self, result: tune_app.TuneResult | None) -> None:
        self.result = result
        front = result.rows if result is not None else []  # the Pareto front, and the reference off it
        self.table.setRowCount(len(front))
        for i, t in enumerate(front):
            cells = _cells(i + 1, t)
            tip = (f"Row {i + 1}: {t.describe()}\naccuracy {cells[1]}, int8 {cells[2]}, flash {cells[3]}, "
                   f"RAM {cells[4]}, latency {cells[5]} ms"
                   + ("" if result is None or t in result.front else
                      "\nOff the Pareto front: the search's reference, kept in the table because no point beats it "
                      "convincingly"))
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(tip)
                if 0 < c < 6:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(i, c, item)
        self.table.fit()
        if result is None:
            self.status.setText(INTRO)  # another project, or none searched yet: say what the tab is for
        if result is not None and front:
            row = result.recommended
            self.table.selectRow(row - 1)  # what the command line trains by default
            n = len(result.front)
            self.status.setText(f"{n} point{'' if n == 1 else 's'} on the Pareto front of {len(result.trials)} "
                                f"trials on {result.board} ({result.evaluation} accuracy). Row {row} is selected: "
                                f"{tune_app.recommendation(result)}. Choose a row and press Train selected.")
        elif result is not None:  # nothing to choose: say why, the words the command line uses
            try:
                tune_app.pick_point(result)
                why = "no point on the Pareto front"
            except UserError as exc:
                why = str(exc)
            self.status.setText(f"None of the {len(result.trials)} trials on {result.board} can be trained: {why}.")
        self._draw()
        self._selection_changed()

    def _draw(self) -> None:
        self.chart.clear()
        self.points = []
        key = self.x_axis.currentData()
        self.chart.setLabel("bottom", "flash" if key == "flash" else "latency", units="KB" if key == "flash" else "ms")
        theme = current()

        def xy(t: tune_app.TrialOutcome) -> tuple[float, float]:
            x = float(t.flash_bytes or 0) / 1024 if key == "flash" else float(t.latency_ms or 0.0)
            return x, 100.0 * float(t.accuracy or 0.0)

        result = self.result
        others = [xy(t) for t in result.trials if t.measured and t not in result.front] if result else []
        if others:
            self.chart.plot([p[0] for p in others], [p[1] for p in others], pen=None, symbol="x", symbolSize=7,
                            symbolPen=theme.grid)
        self.points = sorted(xy(t) for t in result.front) if result else []
        if self.points:
            self.chart.plot([p[0] for p in self.points], [p[1] for p in self.points], pen=pg.mkPen(theme.series[0]),
                            symbol="o", symbolBrush=theme.series[0])
        self.key.show_marks(theme.series[0] if self.points else None, theme.grid if others else None)
        if self.points or others:
            self.chart.enableAutoRange()  # this search's own ranges, never the last project's
        else:  # in the axes' units, and nothing kept from a search no longer shown
            self.chart.setXRange(*EMPTY_X[key], padding=0)
            self.chart.setYRange(0.0, 100.0, padding=0)

    def _selection_changed(self) -> None:
        self.train_button.setEnabled(self.worker is None and bool(self.table.selectionModel().selectedRows()))

    # -- jobs ------------------------------------------------------------------------------------

    def options(self) -> tune_app.TuneOptions:
        """The search the controls describe."""
        return tune_app.TuneOptions(
            target=str(self.board.currentData()), trials=self.trials.value(), epochs=self.epochs.value(),
            budget_flash=self.flash_kb.value() * 1024 or None, budget_ram=self.ram_kb.value() * 1024 or None,
            max_latency_ms=self.latency.value() or None,
            families=[n for n, box in self.families.items() if box.isChecked()] or None)

    def start(self) -> None:
        project = self.context.project
        if project is None or self.worker is not None:
            return
        self._job, self._searches_before = "search", len(project.runs(tune_app.RUN_KIND))
        self._run(tune_app.tune, project, self.options(), "Searching…", self._search_done)

    def train_selected(self) -> None:
        project = self.context.project
        rows = self.table.selectionModel().selectedRows()
        if project is None or self.result is None or not rows or self.worker is not None:
            return
        point = tune_app.pick_point(self.result, rows[0].row() + 1)
        self._job = "train"
        self._run(tune_app.train_point, project, point, self.base_impulse or {}, self.epochs.value(),
                  f"Training {point.describe()}…", self._train_done)

    def _run(self, fn: Any, *args: Any) -> None:
        *call, starting, done = args
        self._on_result = done
        self.start_button.setEnabled(False)
        self.train_button.setEnabled(False)
        self.start_job(fn, *call, starting=starting)

    def job_ended(self) -> None:
        self.start_button.setEnabled(True)
        self._selection_changed()

    def job_done(self, result: Any) -> None:
        self._on_result(result)

    def job_cancelled(self) -> None:
        """A cancelled search keeps the trials that finished (shown, as stored); before any, say so."""
        project = self.context.project
        if self._job != "search" or project is None:
            super().job_cancelled()
            return
        if len(project.runs(tune_app.RUN_KIND)) == self._searches_before:
            self.status.setText(NOTHING_MEASURED)
            return
        self.reload()
        done = len(self.result.trials) if self.result is not None else 0
        self.status.setText(f"Cancelled after {done} trial{'s' if done != 1 else ''} finished: they are stored "
                            f"as a cancelled search. {self.status.text()}")

    def _search_done(self, result: tune_app.TuneResult) -> None:
        stored = tune_app.latest(self.context.project) if self.context.project is not None else None
        self.base_impulse = stored[1].get("base_impulse") if stored else None
        self.show_result(result)
        self.context.runs_changed.emit()

    def _train_done(self, picked: tune_app.Picked) -> None:
        self.picked = picked
        self.status.setText(f"Run {picked.run_id} trained; variant {picked.variant_id} is marked for deploy.")
        self.context.runs_changed.emit()
        self.context.variants_changed.emit()


class _Scroll(QScrollArea):
    """The tab's scrolled part asks for no more height than the table and chart once did side by side: a
    taller wish would take the results column's room from the other tabs (their panes share it)."""

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        hint = super().sizeHint()
        return QSize(hint.width(), min(hint.height(), HINT_HEIGHT))


def _spin(low: int, high: int, value: int, special: str = "", suffix: str = "") -> QSpinBox:
    box = QSpinBox()
    box.setRange(low, high)
    box.setValue(value)
    if special:
        box.setSpecialValueText(special)
    if suffix:
        box.setSuffix(suffix)
    return box


def _cells(row: int, t: tune_app.TrialOutcome) -> tuple[str, ...]:
    """A front point's row as COLUMNS name it: accuracies in %, as the chart gives them."""
    p = t.params
    return (str(row), fmt_percent(t.accuracy), fmt_percent(t.int8_accuracy), fmt_bytes(t.flash_bytes),
            fmt_bytes(t.ram_bytes), MISSING if t.latency_ms is None else f"{t.latency_ms:.3g}",
            _family(p), str(p.get("dsp", MISSING)), t.describe())


def _family(params: dict[str, Any]) -> str:
    """The model column: the family, a forest of random splits named as such (the same family otherwise)."""
    family = str(params.get("family", MISSING))
    return "extra trees" if family == "rf" and (params.get("model_params") or {}).get("split") == "random" else family
