"""The Device step: pick a board (or the simulated one), watch its signals live and record labelled
samples into the project. The reader runs in the capture session's thread; this page only polls."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from tinystudio.app.boards import ports_boards_first
from tinystudio.app.capture import (
    DEFAULT_BAUD,
    CaptureSession,
    PortInfo,
    Status,
    balance_hint,
    label_counts,
    list_boards,
    open_session,
    port_signature,
    preferred,
    simulated_activities,
    simulated_port,
)
from tinystudio.app.collect import CollectorBoard, collector_boards
from tinystudio.core.errors import UserError
from tinystudio.core.progress import CancelToken, Progress
from tinystudio.gui.context import AppContext
from tinystudio.gui.theme import span
from tinystudio.gui.widgets.capture_plot import CapturePlot
from tinystudio.gui.widgets.flow_label import FlowLabel
from tinystudio.gui.widgets.form_scroll import compact_combo
from tinystudio.gui.worker import Worker, run_in_thread

BAUDS = ["9600", "19200", "38400", "57600", "115200", "230400", "460800", "921600", "1000000", "2000000"]
FRAME_MS = 25
PORT_POLL_MS = 1500
SHORTCUT = "Ctrl+R"


def _collector_job(board: str, *, progress: Progress, cancel: CancelToken) -> CollectorBoard:
    from tinystudio.app.collect import flash_collector

    return flash_collector(board, None, progress, cancel)


class DevicePage(QWidget):
    """Ports, live plot, counters, and the Record button."""

    connection_changed = Signal()
    """A board was connected or disconnected (the next-step strip follows)."""

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.session: CaptureSession | None = None
        self._ports: list[PortInfo] = []
        self._port_sig: tuple[str, ...] = ()
        self._recent_labels: list[str] = []
        self._sim_subject = ""  # the simulated board's subject last put in the Group field
        self._axes_shown: list[str] = []
        self._was_connected = False
        self.collector: CollectorBoard | None = None  # the board running the data-collection firmware
        self.collector_worker: Worker | None = None
        self._build()
        self.refresh_ports(select_best=True)
        self._refresh_counts()
        context.project_closing.connect(self._on_project_closing)
        context.project_changed.connect(self._on_project_changed)
        context.samples_changed.connect(self._refresh_counts)
        self.timer = QTimer(self)
        self.timer.setInterval(FRAME_MS)
        self.timer.timeout.connect(self._tick)
        self.port_timer = QTimer(self)
        self.port_timer.setInterval(PORT_POLL_MS)
        self.port_timer.timeout.connect(lambda: self.refresh_ports(select_best=False))
        self.port_timer.start()

    # -- building ------------------------------------------------------------------------------

    def _build(self) -> None:
        root = QVBoxLayout(self)

        top = QHBoxLayout()
        self.port_box = compact_combo(QComboBox(), 24)
        self.port_box.setToolTip("Detected boards come first; the simulated board needs no hardware")
        self.port_box.currentIndexChanged.connect(self._on_port_selected)
        self.baud_box = QComboBox()
        self.baud_box.setEditable(True)
        self.baud_box.addItems(BAUDS)
        self.baud_box.setCurrentText(str(DEFAULT_BAUD))
        self.connect_button = QPushButton("Connect")
        self.connect_button.clicked.connect(self.toggle_connection)
        self.activity_box = QComboBox()
        self.activity_box.setToolTip("What the simulated board's wearer is doing")
        self.activity_box.currentTextChanged.connect(self._on_activity)
        self.activity_label = QLabel("Activity:")
        top.addWidget(QLabel("Port:"))
        top.addWidget(self.port_box, 1)
        top.addWidget(QLabel("Baud:"))
        top.addWidget(self.baud_box)
        top.addWidget(self.connect_button)
        top.addWidget(self.activity_label)
        top.addWidget(self.activity_box)
        root.addLayout(top)

        firmware_row = QHBoxLayout()
        self.collector_board_box = compact_combo(QComboBox(), 24)
        for name, title in collector_boards():
            self.collector_board_box.addItem(title, name)
        self.collector_board_box.setToolTip("The board to stream its sensors: an emulated one starts here, a board "
                                            "on the bench is flashed through its probe")
        self.collector_button = QPushButton("Put data-collection firmware on the board")
        self.collector_button.setToolTip("Build the firmware that streams the board's sensors, flash it (or start "
                                         "the emulated board) and connect to it")
        self.collector_button.clicked.connect(self.flash_collector)
        firmware_row.addWidget(QLabel("Board:"))
        firmware_row.addWidget(self.collector_board_box, 1)
        firmware_row.addWidget(self.collector_button)
        root.addLayout(firmware_row)

        self.state_label = FlowLabel("Not connected", text_format=Qt.TextFormat.AutoText)  # a port's path breaks
        root.addWidget(self.state_label)

        info = QHBoxLayout()
        self.rate_label = QLabel("Rate: –")
        self.axes_label = QLabel("Axes: –")
        self.counters_label = QLabel("Lines: 0   Malformed: 0   Dropped: 0")
        for w in (self.rate_label, self.axes_label, self.counters_label):
            info.addWidget(w)
        info.addStretch(1)
        root.addLayout(info)

        self.plot = CapturePlot()
        self.plot.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        root.addWidget(self.plot, 1)

        bottom = QHBoxLayout()
        rec_box = QGroupBox("Record")
        form = QFormLayout(rec_box)
        self.label_box = QComboBox()
        self.label_box.setEditable(True)
        self.label_box.setToolTip("Label of the next sample; recent labels are in the list")
        self.label_box.lineEdit().setPlaceholderText("e.g. walking")
        form.addRow("Label:", self.label_box)
        self.group_edit = QLineEdit()
        self.group_edit.setPlaceholderText("person, session or machine")
        self.group_edit.setToolTip("Who or what is recorded (kept for the next recordings): the split keeps a "
                                   "group on one side and cross-validation holds it out, so accuracy is "
                                   "measured on people or machines the model has not seen. The simulated "
                                   "board fills in its wearer.")
        form.addRow("Group:", self.group_edit)
        length_row = QHBoxLayout()
        self.fixed_check = QCheckBox("Fixed length")
        self.fixed_check.setChecked(True)
        self.seconds_box = QDoubleSpinBox()
        self.seconds_box.setRange(0.1, 3600.0)
        self.seconds_box.setDecimals(1)
        self.seconds_box.setValue(5.0)
        self.seconds_box.setSuffix(" s")
        self.fixed_check.toggled.connect(self.seconds_box.setEnabled)
        length_row.addWidget(self.fixed_check)
        length_row.addWidget(self.seconds_box)
        form.addRow("Length:", length_row)
        bottom.addWidget(rec_box, 1)

        self.record_button = QPushButton("● Record")
        font = QFont()
        font.setPointSize(16)
        font.setBold(True)
        self.record_button.setFont(font)
        self.record_button.setMinimumSize(200, 70)
        self.record_button.setToolTip(f"Start or stop a recording ({SHORTCUT})")
        self.record_button.clicked.connect(self.toggle_recording)
        bottom.addWidget(self.record_button)
        # Ctrl+R and the other shortcuts live in the main window's Run menu, so they work on every step

        counts_box = QGroupBox("Samples per label")
        counts_layout = QVBoxLayout(counts_box)
        self.counts_label = QLabel("–")
        self.counts_label.setTextFormat(Qt.TextFormat.PlainText)
        self.balance_label = FlowLabel()  # it names labels as typed
        counts_layout.addWidget(self.counts_label)
        counts_layout.addWidget(self.balance_label)
        bottom.addWidget(counts_box, 1)
        root.addLayout(bottom)

        self.message_label = FlowLabel(text_format=Qt.TextFormat.AutoText)  # a long path in an error breaks
        root.addWidget(self.message_label)
        self._update_controls()

    # -- ports ---------------------------------------------------------------------------------

    def refresh_ports(self, select_best: bool = False) -> None:
        """Re-list ports; when the list changes, keep the selection or select a newly plugged board."""
        try:
            boards = ports_boards_first(list_boards())  # ports of boards we know by VID/PID first
        except OSError:
            boards = []
        sig = port_signature(boards)
        if sig == self._port_sig and self._ports:
            return
        old_devices = {p.device for p in self._ports}
        current = self.selected_port()
        self._port_sig = sig
        extra = [] if self.collector is None else [PortInfo(self.collector.port, self.collector.title, score=0)]
        self._ports = boards + extra + [simulated_port()]
        self.port_box.blockSignals(True)
        self.port_box.clear()
        for p in self._ports:
            self.port_box.addItem(p.label, p.device)
        new = [p for p in boards if p.device not in old_devices and p.score > 0]
        target: PortInfo | None = None
        if select_best or (new and self.session is None and old_devices):
            best = preferred(boards)
            target = best if best is not None and best.score > 0 else self._ports[-1]
            if new and not select_best:
                target = max(new, key=lambda p: p.score)
        elif current is not None:
            target = next((p for p in self._ports if p.device == current.device), None)
        idx = self._ports.index(target) if target in self._ports else 0
        self.port_box.setCurrentIndex(idx)
        self.port_box.blockSignals(False)
        self._on_port_selected()

    def selected_port(self) -> PortInfo | None:
        i = self.port_box.currentIndex()
        return self._ports[i] if 0 <= i < len(self._ports) else None

    def connect_if_simulated(self) -> bool:
        """At start-up with no board plugged in, stream from the simulated board right away."""
        port = self.selected_port()
        if self.session is None and port is not None and port.simulated:
            return self.connect_port()
        return False

    def select_simulated(self) -> None:
        """Pick the simulated board in the port list."""
        for i, p in enumerate(self._ports):
            if p.simulated:
                self.port_box.setCurrentIndex(i)

    def _on_port_selected(self) -> None:
        port = self.selected_port()
        sim = port is not None and port.simulated
        self.activity_box.setVisible(sim)
        self.activity_label.setVisible(sim)
        self.baud_box.setEnabled(not sim)
        if sim and self.activity_box.count() == 0:
            try:
                acts = simulated_activities()
            except UserError as exc:
                self._say(str(exc), error=True)
                acts = []
            self.activity_box.blockSignals(True)
            self.activity_box.addItems(acts)
            self.activity_box.blockSignals(False)

    def _on_activity(self, activity: str) -> None:
        if self.session is not None and self.session.simboard is not None and activity:
            self.session.set_activity(activity)
            if not self.label_box.currentText().strip() or self.label_box.currentText() in self._activities():
                self.label_box.setCurrentText(activity)

    def _activities(self) -> list[str]:
        return [self.activity_box.itemText(i) for i in range(self.activity_box.count())]

    # -- connection ----------------------------------------------------------------------------

    def toggle_connection(self) -> None:
        if self.session is None:
            self.connect_port()
        else:
            self.disconnect_port()

    def connect_port(self) -> bool:
        """Open the selected port; problems are shown on the page, never raised."""
        port = self.selected_port()
        if port is None:
            self._say("no port selected", error=True)
            return False
        try:
            baud = int(self.baud_box.currentText())
        except ValueError:
            self._say(f"baud rate must be a whole number, got {self.baud_box.currentText()!r}", error=True)
            return False
        activity = self.activity_box.currentText() or None if port.simulated else None
        try:
            session = open_session(port.device, baud=baud, activity=activity)
        except UserError as exc:
            self._say(str(exc), error=True)
            return False
        self.session = session
        self._axes_shown = []
        self.plot.clear()
        if port.simulated and activity and not self.label_box.currentText().strip():
            self.label_box.setCurrentText(activity)
        self._say(f"connected to {port.label}")
        self.timer.start()
        self._update_controls()
        return True

    def disconnect_port(self) -> None:
        if self.session is not None:
            self.session.stop()
            self._drain_events()
            self.session = None
        self.timer.stop()
        self.state_label.setText("Not connected")
        self._update_controls()

    # -- recording -----------------------------------------------------------------------------

    def toggle_recording(self) -> None:
        if self.session is not None and self.session.recording:
            self.session.stop_recording()
            return
        self.start_recording()

    def start_recording(self) -> bool:
        project = self.context.project
        if project is None:
            self._say("open or create a project first (File menu)", error=True)
            return False
        if self.session is None:
            self._say("connect a board first (or pick the simulated board)", error=True)
            return False
        label = self.label_box.currentText().strip() or None
        seconds = self.seconds_box.value() if self.fixed_check.isChecked() else None
        group = self.group_edit.text().strip() or None
        if self.session.simboard is not None and group == self._sim_subject:
            group = None  # the board's own wearer: the session names the one actually recorded
        try:
            self.session.start_recording(project, label, seconds=seconds, group=group)
        except UserError as exc:
            self._say(str(exc), error=True)
            return False
        if label and label not in self._recent_labels:
            self._recent_labels.insert(0, label)
            self._refresh_label_box()
        self._say(f"recording '{label or '(no label)'}'…")
        self._update_controls()
        return True

    # -- polling -------------------------------------------------------------------------------

    def _tick(self) -> None:
        session = self.session
        if session is None:
            return
        st = session.status()
        if st.layout is not None:
            names = st.layout.axis_names
            if names != self._axes_shown:
                self.plot.set_axes(names)
                self._axes_shown = names
            n = int(min(session.ring.capacity, (st.rate_hz or 100.0) * session.display_seconds))
            frames, total = session.ring.latest(n)
            self.plot.show_frames(frames, total, st.rate_hz)
        self._show_status(st)
        self._drain_events()
        self._follow_simulated_subject()
        self._update_controls()

    def _follow_simulated_subject(self) -> None:
        """Pre-fill the Group field with the simulated board's wearer, unless the user typed another."""
        board = self.session.simboard if self.session is not None else None
        if board is None or self.session is None or self.session.recording:
            return
        subject = board.subject
        if subject != self._sim_subject:
            if self.group_edit.text().strip() in ("", self._sim_subject):
                self.group_edit.setText(subject)
            self._sim_subject = subject

    def _show_status(self, st: Status) -> None:
        role = {"streaming": "ok", "disconnected": "error"}.get(st.state, "text")
        self.state_label.setText(f"<b>{span(st.state.capitalize(), role)}</b> — {st.message}")
        if st.rate_hz:
            self.rate_label.setText(f"Rate: {st.rate_hz:g} Hz ({st.rate_source})")
        else:
            self.rate_label.setText("Rate: detecting…")
        if st.layout is not None:
            self.axes_label.setText(f"Axes: {st.layout.axes} ({', '.join(st.layout.axis_names)})")
        else:
            self.axes_label.setText("Axes: detecting…")
        s = st.stats
        self.counters_label.setText(f"Lines: {s.lines}   Malformed: {s.skipped}   Dropped: {st.dropped}")
        if st.recording:
            if st.recording_seconds is not None:
                left = max(0.0, st.recording_seconds - st.recording_elapsed_s)
                self.record_button.setText(f"■ {left:0.1f} s left")
            else:
                self.record_button.setText(f"■ Stop ({st.recording_elapsed_s:0.1f} s)")

    def _drain_events(self) -> None:
        if self.session is None:
            return
        saved = False
        for ev in self.session.events():
            self._say(ev.message, error=ev.kind in ("warning", "disconnected"))
            saved = saved or ev.kind == "saved"
        if saved:
            self.context.samples_changed.emit()

    def next_label(self) -> str:
        """Put the next label of the list (recent and project labels) in the Label box, wrapping round."""
        labels = [self.label_box.itemText(i) for i in range(self.label_box.count())]
        if not labels:
            return self.label_box.currentText()
        current = self.label_box.currentText()
        following = labels[(labels.index(current) + 1) % len(labels)] if current in labels else labels[0]
        self.label_box.setCurrentText(following)
        self._say(f"next label: {following}")
        return following

    def _update_controls(self) -> None:
        connected = self.session is not None
        if connected != self._was_connected:
            self._was_connected = connected
            self.connection_changed.emit()
        recording = connected and self.session is not None and self.session.recording
        self.connect_button.setText("Disconnect" if connected else "Connect")
        self.port_box.setEnabled(not connected)
        self.baud_box.setEnabled(not connected and not (self.selected_port() or simulated_port()).simulated)
        ready = connected and self.context.project is not None
        self.record_button.setEnabled(bool(ready))
        if not recording:
            self.record_button.setText("● Record")
        self.fixed_check.setEnabled(not recording)
        self.seconds_box.setEnabled(not recording and self.fixed_check.isChecked())

    # -- labels --------------------------------------------------------------------------------

    def _refresh_label_box(self) -> None:
        text = self.label_box.currentText()
        self.label_box.blockSignals(True)
        self.label_box.clear()
        self.label_box.addItems(self._recent_labels)
        self.label_box.setCurrentText(text)
        self.label_box.blockSignals(False)

    def _refresh_counts(self) -> None:
        project = self.context.project
        if project is None:
            self.counts_label.setText("no project open")
            self.balance_label.setText("")
            return
        counts = label_counts(project)
        for label in project.labels():
            if label not in self._recent_labels:
                self._recent_labels.append(label)
        self._refresh_label_box()
        if not counts:
            self.counts_label.setText("no samples yet")
            self.balance_label.setText("")
            return
        self.counts_label.setText("\n".join(f"{k}: {v}" for k, v in sorted(counts.items())))
        self.balance_label.setText(balance_hint(counts))

    def _on_project_closing(self) -> None:
        """Finish a recording into the project it belongs to before that project closes."""
        if self.session is not None and self.session.recording:
            self.session.stop_recording()
            self.session.wait_recording(timeout=3.0)

    def _on_project_changed(self) -> None:
        self._on_project_closing()
        self._drain_events()  # the last recording's "saved" line belongs to the old project
        self.message_label.setText("")
        self._recent_labels = []
        self._refresh_counts()
        self._update_controls()

    def _say(self, text: str, error: bool = False) -> None:
        self.message_label.setText(span(_escape(text), "error" if error else "text"))
        self.context.status.emit(text)

    def shutdown(self) -> None:
        """Called when the window closes: finish the recording and release the port."""
        self.timer.stop()
        self.port_timer.stop()
        if self.session is not None:
            self.session.stop()
            self.session = None
        if self.collector_worker is not None:
            self.collector_worker.cancel()
            self.collector_worker.wait(30000)
        self._close_collector()

    # -- data-collection firmware --------------------------------------------------------------

    def flash_collector(self) -> None:
        """Build and put the data-collection firmware on the chosen board, then capture from it."""
        if self.collector_worker is not None:
            return
        board = str(self.collector_board_box.currentData())
        self.disconnect_port()
        self._close_collector()
        self.collector_button.setEnabled(False)
        self._say(f"building the data-collection firmware for {self.collector_board_box.currentText()}…")
        self.collector_worker = run_in_thread(
            _collector_job, board, on_progress=lambda _f, m: self._say(m), on_done=self._on_collector,
            on_error=self._on_collector_error, on_cancelled=self._on_collector_cancelled)

    def _on_collector(self, running: CollectorBoard) -> None:
        self.collector_worker = None
        self.collector_button.setEnabled(True)
        self.collector = running
        self._port_sig = ()
        self.refresh_ports()
        for i, p in enumerate(self._ports):
            if p.device == running.port:
                self.port_box.setCurrentIndex(i)
        if self.connect_port():
            self._say(f"{running.title} runs the data-collection firmware: {', '.join(running.axes)} at "
                      f"{running.rate_hz:g} Hz on {running.port}")

    def _on_collector_error(self, message: str) -> None:
        self.collector_worker = None
        self.collector_button.setEnabled(True)
        self._say(message, error=True)

    def _on_collector_cancelled(self) -> None:
        self.collector_worker = None
        self.collector_button.setEnabled(True)

    def _close_collector(self) -> None:
        if self.collector is not None:
            self.collector.close()
            self.collector = None
            self._port_sig = ()


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
