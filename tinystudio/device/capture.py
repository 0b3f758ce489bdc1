"""A capture session: one reader thread per open port that parses the line stream into a ring buffer
for display and, while recording, into a project sample committed at least every half second; it
survives a pulled cable and reconnects when the same board (same serial number) comes back."""

from __future__ import annotations

import threading
import time
from collections import deque
from dataclasses import dataclass, field

import numpy as np
import serial

from tinystudio.core.errors import UserError
from tinystudio.core.labels import optional_label
from tinystudio.core.store import Project, RecordingWriter
from tinystudio.device.linestream import Layout, LineStream, StreamStats
from tinystudio.device.ports import SIMULATED_PORT, PortInfo, find_by_identity, list_boards, open_port
from tinystudio.device.ringbuffer import RingBuffer
from tinystudio.device.simboard import SimBoard, running_boards

FLUSH_EVERY_S = 0.5
RECONNECT_EVERY_S = 0.3
DISPLAY_SECONDS = 10.0
_RING_MIN = 4096
SIM_PLAYBACK_SETTING = "simulated_board_playback"
SIM_CATCH_UP_SLACK = 2
"""Lines of the simulated board that may be missing from what was read (its first, cut-short line)."""
"""Project setting: where the simulated board's playback of each activity stands after the last recording."""


@dataclass
class Event:
    """Something the user should be told: kind is 'info', 'warning', 'saved', 'disconnected', 'reconnected'."""

    kind: str
    message: str
    sample_id: int | None = None
    frames: int = 0


@dataclass
class Status:
    """A snapshot for the UI, cheap to take every frame."""

    state: str  # 'streaming', 'disconnected', 'stopped'
    port: str
    board: str
    layout: Layout | None
    rate_hz: float | None
    rate_source: str
    stats: StreamStats
    dropped: int
    recording: bool
    recorded_frames: int
    recording_seconds: float | None
    recording_elapsed_s: float
    message: str = ""


@dataclass
class _Recording:
    writer: RecordingWriter
    seconds: float | None
    label: str | None
    started: float
    target_frames: int | None
    last_flush: float
    frames: int = 0
    stop: bool = False
    rates: list[float] = field(default_factory=list)
    project: Project | None = None


class CaptureSession:
    """Open with ``CaptureSession(port, baud).start()``; poll ``status()``, ``ring`` and ``events()``.

    ``port`` may be ``ports.SIMULATED_PORT``: the session then runs its own simulated board.
    """

    def __init__(
        self,
        port: str,
        baud: int = 115200,
        activity: str | None = None,
        sim_rate_hz: float | None = None,
        display_seconds: float = DISPLAY_SECONDS,
    ) -> None:
        self.port_name = port
        self.baud = baud
        self.display_seconds = display_seconds
        self.simboard: SimBoard | None = None
        if port == SIMULATED_PORT:
            # the simulated board sends its own clock, as a sketch printing millis() does: the rate then
            # comes from the board, not from counting lines on a machine that may be busy
            self.simboard = SimBoard(activity=activity, rate_hz=sim_rate_hz, timestamp=True)
        self.ring = RingBuffer(_RING_MIN)
        self.stream = LineStream()
        self._serial: serial.Serial | None = None
        self._identity = ""
        self._board = ""
        self._state = "stopped"
        self._message = ""
        self._lock = threading.Lock()
        self._events: deque[Event] = deque(maxlen=200)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._rec: _Recording | None = None
        self._rec_done = threading.Condition(self._lock)
        self._last_result: Event | None = None
        self._dropped_base = 0
        self._frames_in = 0  # readings received since the start (the simulated board's lines, one each)

    # -- lifecycle ------------------------------------------------------------------------------

    def start(self) -> CaptureSession:
        """Open the port (UserError if it cannot be opened) and start the reader thread."""
        device = self.port_name
        if self.simboard is not None:
            device = self.simboard.start()
            info: PortInfo | None = self.simboard.port_info()
        else:
            info = next((p for p in list_boards() if p.device == device), None)
        try:
            self._serial = self._open(device)
        except UserError:
            if self.simboard is not None:
                self.simboard.stop()
            raise
        self._identity = info.identity if info is not None else f"dev:{device}"
        self._board = info.name if info is not None else device
        self._state = "streaming"
        self._message = f"connected to {self._board}"
        self._thread = threading.Thread(target=self._run, name="capture-reader", daemon=True)
        self._thread.start()
        return self

    def _open(self, device: str) -> serial.Serial:
        port = open_port(device, self.baud)
        try:
            port.reset_input_buffer()
        except (OSError, serial.SerialException):
            pass
        return port

    def stop(self) -> None:
        """Finish any recording (keeping what was captured), close the port, stop the thread."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None
        self._finish_recording("stopped")
        self._close()
        if self.simboard is not None:
            self.simboard.stop()
        self._state = "stopped"

    def __enter__(self) -> CaptureSession:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _close(self) -> None:
        if self._serial is not None:
            try:
                self._serial.close()
            except (OSError, serial.SerialException):
                pass
            self._serial = None

    # -- the reader thread ----------------------------------------------------------------------

    def _run(self) -> None:
        while not self._stop.is_set():
            port = self._serial
            if port is None:
                self._try_reconnect()
                self._check_recording_deadline()
                self._stop.wait(RECONNECT_EVERY_S)
                continue
            try:
                waiting = port.in_waiting
                data = port.read(min(max(waiting, 1), 1 << 20))
            except (OSError, serial.SerialException, TypeError, AttributeError):
                self._on_disconnect()
                continue
            now = time.monotonic()
            try:
                if data:
                    self._ingest(data, now)
                self._housekeeping(now)
            except Exception as exc:  # e.g. the project was closed under us: keep the reader alive
                # save what was recorded (or say it could not be) rather than leave it half-written
                self._finish_recording(f"an unexpected error stopped the recording ({type(exc).__name__}: {exc})")

    def _ingest(self, data: bytes, now: float) -> None:
        before = self.stream.layout
        batch = self.stream.feed(data, now)
        for note in batch.notes:
            self._push(Event("warning", note))
        if batch.previous is not None and batch.previous.shape[0]:
            self._store(batch.previous)
        if batch.layout_changed and self.stream.layout is not None:
            layout = self.stream.layout
            if before is None:
                self._push(Event("info", f"detected {layout.axes} axes: {', '.join(layout.axis_names)}"))
            if self._rec is not None and before is not None and before.axes != layout.axes:
                self._finish_recording("the board changed its number of values")
            cap = max(_RING_MIN, int(self.display_seconds * 5000))
            if self.ring.capacity != cap or self.ring.axes != layout.axes:
                self.ring = RingBuffer(cap, layout.axes)
        self._store(batch.values)

    def _store(self, values: np.ndarray) -> None:
        if values.shape[0] == 0:
            return
        self._frames_in += values.shape[0]
        self.ring.write(values)
        rec = self._rec
        if rec is not None and not rec.stop:
            if rec.target_frames is not None:
                values = values[: max(0, rec.target_frames - rec.frames)]
            if values.shape[0]:
                rec.writer.append(values)
                rec.frames += values.shape[0]
            if rec.target_frames is not None and rec.frames >= rec.target_frames:
                rec.stop = True

    def _housekeeping(self, now: float) -> None:
        rec = self._rec
        if rec is None:
            return
        self._check_recording_deadline()
        if rec.stop:
            self._finish_recording("")
        elif now - rec.last_flush >= FLUSH_EVERY_S:
            rec.writer.flush()
            rec.last_flush = now
            rate = self.stream.rate.rate
            if rate:
                rec.rates.append(rate)

    def _check_recording_deadline(self) -> None:
        rec = self._rec
        if rec is None or rec.seconds is None:
            return
        if rec.target_frames is None and time.monotonic() - rec.started >= rec.seconds:
            rec.stop = True
        # a generous wall-clock guard: a board that slows down must not hold the recording forever
        if time.monotonic() - rec.started >= rec.seconds * 1.5 + 2:
            rec.stop = True

    def _on_disconnect(self) -> None:
        self._close()
        self._state = "disconnected"
        self._message = f"{self._board} disconnected (cable pulled?): waiting for it to come back"
        self._push(Event("disconnected", self._message))
        self._finish_recording("the board was disconnected")

    def _try_reconnect(self) -> None:
        found = find_by_identity(self._identity, running_boards())
        if found is None or not found.device:
            return
        try:
            port = self._open(found.device)
        except UserError:
            return
        self.stream = LineStream()
        self._dropped_base = 0
        self._serial = port
        self._state = "streaming"
        self._message = f"{self._board} is back on {found.device}"
        self._push(Event("reconnected", self._message))

    # -- recording ------------------------------------------------------------------------------

    def start_recording(
        self,
        project: Project,
        label: str | None,
        seconds: float | None = None,
        group: str | None = None,
        name: str = "",
    ) -> None:
        """Begin a sample: fixed length when ``seconds`` is given, else until ``stop_recording``."""
        layout = self.stream.layout
        if self._state != "streaming" or layout is None:
            raise UserError("no data from the board yet: wait until its axes are detected")
        if self._rec is not None:
            raise UserError("already recording")
        if seconds is not None and not (seconds > 0):
            raise UserError(f"recording length must be positive, got {seconds}")
        label = optional_label(label)
        rate = self.stream.rate.rate
        if rate is None:
            raise UserError("the sample rate is not detected yet: wait a second and try again")
        units = None
        if self.simboard is not None and any(self.simboard.data.units):
            units = list(self.simboard.data.units)
        source = "simulated" if self.simboard is not None else "device"
        if self.simboard is not None:
            # resume where earlier recordings into this project left the playback, then let the
            # recording start on a session long enough to hold it: one subject, its group by default
            self.simboard.tape.resume(project.get_setting(SIM_PLAYBACK_SETTING))
            take = int(seconds * rate) + 1 if seconds is not None else None
            subject = self.simboard.begin_take(take)
            group = group if group else subject
            self._catch_up(self.simboard.lines_sent)
            # claimed now, not when the recording ends: a process killed mid-recording keeps its claim,
            # so the next recording does not stream the very readings the recovered sample holds
            project.set_setting(SIM_PLAYBACK_SETTING, self.simboard.tape.reserved(self.simboard.activity, take))
        writer = project.start_recording(
            rate, layout.axis_names, label, units=units, group=group, source=source, name=name
        )
        now = time.monotonic()
        target = int(round(seconds * rate)) if seconds is not None else None
        self.stream.allow_relayout = False  # a recording keeps its axes: odd lines are skipped instead
        with self._lock:
            self._last_result = None
            self._rec = _Recording(writer, seconds, label, now, target, now, rates=[rate], project=project)

    def _catch_up(self, sent: int, limit_s: float = 1.0) -> None:
        """Wait until the lines the simulated board sent before this recording are read, so none of the
        previous wearer's readings still in the pseudo-terminal start the recording (the first line, cut
        short, is never a reading: hence the slack of a few lines)."""
        deadline = time.monotonic() + limit_s
        while self._frames_in < sent - SIM_CATCH_UP_SLACK and time.monotonic() < deadline:
            time.sleep(0.002)

    def stop_recording(self) -> None:
        """Ask the reader thread to end the open-ended recording at the next chunk."""
        rec = self._rec
        if rec is not None:
            rec.stop = True
        if self._thread is None or not self._thread.is_alive():
            self._finish_recording("")

    def wait_recording(self, timeout: float | None = None) -> Event | None:
        """Block until the current recording is saved; returns the 'saved' event (or None on timeout)."""
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._rec_done:
            while self._rec is not None:
                left = None if deadline is None else deadline - time.monotonic()
                if left is not None and left <= 0:
                    return None
                self._rec_done.wait(left if left is not None else 0.5)
            return self._last_result

    def _finish_recording(self, reason: str) -> None:
        with self._lock:
            rec = self._rec
            if rec is None:
                return
            rate = self.stream.rate.rate or (rec.rates[-1] if rec.rates else None)
            try:
                if rate:
                    rec.writer.set_rate(rate)
                sid = rec.writer.finish()
            except Exception as exc:  # the project file went away (closed, disk full)
                self._rec = None
                self.stream.allow_relayout = True
                msg = f"could not save the recording ({exc}): what reached the project is kept when it is next opened"
                if reason:
                    msg = f"{reason}; {msg}"
                self._last_result = Event("warning", msg)
                self._push(self._last_result)
                self._rec_done.notify_all()
                return
            self._rec = None
            self.stream.allow_relayout = True
            frames = rec.frames
            self._save_playback(rec)
            if sid is None:
                msg = "nothing was received: no sample saved"
                if reason:
                    msg = f"{reason}; {msg}"
                event = Event("warning", msg)
            else:
                label = rec.label or "(no label)"
                msg = f"saved {frames} frames as '{label}' (sample {sid})"
                if reason:
                    msg = f"{reason}: {msg}"
                event = Event("saved", msg, sid, frames)
            self._last_result = event
            self._push(event)
            self._rec_done.notify_all()

    def _save_playback(self, rec: _Recording) -> None:
        """Keep the simulated board's playback position in the project, so that recordings made later,
        in another process too, continue from there instead of repeating what this one recorded."""
        if self.simboard is None or rec.project is None:
            return
        self.simboard.end_take()
        try:
            rec.project.set_setting(SIM_PLAYBACK_SETTING, self.simboard.tape.positions())
        except Exception:  # noqa: BLE001 - the sample is saved; the project may be read-only or closed
            pass

    # -- what the UI reads ----------------------------------------------------------------------

    def _push(self, event: Event) -> None:
        self._events.append(event)

    def events(self) -> list[Event]:
        """Take the events since the last call."""
        out = []
        while self._events:
            out.append(self._events.popleft())
        return out

    @property
    def recording(self) -> bool:
        return self._rec is not None

    def set_activity(self, activity: str) -> None:
        """For the simulated board: change the activity being streamed."""
        if self.simboard is None:
            raise UserError("only the simulated board has an activity")
        self.simboard.set_activity(activity)

    def status(self) -> Status:
        rec = self._rec
        return Status(
            state=self._state,
            port=self.port_name,
            board=self._board,
            layout=self.stream.layout,
            rate_hz=self.stream.rate.rate,
            rate_source=self.stream.rate.source,
            stats=self.stream.stats,
            dropped=self.stream.rate.dropped,
            recording=rec is not None,
            recorded_frames=rec.frames if rec else 0,
            recording_seconds=rec.seconds if rec else None,
            recording_elapsed_s=(time.monotonic() - rec.started) if rec else 0.0,
            message=self._message,
        )

    def wait_ready(self, timeout: float = 10.0) -> Status:
        """Block until axes and rate are detected; UserError with what was seen if they are not."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            st = self.status()
            if st.state == "streaming" and st.layout is not None and st.rate_hz is not None:
                return st
            if self._thread is None or not self._thread.is_alive():
                break
            time.sleep(0.05)
        st = self.status()
        s = st.stats
        if s.bytes == 0:
            raise UserError(f"no data from {self.port_name} in {timeout:.0f} s: is the sketch printing lines?")
        if st.layout is None:
            raise UserError(
                f"could not make sense of the data from {self.port_name} ({s.bytes} bytes, {s.skipped} "
                "unreadable lines): check the baud rate and that the sketch prints one reading per line"
            )
        raise UserError(f"could not detect the sample rate of {self.port_name} in {timeout:.0f} s")
