"""The Data step: browse samples, preview waveforms, relabel, move, delete, import, split and export."""

from __future__ import annotations

import functools
from collections.abc import Callable
from html import escape
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QPoint, Qt
from PySide6.QtGui import QColor, QDragEnterEvent, QDropEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QMenu,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from tinystudio.app import samples
from tinystudio.app.export import EXPORT_FORMATS, export
from tinystudio.app.formatting import fmt_span
from tinystudio.app.importing import FILE_FILTER, NONFINITE_HINT, import_files
from tinystudio.app.samples import SPLITS, UNASSIGNED
from tinystudio.app.split import DEFAULT_RATIOS_TEXT, SplitReport, label_split_counts, split
from tinystudio.core.errors import UserError
from tinystudio.core.store import SampleInfo
from tinystudio.gui.context import AppContext
from tinystudio.gui.file_dialogs import choose_folder, open_files
from tinystudio.gui.theme import current, on_change, span
from tinystudio.gui.widgets.flow_label import FlowLabel
from tinystudio.gui.widgets.form_scroll import compact_combo
from tinystudio.gui.widgets.live_view import axis_title
from tinystudio.gui.widgets.plot_key import PlotKey
from tinystudio.gui.widgets.wrap_label import WrapLabel
from tinystudio.gui.worker import Worker, run_in_thread

_COLUMNS = ("ID", "Name", "Label", "Split", "Group", "Length (s)", "Rate (Hz)", "Axes", "Source")
_ALL = "(all)"


LABEL_COLUMN = _COLUMNS.index("Label")
_FITTED = tuple(_COLUMNS.index(name) for name in ("ID", "Name", "Label", "Split", "Group"))
"""Columns as wide as their content (up to ``_FITTED_MAX``), so on a laptop screen the whole label and the
group (what the split keeps together) are in view, not hidden behind an empty name column."""
_FITTED_MAX = 180

_Action = TypeVar("_Action", bound=Callable[..., Any])


def value_title(units: list[str]) -> str:
    """The waveform's y-axis title: the recording's units, each once ("value [g]", "value [g, dps]"), or
    just "value" when it declares none (the key then names none either)."""
    shown = list(dict.fromkeys(u for u in units if u))
    return f"value [{', '.join(shown)}]" if shown else "value"


def _shown_on_page(action: _Action) -> _Action:
    """A user's action on the project whose UserError (a read-only file, a sample another program deleted) is a
    line on the page and a fresh listing, not an exception escaping a click into the crash dialog."""
    @functools.wraps(action)
    def run(self: DataPage, *args: Any, **kwargs: Any) -> Any:
        try:
            return action(self, *args, **kwargs)
        except UserError as exc:
            self.message.setText(span(escape(str(exc), quote=False), "error"))
            if self.context.project is not None and not self._recovering:
                self._recovering = True  # the listing's own redraw of the preview may fail alike
                try:
                    self.refresh()  # what the file holds now
                finally:
                    self._recovering = False
            return None

    return run  # type: ignore[return-value]



def _band_brush() -> QColor:
    """The shaded selection band: the theme's accent, faint enough to see the curves through it."""
    colour = QColor(current().accent)
    colour.setAlpha(50)
    return colour

class SampleTableModel(QAbstractTableModel):
    """Sample metadata as table rows; the Label cell is edited in place (``relabelled(id, label)``)."""

    def __init__(self, relabel: Callable[[list[int], str], None] | None = None) -> None:
        super().__init__()
        self.rows: list[SampleInfo] = []
        self._relabel = relabel

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        base = super().flags(index)
        if index.isValid() and index.column() == LABEL_COLUMN and self._relabel is not None:
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def setData(self, index: QModelIndex | QPersistentModelIndex, value: Any,  # noqa: N802 - Qt override
                role: int = Qt.ItemDataRole.EditRole) -> bool:
        label = str(value).strip()
        if role != Qt.ItemDataRole.EditRole or index.column() != LABEL_COLUMN or not label or self._relabel is None:
            return False
        sample = self.rows[index.row()]
        if label != (sample.label or ""):
            self._relabel([sample.id], label)  # the page re-reads the rows afterwards
        return True

    def set_rows(self, rows: list[SampleInfo]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return len(_COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:  # noqa: N802
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return _COLUMNS[section]
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0) -> Any:
        if not index.isValid():
            return None
        s = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            values = (
                s.id,
                s.name,
                s.label or "",
                (s.split or "—") + (" (manual)" if s.split_manual else ""),
                s.group or "",
                f"{s.duration_s:.2f}",
                f"{s.rate_hz:g}",
                s.axes,
                s.source,
            )
            return values[index.column()]
        if role == Qt.ItemDataRole.EditRole and index.column() == LABEL_COLUMN:
            return s.label or ""
        if role == Qt.ItemDataRole.ToolTipRole:
            if index.column() == LABEL_COLUMN:
                return f"{s.label or '(unlabelled)'}: double-click or F2 to change the label"
            return f"#{s.id} {s.name}".strip() if index.column() == 1 else None
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() in (0, 5, 6, 7):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class DataPage(QWidget):
    """Everything about the recordings in the project."""

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.worker: Worker | None = None
        self._recovering = False  # a failed action is re-reading the listing (see _shown_on_page)
        self.last_split: SplitReport | None = None
        self.setAcceptDrops(True)

        self.model = SampleTableModel(relabel=self.relabel)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setEditTriggers(QTableView.EditTrigger.DoubleClicked | QTableView.EditTrigger.EditKeyPressed)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._context_menu)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setSortingEnabled(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().setVisible(False)
        self.table.selectionModel().selectionChanged.connect(self._on_selection)

        self.plot = pg.PlotWidget()
        self.plot.showGrid(x=True, y=True, alpha=0.3)
        self.plot.setLabel("bottom", "time", units="s")
        self.plot.setLabel("left", value_title([]))
        self.key = PlotKey()  # above the plot, never over the curves; hidden while it names nothing
        self.preview_title = FlowLabel("Select a sample to see its waveform", text_format=Qt.TextFormat.AutoText)
        self.region = pg.LinearRegionItem(brush=_band_brush())
        self.region.setZValue(10)
        self.region.setVisible(False)
        self.plot.addItem(self.region)
        self.crop_button = QPushButton("Crop to selection")
        self.cut_button = QPushButton("Cut selection into a new sample…")
        self.crop_button.setToolTip("Drag the shaded band over the waveform to choose what to keep")
        self.cut_button.setToolTip("Copy the shaded band into a new sample with its own label")
        self.crop_button.clicked.connect(self.ask_crop)
        self.cut_button.clicked.connect(self.ask_cut)
        self.shown_id: int | None = None
        on_change(self, self._redraw_for_theme)

        self.label_filter = QComboBox()
        self.split_filter = QComboBox()
        self.split_filter.addItems([_ALL, *SPLITS, UNASSIGNED])
        self.label_filter.currentTextChanged.connect(self.refresh)
        self.split_filter.currentTextChanged.connect(self.refresh)

        self.import_button = QPushButton("Import files…")
        self.relabel_button = QPushButton("Relabel…")
        self.move_combo = QComboBox()
        self.move_combo.addItems(["Move to split…", *SPLITS])
        self.delete_button = QPushButton("Delete")
        self.split_button = QPushButton(f"Split {DEFAULT_RATIOS_TEXT.replace(',', '/')}")
        self.export_button = QPushButton("Export…")
        self.import_button.clicked.connect(self.choose_import)
        self.relabel_button.clicked.connect(self.ask_relabel)
        self.move_combo.activated.connect(self._on_move)
        self.delete_button.clicked.connect(lambda: self.delete_selected())  # not clicked's bool as `confirm`
        self.split_button.clicked.connect(lambda: self.run_split())
        self.export_button.clicked.connect(self.choose_export)
        QShortcut(QKeySequence.StandardKey.Delete, self.table, activated=self.delete_selected)

        self.progress = QProgressBar()
        self.progress.setVisible(False)
        self.drop_nonfinite_button = QPushButton("Import again without the rows holding nan or inf")
        self.drop_nonfinite_button.setVisible(False)  # offered only after an import refused such values
        self.drop_nonfinite_button.clicked.connect(self.import_dropping_nonfinite)
        self._last_import: list[str] = []
        self._last_axes: list[str] | None = None
        self.message = FlowLabel(text_format=Qt.TextFormat.AutoText)  # a long path in an error breaks
        self.summary = WrapLabel()  # a split warning is a long sentence: it wraps instead of widening the window
        self.summary.setTextFormat(Qt.TextFormat.RichText)

        tools = QHBoxLayout()
        for w in (self.import_button, self.relabel_button, self.move_combo, self.delete_button,
                  self.split_button, self.export_button):
            tools.addWidget(w)
        tools.addStretch(1)
        filters = QHBoxLayout()  # beside the title, so the tool row fits a laptop screen
        filters.addStretch(1)
        filters.addWidget(QLabel("Show label:"))
        filters.addWidget(compact_combo(self.label_filter, 10))
        filters.addWidget(QLabel("split:"))
        filters.addWidget(self.split_filter)

        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.addWidget(self.preview_title)
        rl.addWidget(self.key)
        rl.addWidget(self.plot, 3)
        segment_tools = QHBoxLayout()
        segment_tools.addWidget(self.crop_button)
        segment_tools.addWidget(self.cut_button)
        segment_tools.addStretch(1)
        rl.addLayout(segment_tools)
        rl.addWidget(self.summary, 1)
        splitter = QSplitter()
        splitter.setObjectName("samples_signal")  # its sizes are remembered under this name
        splitter.addWidget(self.table)
        splitter.addWidget(right)
        splitter.setSizes([600, 500])
        splitter.setChildrenCollapsible(False)

        layout = QVBoxLayout(self)
        title = QLabel("<h2>Data</h2>Recordings in this project. Drop CSV, JSON, CBOR or WAV files here to import.")
        title.setWordWrap(True)
        head = QHBoxLayout()
        head.addWidget(title, 1)
        head.addLayout(filters)
        layout.addLayout(head)
        layout.addLayout(tools)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.progress)
        layout.addWidget(self.message)
        layout.addWidget(self.drop_nonfinite_button, 0, Qt.AlignmentFlag.AlignLeft)

        context.samples_changed.connect(self.refresh)
        context.project_changed.connect(self._on_project_changed)
        self.refresh()

    def _on_project_changed(self) -> None:
        """Nothing of the previous project stays on screen: no preview, no split warnings."""
        self.last_split = None
        self.message.setText("")
        self.clear_preview()
        self.refresh()
        self._fit_columns(shrink=True)

    # -- state -------------------------------------------------------------------------------

    def refresh(self) -> None:
        project = self.context.project
        enabled = project is not None
        for w in (self.import_button, self.split_button, self.export_button):
            w.setEnabled(enabled)
        self._update_actions()
        if project is None:
            self.model.set_rows([])
            self.clear_preview()
            self.summary.setText("No project is open: use File › New or File › Open.")
            return
        labels = project.labels()
        current = self.label_filter.currentText()
        self.label_filter.blockSignals(True)
        self.label_filter.clear()
        self.label_filter.addItems([_ALL, *labels])
        if current in labels:
            self.label_filter.setCurrentText(current)
        self.label_filter.blockSignals(False)
        label = self.label_filter.currentText()
        split_name = self.split_filter.currentText()
        self.model.set_rows(samples.select(project, label=None if label == _ALL else label,
                                           split=None if split_name == _ALL else split_name))
        self._fit_columns()
        self._update_summary()
        self._refresh_preview()

    def _update_actions(self) -> None:
        """Relabel, Move and Delete act on the selected samples, Crop and Cut on the shaded band of the shown
        one: each can be pressed only when there is something to act on (they did nothing before)."""
        project = self.context.project
        chosen = project is not None and self.table.selectionModel().hasSelection()
        for w in (self.relabel_button, self.move_combo, self.delete_button):
            w.setEnabled(chosen)
        for w in (self.crop_button, self.cut_button):
            w.setEnabled(project is not None and self.shown_id is not None)

    def _fit_columns(self, shrink: bool = False) -> None:
        """Widen a fitted column its content no longer fits (a new, longer label or group); ``shrink``
        (another project) also narrows them, so a width the user chose stays until then."""
        for column in _FITTED:
            need = min(_FITTED_MAX, max(self.table.sizeHintForColumn(column),
                                        self.table.horizontalHeader().sectionSizeHint(column)))
            if shrink or self.table.columnWidth(column) < need:
                self.table.setColumnWidth(column, need)

    def _refresh_preview(self) -> None:
        """Redraw the previewed sample from the project (its label or signal may have changed), or clear
        the preview when it is gone."""
        project = self.context.project
        if self.shown_id is None or project is None:
            return
        try:
            project.sample_info(self.shown_id)
        except UserError:
            self.clear_preview()
            return
        self.show_sample(self.shown_id, keep_band=True)

    def clear_preview(self) -> None:
        self.plot.clear()
        self.key.set_entries([])
        self.plot.setLabel("left", value_title([]))
        self.plot.addItem(self.region)
        self.region.setVisible(False)
        self.shown_id = None
        self.preview_title.setText("Select a sample to see its waveform")
        self._update_actions()

    def _update_summary(self) -> None:
        project = self.context.project
        if project is None:
            return
        cells = "".join(f"<th>{k}</th>" for k in (*SPLITS, UNASSIGNED))
        html = [f"<table cellspacing=4><tr><th align=left>label</th>{cells}</tr>"]
        for label, row in label_split_counts(project).items():
            total = sum(row.values())
            tds = "".join(
                f"<td align=right>{v} ({100 * v / total:.0f}%)</td>" if total else "<td>0</td>" for v in row.values()
            )
            html.append(f"<tr><td>{escape(label, quote=False)}</td>{tds}</tr>")
        html.append("</table>")
        if self.last_split and self.last_split.warnings:
            shown = "<br>".join(escape(w, quote=False) for w in self.last_split.warnings)
            html.append(f"<p>{span(shown, 'warning')}</p>")
        self.summary.setText("".join(html))

    @_shown_on_page
    def select_sample(self, sample_id: int) -> None:
        """Select and show ``sample_id`` (the filters are reset when they hide it)."""
        ids = [r.id for r in self.model.rows]
        if sample_id not in ids:
            for combo in (self.label_filter, self.split_filter):
                combo.setCurrentText(_ALL)
            self.refresh()
            ids = [r.id for r in self.model.rows]
        if sample_id in ids:
            row = ids.index(sample_id)
            self.table.selectRow(row)
            self.table.scrollTo(self.model.index(row, 0))
            self.show_sample(sample_id)

    def selected_ids(self) -> list[int]:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        return [self.model.rows[r].id for r in rows]

    def _on_selection(self) -> None:
        ids = self.selected_ids()
        if ids:
            self.show_sample(ids[0])
        self._update_actions()

    @_shown_on_page
    def show_sample(self, sample_id: int, keep_band: bool = False) -> None:
        """Draw one curve per axis, decimated for display only (``keep_band``: leave the shaded band where
        the user put it, when the same sample is redrawn)."""
        project = self.context.project
        if project is None:
            return
        info = project.sample_info(sample_id)
        signal = project.load_signal(sample_id).astype(np.float32)
        band = self.selection() if keep_band and sample_id == self.shown_id else None
        self.plot.clear()
        self.plot.addItem(self.region)
        self.region.setBounds((0.0, info.duration_s))
        if band is not None and band[1] <= info.duration_s:
            self.region.setRegion(band)
        else:
            self.region.setRegion((info.duration_s * 0.25, info.duration_s * 0.75))
        self.region.setVisible(True)
        self.shown_id = sample_id
        self._update_actions()
        step = max(1, signal.shape[0] // 20000)
        t = np.arange(0, signal.shape[0], step) / info.rate_hz
        entries = []
        for i, (name, unit) in enumerate(zip(info.axis_names, info.units, strict=True)):
            colour = current().series_colour(i)
            self.plot.plot(t, signal[::step, i], pen=pg.mkPen(colour, width=1.5))
            entries.append((axis_title(name, unit), colour, False))
        self.key.set_entries(entries)
        self.plot.setLabel("left", value_title(list(info.units)))
        self.preview_title.setText(
            f"<b>#{info.id} {escape(info.label or '(unlabelled)', quote=False)}</b> — {info.frames} frames, "
            f"{info.rate_hz:g} Hz, {info.duration_s:.2f} s, {info.axes} axes"
        )

    def _redraw_for_theme(self) -> None:
        """Curves in the new theme's series colours (the band stays where the user put it)."""
        self.region.setBrush(_band_brush())
        if self.shown_id is not None and self.context.project is not None:
            self.show_sample(self.shown_id, keep_band=True)

    # -- actions -----------------------------------------------------------------------------

    def set_selection(self, start_s: float, end_s: float) -> None:
        """Put the shaded band on ``start_s`` .. ``end_s`` of the sample shown (such as a test window)."""
        self.region.setRegion((start_s, end_s))
        self.region.setVisible(True)

    def selection(self) -> tuple[float, float]:
        """The shaded band on the waveform, in seconds."""
        lo, hi = self.region.getRegion()
        return float(lo), float(hi)

    def ask_crop(self) -> None:
        if self.shown_id is None:
            return
        lo, hi = self.selection()
        answer = QMessageBox.question(self, "Crop", f"Keep only {fmt_span(lo, hi)} of sample #{self.shown_id}?")
        if answer == QMessageBox.StandardButton.Yes:
            self.crop_shown(lo, hi)

    @_shown_on_page
    def crop_shown(self, start_s: float, end_s: float) -> None:
        if self.context.project is None or self.shown_id is None:
            return
        kept = samples.crop(self.context.project, self.shown_id, start_s, end_s)
        self.message.setText(f"Sample #{self.shown_id} cropped to {kept} frames.")
        self.context.samples_changed.emit()
        self.show_sample(self.shown_id)

    def ask_cut(self) -> None:
        project = self.context.project
        if project is None or self.shown_id is None:
            return
        label, ok = QInputDialog.getItem(self, "New sample from selection", "Label of the new sample:",
                                         project.labels(), editable=True)
        if ok and label.strip():
            self.cut_shown(*self.selection(), label.strip())

    @_shown_on_page
    def cut_shown(self, start_s: float, end_s: float, label: str) -> int | None:
        if self.context.project is None or self.shown_id is None:
            return None
        new_id = samples.cut(self.context.project, self.shown_id, start_s, end_s, label)
        self.message.setText(
            f"New sample #{new_id} ({label}) from {fmt_span(start_s, end_s)}; it stays in the same split "
            "group as its recording."
        )
        self.context.samples_changed.emit()
        return new_id

    def ask_relabel(self) -> None:
        ids = self.selected_ids()
        project = self.context.project
        if not ids or project is None:
            return
        labels = project.labels()
        own = {project.sample_info(i).label for i in ids}
        current = own.pop() if len(own) == 1 else None  # the samples' own label, when they share one
        index = labels.index(current) if current in labels else 0
        label, ok = QInputDialog.getItem(self, "Relabel", f"New label for {len(ids)} sample(s):",
                                         labels, index, editable=True)
        if ok and label.strip():
            self.relabel(ids, label.strip())

    @_shown_on_page
    def relabel(self, ids: list[int], label: str) -> None:
        assert self.context.project is not None
        samples.relabel(self.context.project, ids, label)
        self.context.samples_changed.emit()

    def context_menu(self) -> QMenu:
        """The actions on the selected samples, as the table's right-click menu offers them."""
        ids = self.selected_ids()
        menu = QMenu(self)
        count = f"{len(ids)} sample{'s' if len(ids) != 1 else ''}"
        menu.addAction(f"Relabel {count}…", self.ask_relabel).setEnabled(bool(ids))
        if len(ids) == 1:
            index = self.table.currentIndex().siblingAtColumn(LABEL_COLUMN)
            menu.addAction("Edit label here", lambda: self.table.edit(index)).setShortcut("F2")
        move = menu.addMenu("Move to split")
        move.setEnabled(bool(ids))
        for name in SPLITS:
            move.addAction(name, lambda n=name: self.move_to_split(self.selected_ids(), n))
        menu.addSeparator()
        menu.addAction("Crop to the shaded band…", self.ask_crop).setEnabled(self.shown_id is not None)
        menu.addAction("Cut the shaded band into a new sample…", self.ask_cut).setEnabled(self.shown_id is not None)
        menu.addSeparator()
        menu.addAction(f"Delete {count}…", lambda: self.delete_selected()).setEnabled(bool(ids))
        return menu

    def _context_menu(self, pos: QPoint) -> None:
        self.context_menu().exec(self.table.viewport().mapToGlobal(pos))

    def _on_move(self, index: int) -> None:
        if index > 0:
            self.move_to_split(self.selected_ids(), SPLITS[index - 1])
        self.move_combo.setCurrentIndex(0)

    @_shown_on_page
    def move_to_split(self, ids: list[int], target: str) -> None:
        """A manual move: later automatic splits keep it."""
        if self.context.project is None or not ids:
            return
        samples.move(self.context.project, ids, target)
        self.context.samples_changed.emit()

    @_shown_on_page
    def delete_selected(self, confirm: bool = True) -> None:
        ids = self.selected_ids()
        if not ids or self.context.project is None:
            return
        if confirm:
            answer = QMessageBox.question(self, "Delete samples", f"Delete {len(ids)} sample(s)? No undo.")
            if answer != QMessageBox.StandardButton.Yes:
                return
        samples.delete(self.context.project, ids)
        self.context.samples_changed.emit()

    @_shown_on_page
    def run_split(self) -> SplitReport | None:
        if self.context.project is None:
            return None
        self.last_split = split(self.context.project)
        self.message.setText(f"Split done: {self.last_split.moved} sample(s) assigned.")
        self.context.samples_changed.emit()
        return self.last_split

    def choose_import(self) -> None:
        files = open_files(self, "Import recordings", self.context.settings, FILE_FILTER, many=True)
        if files:
            self.import_paths(files)

    def import_paths(
        self, paths: list[str], drop_nonfinite: bool = False, axes: list[str] | None = None
    ) -> Worker | None:
        """Import in a worker thread with a progress bar; errors leave the project unchanged.

        ``drop_nonfinite`` leaves out rows holding nan or inf instead of refusing the files; ``axes`` names
        the columns of CSV files without a header row (as ``import --axes``).
        """
        project = self.context.project
        if project is None or (self.worker is not None and self.worker.isRunning()):
            return None
        self._last_import = list(paths)
        self._last_axes = axes
        self.drop_nonfinite_button.setVisible(False)
        self.progress.setVisible(True)
        self.progress.setValue(0)
        self.message.setText(f"Importing {len(paths)} file(s)…")
        self.worker = run_in_thread(
            import_files, project, paths, drop_nonfinite=drop_nonfinite, axes=axes,
            on_progress=self._on_progress, on_done=self._on_imported, on_error=self._on_failed,
        )
        return self.worker

    def import_dropping_nonfinite(self) -> Worker | None:
        """The user saw which value was not finite and chose to import without such rows."""
        return self.import_paths(self._last_import, drop_nonfinite=True, axes=self._last_axes)

    def _on_progress(self, fraction: float, text: str) -> None:
        self.progress.setValue(int(fraction * 100))
        self.message.setText(text)

    def _on_imported(self, report: Any) -> None:
        self.progress.setVisible(False)
        self.message.setText(report.summary())
        self.context.samples_changed.emit()

    def _on_failed(self, text: str) -> None:
        self.progress.setVisible(False)
        nonfinite = NONFINITE_HINT in text
        text = escape(text.replace(NONFINITE_HINT, ""), quote=False)
        self.message.setText(span(f"Import failed, nothing was added: {text}", "error"))
        self.drop_nonfinite_button.setVisible(nonfinite)

    def choose_export(self) -> None:
        if self.context.project is None:
            return
        folder = choose_folder(self, "Export samples to folder", self.context.settings)
        if folder:
            fmt, ok = QInputDialog.getItem(self, "Export", "Format:", list(EXPORT_FORMATS), editable=False)
            if ok:
                self.export_to(folder, fmt)

    def export_to(self, folder: str, fmt: str) -> Worker | None:
        """Export every sample in a worker thread with a progress bar, one file each."""
        project = self.context.project
        if project is None or (self.worker is not None and self.worker.isRunning()):
            return None
        self.progress.setVisible(True)
        self.progress.setValue(0)
        self.message.setText(f"Exporting to {folder}…")

        def exported(paths: list[Any]) -> None:
            self.progress.setVisible(False)
            self.message.setText(f"Exported {len(paths)} file(s) to {folder}")

        def failed(text: str) -> None:
            self.progress.setVisible(False)
            self.message.setText(span(f"Export failed: {text}", "error"))

        self.worker = run_in_thread(export, project, folder, fmt, on_progress=self._on_progress, on_done=exported,
                                    on_error=failed)
        return self.worker

    # -- drag and drop -----------------------------------------------------------------------

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802
        if event.mimeData().hasUrls() and self.context.project is not None:
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802
        paths = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            self.import_paths([str(Path(p)) for p in paths])
            event.acceptProposedAction()
