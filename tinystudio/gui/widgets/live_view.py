"""The Deploy page's "Live on board" view: the board classifies its own sensor stream; the signal it sent
scrolls with the board's predicted class as a coloured band under it and every class's score, with the
DSP and NN time of the latest window; Start/Stop, and "Save last N s as sample…" with a label.

The live run is one background job (app/live.py through gui/worker.py); a timer draws what it has received.
Stopping, switching project, model or board ends the run; what was received stays drawn until the next start.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from tinystudio.app.live import (
    HISTORY_S,
    LiveHistory,
    LivePlan,
    LiveSummary,
    LiveWindow,
    prepare_live,
    run_live,
    save_last,
    too_short,
)
from tinystudio.core.errors import UserError
from tinystudio.core.progress import CancelToken, Progress
from tinystudio.core.store import Project
from tinystudio.gui.context import AppContext
from tinystudio.gui.theme import current, on_change, set_tone
from tinystudio.gui.widgets.capture_plot import StripAxis, decimate
from tinystudio.gui.widgets.flow_label import FlowLabel
from tinystudio.gui.worker import Worker, run_in_thread

VIEW_S = 20.0  # seconds of signal drawn
REDRAW_MS = 100
IDLE = ("Start live classification: the board runs the chosen model on its own sensor, window after window.")


SIGNAL = "signal"
SIGNAL_MIN_PX = 72
"""The signal strip's least height: its title and a tick or two above and below zero."""
BAND_PX = 50
"""The class band's height: enough for its rotated "class" title."""
SCORE_MIN_PX = 56
"""The score strip's least height (without the time axis under it): its rotated "score" title, 0 and 1."""
TIME_AXIS_PX = 40
"""The time axis under the score strip, ticks and title."""
STRIP_GAPS_PX = 24
"""The strips' layout margins and the gaps between them."""


def _units(plan: LivePlan) -> list[str]:
    """One unit per axis ("" where the recordings declare none)."""
    return [str(u or "") for u in (list(plan.units) + [""] * len(plan.axis_names))[:len(plan.axis_names)]]


def _veil(background: str) -> QColor:
    """The plot's background, mostly opaque: behind a title drawn inside a strip."""
    colour = QColor(background)
    colour.setAlpha(210)
    return colour


def axis_title(name: str, unit: str) -> str:
    """An axis named with its unit, as the Data step's waveform names it: "accX [g]"."""
    return f"{name} [{unit}]" if unit else name


def signal_title(units: list[str]) -> str:
    """The signal strip's axis title: the sensor units of its curves, each once ("signal [g, dps]")."""
    shown = list(dict.fromkeys(u for u in units if u))
    return f"{SIGNAL} [{', '.join(shown)}]" if shown else SIGNAL


@dataclass
class _Live:
    """What the background job shares with the view once the image is built (read by the redraw timer)."""

    plan: LivePlan | None = None
    history: LiveHistory | None = None


def _live_job(project: Project, choice: tuple[str, int], target: str, shared: _Live, *,
              progress: Progress, cancel: CancelToken) -> LiveSummary:
    kind, ident = choice
    plan = prepare_live(project, target, variant_id=ident if kind == "variant" else None,
                        run_id=ident if kind == "run" else None, progress=progress, cancel=cancel)
    shared.history = LiveHistory(plan.rate_hz, len(plan.axis_names))
    shared.plan = plan
    progress(1.0, f"starting {plan.board.title}")
    return run_live(plan, shared.history, cancel=cancel)


class LiveView(QWidget):
    """Live classification on the board chosen on the Deploy page (see module docstring)."""

    running_changed = Signal(bool)

    def __init__(self, context: AppContext, model_combo: QComboBox, target_combo: QComboBox,
                 parent: QWidget | None = None) -> None:
        """``model_combo`` and ``target_combo``: the Deploy page's choices (item data: the model choice key
        and the board name), which a run uses and whose change stops it."""
        super().__init__(parent)
        self.context = context
        self._model_combo = model_combo
        self._target_combo = target_combo
        self.worker: Worker | None = None
        self._orphan: Worker | None = None  # a run whose project was closed while it ran
        self.shared = _Live()
        self.last_error = ""
        self.summary: LiveSummary | None = None
        self._drawn_windows = -1
        self._started_with: tuple[Any, str] | None = None

        self.start_button = QPushButton("Start")  # short: saving shares its row
        self.start_button.setToolTip("Build (or reuse) the image for the chosen board and model, start the board "
                                     "and let it classify its own sensor")
        self.stop_button = QPushButton("Stop")
        self.stop_button.setEnabled(False)
        self.save_seconds = QDoubleSpinBox()
        self.save_seconds.setRange(0.1, HISTORY_S)  # the run keeps no more than that (LiveHistory)
        self.save_seconds.setValue(5.0)
        self.save_seconds.setPrefix("last ")
        self.save_seconds.setSuffix(" s")
        self.save_seconds.setDecimals(1)
        self.save_seconds.setToolTip("How many of the last seconds of signal to save")
        self.save_button = QPushButton("Save as sample…")
        self.save_button.setToolTip("Save the last seconds the board sent as a new sample, with a label you give")
        self.save_button.setEnabled(False)
        buttons = QHBoxLayout()  # saving beside Start and Stop: a row of its own took the strips' height
        buttons.addWidget(self.start_button)
        buttons.addWidget(self.stop_button)
        buttons.addStretch(1)
        buttons.addWidget(self.save_seconds)
        buttons.addWidget(self.save_button)

        self.source_label = FlowLabel(IDLE)
        self.window_label = QLabel("")
        self.window_label.setWordWrap(True)
        self.legend_label = QLabel("")  # class colours of the band and the score curves
        self.legend_label.setWordWrap(True)
        self.status = FlowLabel()  # plain: it repeats labels as typed ('<' is no markup) and paths break
        for rich in (self.window_label, self.legend_label):
            rich.setTextFormat(Qt.TextFormat.RichText)

        self.view = pg.GraphicsLayoutWidget()
        self.view.setBackground(current().plot_background)
        # value axes that label only as many ticks as fit: on a laptop screen the strips are a few dozen px
        self.signal_plot = self.view.addPlot(row=0, col=0, axisItems={"left": StripAxis("left")})
        self.band_plot = self.view.addPlot(row=1, col=0)
        self.score_plot = self.view.addPlot(row=2, col=0, axisItems={"left": StripAxis("left")})
        self.view.ci.layout.setRowStretchFactor(0, 5)
        self.view.ci.layout.setRowStretchFactor(1, 1)
        self.view.ci.layout.setRowStretchFactor(2, 3)
        # on a laptop screen the texts above squeezed the strips to a few dozen pixels, where the rotated
        # "score" title ran into "class": each strip keeps the height its title and a few ticks need
        self.view.setMinimumHeight(SIGNAL_MIN_PX + BAND_PX + SCORE_MIN_PX + TIME_AXIS_PX + STRIP_GAPS_PX)
        for plot in (self.signal_plot, self.band_plot, self.score_plot):
            plot.setMenuEnabled(False)
            plot.setMouseEnabled(x=False, y=False)
            plot.hideButtons()
            plot.getAxis("left").setWidth(48)
        # the strip is a few dozen pixels high on a laptop: a rotated title ran into the strips below, so the
        # title with the sensor units sits inside the strip's top-left corner, as on the Device step
        self.signal_plot.getAxis("left").showLabel(False)
        self.signal_title = pg.TextItem(SIGNAL, color=current().plot_foreground, anchor=(0, 0),
                                        fill=_veil(current().plot_background))  # readable over the curves
        self.signal_title.setZValue(10)
        self.signal_title.setParentItem(self.signal_plot.vb)
        self.signal_title.setPos(2, -2)
        self.signal_plot.hideAxis("bottom")
        self.band_plot.setLabel("left", "class")
        self.band_plot.hideAxis("bottom")
        self.band_plot.getAxis("left").setTicks([[]])
        self.band_plot.setYRange(0, 1, padding=0)
        self.band_plot.setMaximumHeight(BAND_PX)
        self.band_plot.setMinimumHeight(BAND_PX)
        self.signal_plot.setMinimumHeight(SIGNAL_MIN_PX)
        self.score_plot.setMinimumHeight(SCORE_MIN_PX + TIME_AXIS_PX)
        self.score_plot.setLabel("left", "score")
        self.score_plot.setLabel("bottom", "time", units="s")
        self.score_plot.setYRange(0, 1, padding=0.05)
        self.band_plot.setXLink(self.score_plot)
        self.signal_plot.setXLink(self.score_plot)
        self._signal_curves: list[pg.PlotDataItem] = []
        self._score_curves: list[pg.PlotDataItem] = []
        self._band: pg.BarGraphItem | None = None
        on_change(self, self._retheme)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(buttons)
        layout.addWidget(self.source_label)
        layout.addWidget(self.window_label)
        layout.addWidget(self.legend_label)
        layout.addWidget(self.view, 1)
        # the status line the whole width (an error naming a long path takes a few lines, not a narrow column);
        # it also reports what was saved
        layout.addWidget(self.status)

        self.timer = QTimer(self)
        self.timer.setInterval(REDRAW_MS)
        self.timer.timeout.connect(self.redraw)
        self.start_button.clicked.connect(self.start)
        self.stop_button.clicked.connect(self.stop)
        self.save_button.clicked.connect(self.ask_save)
        self.context.project_closing.connect(self.shutdown)
        self.context.project_changed.connect(self.reset)

    # -- state -----------------------------------------------------------------------------------

    def _choice(self) -> tuple[str, int] | None:
        data = self._model_combo.currentData()
        return tuple(data) if data is not None else None  # type: ignore[return-value]

    def _target(self) -> str:
        return str(self._target_combo.currentData())

    @property
    def running(self) -> bool:
        return self.worker is not None

    def _set_running(self, running: bool) -> None:
        self.start_button.setEnabled(not running)
        self.stop_button.setEnabled(running)
        self.save_button.setEnabled(self.shared.history is not None)
        self.running_changed.emit(running)

    def reset(self) -> None:
        """Another project: stop, and forget the signal and the last run's summary of the old one."""
        self._orphan = self.worker  # its end, still on its way, says nothing about the new project
        self.shutdown()
        self._clear()
        self.status.setText("")

    def _clear(self) -> None:
        self.shared = _Live()
        self.summary = None
        self._drawn_windows = -1
        self.signal_plot.clear()
        self.score_plot.clear()
        self.band_plot.clear()
        self._signal_curves, self._score_curves, self._band = [], [], None  # their legend entries go with them
        self.source_label.setText(IDLE)
        self.window_label.setText("")
        self.legend_label.setText("")
        self.signal_title.setText(SIGNAL)  # no units until a board's stream says which
        self.save_button.setEnabled(False)

    # -- running ---------------------------------------------------------------------------------

    def start(self) -> None:
        project = self.context.project
        choice = self._choice()
        if project is None or choice is None or self.worker is not None:
            return
        self._clear()
        self._started_with = (choice, self._target())
        self.last_error = ""
        self.status.setText("building…")
        self.shared = _Live()
        self.worker = run_in_thread(_live_job, project, tuple(choice), self._target(), self.shared,
                                    on_progress=self._on_progress, on_done=self._on_done,
                                    on_error=self._on_error, on_cancelled=self._on_cancelled)
        self._set_running(True)
        self.timer.start()

    def choice_changed(self) -> None:
        """The Deploy page's model or board changed: a run of the old choice stops."""
        if self.worker is not None and (self._choice(), self._target()) != self._started_with:
            self.stop()

    def stop(self) -> None:
        """End the live run (the board stops; what was received stays drawn)."""
        if self.worker is not None:
            self.worker.cancel()
            self.status.setText("stopping…")

    def shutdown(self) -> None:
        """The project closes or the window: stop and wait for the board to be stopped."""
        if self.worker is not None:
            self.worker.cancel()
            self.worker.wait(30000)

    def _on_progress(self, fraction: float, message: str) -> None:
        if self.worker is None or self.worker is not self._orphan:
            self.status.setText(message)

    def _ended(self) -> bool:
        """The run is over; False when its project was closed meanwhile (nothing of it to show)."""
        ended, self.worker = self.worker, None
        self.timer.stop()
        if ended is not None and ended is self._orphan:
            self._orphan = None
            self._set_running(False)
            return False
        self.redraw()
        self._set_running(False)
        return True

    def _on_done(self, summary: LiveSummary) -> None:
        if not self._ended():
            return
        self.summary = summary
        agreement = "" if summary.agreement is None else f"; the host's model agrees on {summary.agreement:.1%}"
        short = too_short(self.shared.plan, summary) if self.shared.plan is not None else None
        self.status.setText(f"Stopped: {summary.windows} windows in {summary.seconds:.1f} s "
                            f"({summary.windows_per_s:.3g} windows/s){agreement}."
                            + (f" {short[0].upper()}{short[1:]}." if short else ""))

    def _on_error(self, message: str) -> None:
        if not self._ended():
            return
        self.last_error = message
        self.status.setText(f"Failed: {message}")

    def _on_cancelled(self) -> None:
        if not self._ended():
            return
        self.status.setText("Stopped before the board started.")

    # -- saving ----------------------------------------------------------------------------------

    def ask_save(self) -> None:
        plan, history = self.shared.plan, self.shared.history
        if plan is None or history is None:
            return
        windows = history.windows()
        suggested = windows[-1].label if windows else plan.labels[0]
        labels = list(plan.labels)
        label, ok = QInputDialog.getItem(
            self, "Save as sample", f"Label of the last {self.save_seconds.value():g} s (pick or type a new one):",
            labels, labels.index(suggested) if suggested in labels else 0, True)
        if ok:
            self.save(self.save_seconds.value(), label)

    def save(self, seconds: float, label: str) -> int | None:
        """Store the last ``seconds`` the board sent as a sample labelled ``label``; its id (None on failure)."""
        project, plan, history = self.context.project, self.shared.plan, self.shared.history
        if project is None or plan is None or history is None:
            return None
        try:
            sample_id = save_last(project, plan, history, seconds, label)
        except UserError as exc:
            self.status.setText(f"Not saved: {exc}")
            return None
        info = next(s for s in project.samples() if s.id == sample_id)
        where = f"{info.split} split" if info.split else "no split yet"
        self.status.setText(f"Saved the last {info.frames / plan.rate_hz:.3g} s as sample {sample_id} "
                            f"({label}; {where}, group {info.group}).")
        self.context.samples_changed.emit()
        self.context.status.emit(f"Saved live sample {sample_id}")
        return sample_id

    # -- drawing ---------------------------------------------------------------------------------

    def _retheme(self) -> None:
        self.view.setBackground(current().plot_background)
        self.signal_title.setColor(current().plot_foreground)
        self.signal_title.fill = pg.mkBrush(_veil(current().plot_background))
        self._signal_curves, self._score_curves, self._band = [], [], None
        self.signal_plot.clear()
        self.score_plot.clear()
        self.band_plot.clear()
        self._drawn_windows = -1
        self.redraw()

    def _prepare_curves(self, plan: LivePlan) -> None:
        theme = current()
        if not self._signal_curves:
            self.signal_title.setText(signal_title(plan.units))
            for i, name in enumerate(plan.axis_names):
                curve = self.signal_plot.plot(pen=pg.mkPen(theme.series_colour(i), width=1), name=name)
                curve.setSkipFiniteCheck(True)
                self._signal_curves.append(curve)
        if not self._score_curves:
            self.legend_label.setText("Classes (band and scores): " + " ".join(
                f'<span style="color:{theme.series_colour(i)}">■</span>&nbsp;{escape(name, quote=False)}'
                for i, name in enumerate(plan.labels)) + " &nbsp;·&nbsp; Signal: " + " ".join(
                f'<span style="color:{theme.series_colour(i)}">━</span>&nbsp;'
                f'{escape(axis_title(name, unit), quote=False)}'
                for i, (name, unit) in enumerate(zip(plan.axis_names, _units(plan), strict=True))))
            for i, name in enumerate(plan.labels):
                self._score_curves.append(self.score_plot.plot(
                    pen=pg.mkPen(theme.series_colour(i), width=2), symbol="o", symbolSize=4,
                    symbolBrush=theme.series_colour(i), symbolPen=None, name=name))

    def redraw(self) -> None:
        plan, history = self.shared.plan, self.shared.history
        if plan is None or history is None:
            return
        self._prepare_curves(plan)
        self.save_button.setEnabled(True)
        if not self.source_label.text().startswith("Board:"):
            self.source_label.setText(f"Board: {plan.board.title}, variant {plan.variant_id}; {plan.source}.")
            set_tone(self.source_label, "warning" if "mean nothing" in plan.source else None)
        frames, first = history.last(VIEW_S)
        now = (first + len(frames)) / plan.rate_hz
        start = max(0.0, now - VIEW_S)
        if len(frames):
            x, y = decimate(frames)
            t = (first + x) / plan.rate_hz
            for i, curve in enumerate(self._signal_curves):
                curve.setData(t, y[:, i])
        self.score_plot.setXRange(start, max(start + VIEW_S, now), padding=0)
        windows = [w for w in history.windows() if w.end_s >= start]
        if windows and windows[-1].index != self._drawn_windows:
            self._draw_windows(plan, windows)
            self._drawn_windows = windows[-1].index
            if self.worker is not None:
                all_windows = history.windows()
                checked = [w for w in all_windows if w.host_top is not None]
                agree = sum(w.host_top == w.top for w in checked)
                self.status.setText(f"Live: {windows[-1].index + 1} windows; the host's model agrees on "
                                    f"{agree} of the last {len(checked)}. Stop ends the board.")

    def _draw_windows(self, plan: LivePlan, windows: list[LiveWindow]) -> None:
        theme = current()
        ends = np.array([w.end_s for w in windows])
        hop = plan.hop_frames / plan.rate_hz
        brushes = [pg.mkBrush(theme.series_colour(w.top)) for w in windows]
        if self._band is not None:
            self.band_plot.removeItem(self._band)
        self._band = pg.BarGraphItem(x0=ends - hop, x1=ends, y0=0.0, y1=1.0, brushes=brushes, pen=None)
        self.band_plot.addItem(self._band)
        probs = np.array([w.probabilities for w in windows])
        for i, curve in enumerate(self._score_curves):
            if i < probs.shape[1]:
                curve.setData(ends, probs[:, i])
        last = windows[-1]
        self.window_label.setText(self.window_text(last))

    @staticmethod
    def window_text(w: LiveWindow) -> str:
        def ms(value: float | None) -> str:
            return "-" if value is None else f"{'≈' if w.ms_estimate else ''}{value:.3g} ms"

        text = (f"Window {w.index + 1} at {w.end_s:.1f} s: <b>{escape(w.label, quote=False)}</b> ({w.score:.2f}) · "
                f"DSP {ms(w.dsp_ms)} · NN {ms(w.nn_ms)}")
        if w.ms_estimate:
            text += " (emulated instructions at the board's clock: an estimate)"
        if w.truth:
            text += f" · playing a <i>{escape(w.truth, quote=False)}</i> recording"
        if w.host_top is not None and w.host_top != w.top:
            text += " · the host's model differs here"
        return text

    def band_colours(self) -> list[str]:
        """The colour of each drawn window's class in the band, oldest first (for tests and checks)."""
        if self._band is None:
            return []
        brushes: list[Any] = self._band.opts.get("brushes") or []
        return [b.color().name() for b in brushes]
