"""The built-in simulated board: a pseudo-terminal that streams recorded motion data at its true rate
as Serial Plotter lines, with a selectable activity and a cable that can be pulled and plugged back.

It plays the subjects' sessions one after another from the process's playback cursor (``simtape``), so
no stretch is ever streamed twice, and it tells whose session is playing (the recording's group)."""

from __future__ import annotations

import itertools
import os
import threading
import time
import tty

import numpy as np

from tinystudio.core.limits import MAX_SIM_RATE_HZ, sample_rate
from tinystudio.device.ports import PortInfo
from tinystudio.device.simboard_link import StableLink
from tinystudio.device.simdata import MotionSet, activity_key, load_motion_set
from tinystudio.device.simtape import Tape, tape_for

_OUTBOX_LIMIT = 1 << 18
"""Bytes held back when nobody reads; beyond this lines are lost, as on a real UART."""

_serials = itertools.count(1)
_running: dict[str, SimBoard] = {}
_registry_lock = threading.Lock()


def running_boards() -> list[PortInfo]:
    """Simulated boards of this process that are plugged in now (for reconnecting by serial number)."""
    with _registry_lock:
        boards = list(_running.values())
    return [b.port_info() for b in boards if b.path is not None]


class SimBoard:
    """Streams one activity of a ``MotionSet`` into a pty. ``start()`` returns the path to open."""

    def __init__(
        self,
        activity: str | None = None,
        rate_hz: float | None = None,
        data: MotionSet | None = None,
        timestamp: bool = False,
        serial_number: str | None = None,
        link: StableLink | None = None,
    ) -> None:
        self.data = data or load_motion_set()
        first = self.data.activities[0]
        self.data.sessions_of(activity or first)  # an unknown activity is refused here
        self.activity = activity_key(activity or first)
        self.tape: Tape = tape_for(self.data)
        self.rate_hz = sample_rate("the simulated board's rate (Hz)",
                                   self.data.rate_hz if rate_hz is None else rate_hz, MAX_SIM_RATE_HZ)
        self.timestamp = timestamp
        self.serial_number = serial_number or f"TINYSIM{os.getpid() % 100000:05d}{next(_serials):03d}"
        self.path: str | None = None
        self.link = link
        """A path kept naming the current pty while plugged in (the standalone board's stable port)."""
        self.lines_sent = 0
        self.lines_lost = 0
        self._master: int | None = None
        self._slave: int | None = None
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._outbox = b""
        self._t0 = time.monotonic()
        self._since_plug = 0

    # -- lifecycle ------------------------------------------------------------------------------

    def start(self) -> str:
        """Plug the board in and start streaming; returns the pty path."""
        path = self.plug()
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="simboard", daemon=True)
            self._thread.start()
        with _registry_lock:
            _running[self.serial_number] = self
        return path

    def stop(self) -> None:
        """Stop streaming and remove the pty."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=2)
            self._thread = None
        self.unplug()
        if self.link is not None:
            self.link.release()
        with _registry_lock:
            _running.pop(self.serial_number, None)

    def __enter__(self) -> SimBoard:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def plug(self) -> str:
        """Create the pseudo-terminal (a new path after an unplug) and resume streaming."""
        with self._lock:
            if self.path is not None:
                return self.path
            master, slave = os.openpty()
            tty.setraw(slave)
            os.set_blocking(master, False)
            self._master, self._slave = master, slave
            self.path = os.ttyname(slave)
            if self.link is not None:
                self.link.point_at(self.path)
            self._outbox = b""
            self._t0 = time.monotonic()
            self._since_plug = 0
            return self.path

    def unplug(self) -> None:
        """Pull the cable: the pty disappears, an open reader sees the device vanish."""
        with self._lock:
            if self.link is not None:
                self.link.clear()  # first: nobody follows it to a pty number about to be freed
            for fd in (self._master, self._slave):
                if fd is not None:
                    try:
                        os.close(fd)
                    except OSError:
                        pass
            self._master = self._slave = None
            self.path = None

    @property
    def plugged(self) -> bool:
        return self.path is not None

    def set_activity(self, activity: str) -> None:
        """Switch what the wearer is doing; the stream continues without a gap."""
        self.data.sessions_of(activity)
        with self._lock:
            self.activity = activity_key(activity)

    @property
    def subject(self) -> str:
        """Whose session is playing now (``subject-07``): the group of what is recorded from it."""
        return self.tape.subject(self.activity)

    def begin_take(self, frames: int | None) -> str:
        """A recording of ``frames`` frames starts: when the current session has fewer left, move on to
        the next session so the recording holds one subject. Returns that subject."""
        with self._lock:
            if frames is not None and self.tape.remaining(self.activity) < frames:
                return self.tape.next_session(self.activity, frames)
            return self.tape.subject(self.activity)

    def end_take(self) -> str:
        """A recording ended: the next wearer's session plays from now on. Returns the new subject."""
        with self._lock:
            return self.tape.next_session(self.activity)

    def port_info(self) -> PortInfo:
        return PortInfo(
            device=self.path or "",
            name="Simulated board",
            description=self.data.source,
            serial_number=self.serial_number,
            score=-1,
            simulated=False,
        )

    # -- streaming ------------------------------------------------------------------------------

    def _format(self, frames: np.ndarray, first_index: int) -> bytes:
        names = self.data.axis_names
        fmt = ",".join(f"{n}:%.6g" for n in names) + "\n"
        if self.timestamp:
            period_ms = 1000.0 / self.rate_hz
            fmt = "ms:%d," + fmt
            rows = [fmt % (int((first_index + i) * period_ms), *row) for i, row in enumerate(frames.tolist())]
        else:
            rows = [fmt % tuple(row) for row in frames.tolist()]
        return "".join(rows).encode("ascii")

    def _take(self, n: int) -> np.ndarray:
        return self.tape.take(self.activity, n)[0]

    def _run(self) -> None:
        tick = min(0.01, 0.5 / self.rate_hz)
        while not self._stop.is_set():
            with self._lock:
                if self._master is not None:
                    self._pump()
            self._stop.wait(tick)

    def _pump(self) -> None:
        due = int((time.monotonic() - self._t0) * self.rate_hz) + 1
        n = due - self._since_plug
        cap = int(self.rate_hz) + 1
        if n > cap:  # stalled for over a second (suspended laptop): skip ahead instead of flooding
            self._since_plug = due - cap
            n = cap
        if n > 0:
            self._outbox += self._format(self._take(n), self.lines_sent)
            self.lines_sent += n
            self._since_plug += n
            if len(self._outbox) > _OUTBOX_LIMIT:
                self.lines_lost += self._outbox[:-_OUTBOX_LIMIT].count(b"\n")
                self._outbox = self._outbox[-_OUTBOX_LIMIT:]
        assert self._master is not None
        while self._outbox:
            try:
                written = os.write(self._master, self._outbox)
            except OSError:  # full (nobody reading) or gone
                return
            self._outbox = self._outbox[written:]
