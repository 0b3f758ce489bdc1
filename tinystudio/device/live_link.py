"""Live mode on the wire (firmware/runtime/tsr_live.h): start the board classifying its own sensor, read the
samples and classified windows it sends, grant it more windows, stop it; and the tape of recordings its
simulated sensor can play from memory.

Live frames arrive between answers, so this reads the link itself instead of RunnerClient's request loop;
use it on a link whose RunnerClient is idle (HELLO done), and let RunnerClient talk again after ``stop``.
"""

from __future__ import annotations

import struct
import time
from dataclasses import dataclass
from typing import Any

import numpy as np

from tinystudio.device.runner_client import DeviceError, RunnerError, RunnerTimeout, SerialLike
from tinystudio.device.runner_protocol import (
    RESPONSE,
    Frame,
    FrameSplitter,
    Msg,
    ProtocolError,
    decode_frame,
    encode_frame,
    error_text,
)

TAPE_MAGIC = 0x31545354  # "TST1", tsr_sim_sensor.h
TAPE_HEADER_BYTES = 16
PACED = 1  # LIVE_START flags bit0: one sample per interval on the board's clock
STOP, GRANT = 0, 1  # LIVE_CONTROL ops
_SEQ = 0x4C  # LIVE_START's seq, echoed by every live frame of the session


def tape_blob(signal: np.ndarray) -> bytes:
    """A tape for the simulated sensor: header (magic, frames, axes, 0) and the float32 samples, row-major."""
    sig = np.ascontiguousarray(signal, dtype="<f4")
    if sig.ndim != 2 or not len(sig):
        raise ValueError("a tape is a non-empty (frames, axes) signal")
    return struct.pack("<4I", TAPE_MAGIC, sig.shape[0], sig.shape[1], 0) + sig.tobytes()


@dataclass(frozen=True)
class LiveStarted:
    """The board's answer to LIVE_START."""

    window_frames: int
    axes: int
    hop: int
    tape_frames: int  # frames of the recordings its simulated sensor plays (0: built-in waves or a real sensor)
    tape_axes: int


@dataclass(frozen=True)
class LiveSamples:
    """Sensor frames the board read: ``frames`` (n, axes) float32, the first of them sample ``first``."""

    first: int
    frames: np.ndarray


@dataclass(frozen=True)
class LiveScores:
    """One window the board classified; it ends before sample ``end_sample`` (samples count from LIVE_START)."""

    index: int
    end_sample: int
    status: int
    dsp_count: int
    nn_count: int
    late: int  # sample slots the board skipped because it fell behind its sensor
    top: int
    scores: np.ndarray  # int8


LiveEvent = LiveSamples | LiveScores


class LiveLink:
    """Live mode over one open link (``port``: pyserial-like, as RunnerClient's)."""

    def __init__(self, port: SerialLike, *, timeout: float = 5.0) -> None:
        self.port = port
        self.timeout = timeout
        self.axes = 0
        self._seq = _SEQ
        self._splitter = FrameSplitter()
        self._chunks: list[bytes] = []
        self._pending: list[LiveEvent] = []

    def _send(self, msg: int, seq: int, payload: bytes) -> None:
        self.port.write(b"\x00" + encode_frame(msg, seq, payload))

    def _frames(self, wait: float) -> list[Frame]:
        """Frames received within ``wait`` seconds (returns early once at least one arrived)."""
        deadline = time.monotonic() + wait
        out: list[Frame] = []
        while True:
            self.port.timeout = max(0.0, min(0.05, deadline - time.monotonic()))
            data = self.port.read(max(1, self.port.in_waiting))
            if data:
                self._chunks.extend(self._splitter.feed(data))
            for chunk in self._chunks:
                try:
                    out.append(decode_frame(chunk))
                except ProtocolError:
                    continue  # a damaged frame: its window is missed, the next ones still count
            self._chunks.clear()
            if out or time.monotonic() >= deadline:
                return out

    def _event(self, frame: Frame) -> LiveEvent | None:
        if frame.seq != _SEQ:
            return None
        if frame.type == Msg.LIVE_SAMPLES and len(frame.payload) >= 4 and self.axes:
            (first,) = struct.unpack_from("<I", frame.payload)
            values = np.frombuffer(frame.payload, dtype="<f4", offset=4)
            return LiveSamples(first, values.reshape(-1, self.axes).astype(np.float32))
        if frame.type == Msg.LIVE_WINDOW and len(frame.payload) >= 28:
            index, end, status, dsp, nn, late = struct.unpack_from("<IIiIII", frame.payload)
            top, _kind, count = struct.unpack_from("<BBH", frame.payload, 24)
            scores = np.frombuffer(frame.payload, dtype=np.int8, count=count, offset=28).copy()
            return LiveScores(index, end, status, dsp, nn, late, top, scores)
        return None

    def _answer(self, msg: int, seq: int, timeout: float) -> Frame:
        """Wait for the answer to ``msg`` (seq ``seq``), keeping live frames that arrive first."""
        deadline = time.monotonic() + timeout
        answer: Frame | None = None
        while answer is None and time.monotonic() < deadline:
            for frame in self._frames(deadline - time.monotonic()):
                if answer is None and frame.seq == seq and frame.type == (msg | RESPONSE):
                    answer = frame  # and keep the live frames read with it
                elif answer is None and frame.seq == seq and frame.type == Msg.ERROR:
                    code, text = error_text(frame.payload)
                    raise DeviceError(code, text)
                else:
                    event = self._event(frame)
                    if event is not None:
                        self._pending.append(event)
        if answer is not None:
            return answer
        raise RunnerTimeout(f"the board did not answer {Msg(msg).name} within {timeout:g} s")

    def start(self, hop: int, interval_s: float, axes: int, *, paced: bool, credit: int = 0) -> LiveStarted:
        """Start live mode: classify every ``hop`` sensor frames (``interval_s`` apart when ``paced``);
        ``credit``: windows the board may send before it waits for ``grant`` (0: no limit). A board whose
        firmware has no live mode raises DeviceError (code UNKNOWN)."""
        interval_ns = max(1, round(interval_s * 1e9))
        if interval_ns > 0xFFFFFFFF:
            raise RunnerError("live mode needs a sample rate above 0.25 Hz")
        self.axes = axes
        payload = struct.pack("<IIIHB", hop, interval_ns, credit, axes, PACED if paced else 0)
        self._send(Msg.LIVE_START, _SEQ, payload)
        frame = self._answer(Msg.LIVE_START, _SEQ, self.timeout)
        if len(frame.payload) < 20:
            raise RunnerError("malformed LIVE_START answer")
        return LiveStarted(*struct.unpack_from("<5I", frame.payload))

    def read(self, wait: float) -> list[LiveEvent]:
        """The samples and windows that arrived within ``wait`` seconds (returns early once some did)."""
        events, self._pending = self._pending, []
        if events:
            return events
        for frame in self._frames(wait):
            event = self._event(frame)
            if event is not None:
                events.append(event)
        return events

    def grant(self, windows: int) -> None:
        """Let a board started with a credit send ``windows`` more windows (its answer is read and ignored)."""
        self._seq = 0x4D if self._seq != 0x4D else 0x4E  # never LIVE_START's seq
        self._send(Msg.LIVE_CONTROL, self._seq, struct.pack("<BI", GRANT, windows))

    def stop(self, timeout: float | None = None) -> tuple[list[LiveEvent], dict[str, Any]]:
        """End live mode; the samples and windows sent before the board stopped, and its final counts
        (``timeout``: the wait for its answer, which comes after every frame already sent)."""
        seq = 0x4F
        self._send(Msg.LIVE_CONTROL, seq, struct.pack("<BI", STOP, 0))
        frame = self._answer(Msg.LIVE_CONTROL, seq, self.timeout if timeout is None else timeout)
        windows, samples, credit = struct.unpack_from("<3I", frame.payload)
        events, self._pending = self._pending, []
        return events, {"windows": windows, "samples": samples, "credit": credit}
