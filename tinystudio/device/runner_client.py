"""Client side of the runner protocol: request/response over any serial-like link, with timeouts,
retries, CRC checks and chunked upload of windows larger than one frame.

The link is anything with pyserial's ``read`` / ``write`` / ``timeout`` / ``in_waiting`` (a pty opened
with ``serial.Serial``, or ``serial.serial_for_url("socket://127.0.0.1:PORT")`` for QEMU).
"""

from __future__ import annotations

import math
import struct
import time
from collections import deque
from typing import Any, Protocol

from tinystudio.core.errors import UserError
from tinystudio.device.runner_protocol import (
    RESPONSE,
    BenchResult,
    ErrorCode,
    Frame,
    FrameSplitter,
    HelloInfo,
    InferResult,
    Msg,
    ProtocolError,
    SampleFormat,
    StackResult,
    StreamMode,
    decode_frame,
    encode_frame,
    error_text,
)


class SerialLike(Protocol):
    timeout: float | None

    @property
    def in_waiting(self) -> int: ...

    def read(self, size: int = 1) -> bytes: ...

    def write(self, data: bytes) -> Any: ...


class RunnerError(UserError):
    """The board did not answer as the protocol says."""


class RunnerTimeout(RunnerError):
    """No valid answer within the timeout, after all retries."""


class DeviceError(RunnerError):
    """The board answered with an ERROR frame."""

    def __init__(self, code: int, message: str) -> None:
        super().__init__(f"board error {code}: {message}")
        self.code = code


READ_AHEAD = 1 << 16  # bytes taken at most per read once data is there

_RETRYABLE = {ErrorCode.BAD_CRC, ErrorCode.BAD_FRAME, ErrorCode.TOO_LONG}


class RunnerClient:
    """Talks to one board running the TinyStudio runner firmware."""

    def __init__(self, port: SerialLike, *, timeout: float = 2.0, retries: int = 2) -> None:
        self.port = port
        self.timeout = timeout
        self.retries = retries
        self.bad_frames = 0
        self._seq = 0
        self._splitter = FrameSplitter()
        self._chunks: deque[bytes] = deque()
        self._hello: HelloInfo | None = None
        self._window_bytes: int | None = None  # in the format chosen with set_format

    @property
    def window_bytes(self) -> int:
        """Bytes of one window in the session's sample format (the raw window until ``set_format``)."""
        return self._window_bytes if self._window_bytes is not None else self.info.raw_input_bytes

    # ---- transport -------------------------------------------------------------------------------

    def _next_chunk(self, deadline: float) -> bytes | None:
        while not self._chunks:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return None
            self.port.timeout = min(0.05, remaining)
            data = self.port.read(max(1, self.port.in_waiting))
            if data:  # and whatever else has arrived (a socket link's in_waiting says only 0 or 1)
                self.port.timeout = 0
                data += self.port.read(READ_AHEAD)
                self._chunks.extend(self._splitter.feed(data))
        return self._chunks.popleft()

    def _next_frame(self, deadline: float) -> Frame | None:
        while True:
            chunk = self._next_chunk(deadline)
            if chunk is None:
                return None
            try:
                return decode_frame(chunk)
            except ProtocolError:
                self.bad_frames += 1

    def send_raw(self, data: bytes) -> None:
        """Write bytes as they are (for tests that send malformed frames)."""
        self.port.write(data)

    def send(self, msg: int, payload: bytes = b"") -> int:
        """Write one request without waiting for its answer (pipelining, on a board with Caps.PIPELINED);
        return its seq for ``receive``."""
        self._seq = (self._seq + 1) & 0xFF
        self.port.write(encode_frame(msg, self._seq, payload))
        return self._seq

    def send_many(self, requests: list[tuple[int, bytes]]) -> list[int]:
        """``send`` several requests in one write; their seqs in order."""
        seqs, wire = [], bytearray()
        for msg, payload in requests:
            self._seq = (self._seq + 1) & 0xFF
            seqs.append(self._seq)
            wire += encode_frame(msg, self._seq, payload)
        self.port.write(bytes(wire))
        return seqs

    def receive(self, seq: int, msg: int, timeout: float) -> Frame:
        """The next answer frame to request ``seq`` of type ``msg`` (sent with ``send``): frames of earlier
        requests are skipped, an ERROR frame raises DeviceError, silence for ``timeout`` s RunnerTimeout."""
        deadline = time.monotonic() + timeout
        while True:
            frame = self._next_frame(deadline)
            if frame is None:
                raise RunnerTimeout(f"the board did not answer {Msg(msg).name} within {timeout:g} s")
            if frame.seq != seq:
                continue
            if frame.type == Msg.ERROR:
                raise DeviceError(*error_text(frame.payload))
            if frame.type == (msg | RESPONSE):
                return frame

    def request(
        self, msg: int, payload: bytes = b"", *, timeout: float | None = None, retries: int | None = None
    ) -> Frame:
        """Send one request and return its response frame; retry on silence or a corrupted frame."""
        timeout = self.timeout if timeout is None else timeout
        retries = self.retries if retries is None else retries
        self._seq = (self._seq + 1) & 0xFF
        seq = self._seq
        wire = encode_frame(msg, seq, payload)
        last_error: DeviceError | None = None
        for _attempt in range(retries + 1):
            # A leading delimiter ends whatever partial frame the board may hold.
            self.port.write(b"\x00" + wire)
            deadline = time.monotonic() + timeout
            while True:
                frame = self._next_frame(deadline)
                if frame is None:
                    break
                if frame.seq != seq:
                    continue  # a stale answer to an earlier request
                if frame.type == Msg.ERROR:
                    code, text = error_text(frame.payload)
                    last_error = DeviceError(code, text)
                    if code in _RETRYABLE:
                        break
                    raise last_error
                if frame.type == (msg | RESPONSE):
                    return frame
        if last_error is not None:
            raise last_error
        raise RunnerTimeout(
            f"the board did not answer {Msg(msg).name} within {timeout:g} s ({retries + 1} attempts)"
        )

    # ---- commands --------------------------------------------------------------------------------

    def hello(self, *, timeout: float | None = None) -> HelloInfo:
        """Board, firmware, counter, model and memory facts."""
        try:
            self._hello = HelloInfo.parse(self.request(Msg.HELLO, timeout=timeout).payload)
        except ProtocolError as exc:
            raise RunnerError(str(exc)) from exc
        return self._hello

    @property
    def info(self) -> HelloInfo:
        return self._hello if self._hello is not None else self.hello()

    def upload(self, window: bytes, *, chunk: int | None = None) -> None:
        """Write a raw window into the board's input buffer in frames of at most ``chunk`` bytes."""
        info = self.info
        step = min(chunk or info.max_payload - 4, info.max_payload - 4)
        for offset in range(0, len(window), step):
            part = window[offset : offset + step]
            frame = self.request(Msg.UPLOAD, struct.pack("<I", offset) + part)
            (end,) = struct.unpack("<I", frame.payload[:4])
            if end != offset + len(part):
                raise RunnerError(f"upload acknowledged up to byte {end}, expected {offset + len(part)}")

    def infer(self, window: bytes, *, timeout: float | None = None, chunk: int | None = None) -> InferResult:
        """Run one inference on a raw window (the model's int8 input, or float32 samples with DSP)."""
        info = self.info
        if len(window) != self.window_bytes:
            raise RunnerError(f"the window has {len(window)} bytes but the board expects {self.window_bytes}")
        if len(window) <= info.max_payload and chunk is None:
            frame = self.request(Msg.INFER, bytes(window), timeout=timeout)
        else:
            self.upload(bytes(window), chunk=chunk)
            frame = self.request(Msg.INFER, timeout=timeout)
        return self._infer_result(frame)

    def infer_at(self, index: int, *, timeout: float | None = None) -> InferResult:
        """Run one inference on window ``index`` of the test set placed in the board's memory at launch."""
        return self._infer_result(self.request(Msg.INFER_AT, struct.pack("<I", index), timeout=timeout))

    def _infer_result(self, frame: Frame) -> InferResult:
        info = self.info
        if len(frame.payload) < 16:
            raise RunnerError("malformed INFER answer")
        status, dsp, nn, out_bytes = struct.unpack_from("<i3I", frame.payload)
        output = bytearray(frame.payload[16:])
        while len(output) < out_bytes:
            count = min(info.max_payload, out_bytes - len(output))
            part = self.request(Msg.READ, struct.pack("<IH", len(output), count)).payload
            if not part:
                raise RunnerError("READ returned no data")
            output += part
        return InferResult(status, dsp, nn, bytes(output[:out_bytes]))

    def set_format(self, sample_format: SampleFormat, scale: float = 1.0, offset: float = 0.0) -> int:
        """Send later windows in ``sample_format`` (int16 samples become value * scale + offset in float32 on
        the board); return the bytes of one window in it. DeviceError when the board lacks the format."""
        frame = self.request(Msg.FORMAT, struct.pack("<Bff", int(sample_format), scale, offset))
        if len(frame.payload) != 4:
            raise RunnerError("malformed FORMAT answer")
        self._window_bytes = int(struct.unpack("<I", frame.payload)[0])
        return self._window_bytes

    def features(self) -> bytes:
        """The float32 DSP features of the last inference (boards built with a DSP block): one per model input
        value (the input shape's size; an int8 model's input bytes, a float32-input model's values)."""
        total = 4 * math.prod(self.info.input_shape)
        out = bytearray()
        while len(out) < total:
            count = min(self.info.max_payload, total - len(out))
            part = self.request(Msg.FEATURES, struct.pack("<IH", len(out), count)).payload
            if not part:
                raise RunnerError("FEATURES returned no data")
            out += part
        return bytes(out)

    def bench(self, runs: int, *, timeout: float | None = None) -> BenchResult:
        """Run ``runs`` inferences on the last window and return counter statistics."""
        if not 1 <= runs <= 0xFFFF:
            raise RunnerError("bench runs must be between 1 and 65535")
        frame = self.request(Msg.BENCH, struct.pack("<H", runs), timeout=timeout, retries=0)
        try:
            return BenchResult.parse(frame.payload)
        except ProtocolError as exc:
            raise RunnerError(str(exc)) from exc

    def stack(self) -> StackResult:
        """Painted stack region and peak use since boot."""
        payload = self.request(Msg.STACK).payload
        if len(payload) != 8:
            raise RunnerError("malformed STACK answer")
        return StackResult(*struct.unpack("<II", payload))

    def stream(self, lines: int, *, interval_us: int = 0, timeout: float | None = None) -> list[str]:
        """Read ``lines`` sensor lines, each in its own frame."""
        seq = self._start_stream(lines, interval_us, StreamMode.FRAMED, timeout)
        out: list[str] = []
        deadline = time.monotonic() + (self.timeout if timeout is None else timeout)
        while True:
            frame = self._next_frame(deadline)
            if frame is None:
                raise RunnerTimeout(f"stream stopped after {len(out)} of {lines} lines")
            if frame.seq != seq:
                continue
            if frame.type == Msg.STREAM_LINE:
                out.append(frame.payload.decode("ascii", "replace").rstrip("\n"))
            elif frame.type == Msg.STREAM_END:
                return out

    def stream_text(self, lines: int, *, interval_us: int = 0, timeout: float | None = None) -> str:
        """Read ``lines`` sensor lines sent as plain text (the line format capture tools read)."""
        seq = self._start_stream(lines, interval_us, StreamMode.TEXT, timeout)
        deadline = time.monotonic() + (self.timeout if timeout is None else timeout)
        text = self._next_chunk(deadline)
        if text is None:
            raise RunnerTimeout("text stream did not finish")
        while True:
            frame = self._next_frame(deadline)
            if frame is None:
                raise RunnerTimeout("text stream end frame missing")
            if frame.seq == seq and frame.type == Msg.STREAM_END:
                return text.decode("ascii", "replace")

    def _start_stream(self, lines: int, interval_us: int, mode: StreamMode, timeout: float | None) -> int:
        if lines < 1:
            raise RunnerError("stream at least one line")
        self.request(Msg.STREAM, struct.pack("<IIB", lines, interval_us, int(mode)), timeout=timeout, retries=0)
        return self._seq

    def bye(self) -> None:
        """Ask the board to stop (QEMU exits, the host process ends).

        The board may vanish before its answer is read (its end of the link closes with it), which
        is the outcome asked for, so a closed link or a missing answer is not an error here.
        """
        try:
            self.request(Msg.BYE, retries=0, timeout=min(self.timeout, 2.0))
        except (OSError, RunnerTimeout):
            pass
