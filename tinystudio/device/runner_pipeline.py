"""Pipelined inference on a board that offers Caps.PIPELINED: the board never waits on the link.

Two ways, both answered with RUN_PART frames (runner_protocol): ``run_in_memory`` asks for ranges of the test
set placed in the board's memory at launch (INFER_RUN: one short request per chunk of windows, the next chunk
requested before the current one is read), and ``run_streamed`` sends each window (UPLOAD frames and INFER_ALL)
while the board still computes the previous one, so the next window is queued on the link when it finishes.
"""

from __future__ import annotations

import math
import struct
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from tinystudio.device.runner_client import RunnerClient, RunnerError
from tinystudio.device.runner_protocol import RUN_END, RUN_FEATURES, RUN_PART_HEADER, Frame, InferResult, Msg

RUN_CHUNK = 32  # windows per INFER_RUN request
STREAM_DEPTH = 2  # windows sent before the oldest answer is read
MAX_IN_FLIGHT = 64
"""UPLOADs sent and not yet answered: the board answers each one at once, and a window of a megabyte (2,000
UPLOADs) written in one go filled the link with answers nobody read, so the board waited to write, the host to
write, for ever. 64 short answers fit any serial buffer, and their seqs stay unambiguous."""
ACK_BYTES = 16  # an UPLOAD answer on the wire (COBS frame of a 4-byte payload and its delimiter), rounded up
FRAME_OVERHEAD = 16  # header, CRC, COBS and delimiter around a payload, rounded up
LINK_ROOM = 4096
"""Bytes a serial link surely buffers each way (a Linux pseudo-terminal holds about 16 KB)."""


@dataclass(frozen=True)
class WindowAnswer:
    """One window's answer: its index, the INFER result and (when asked) its float32 DSP features."""

    index: int
    result: InferResult
    features: bytes | None


def _feature_parts(client: RunnerClient, features: bool) -> int:
    if not features:
        return 0
    return math.ceil(4 * math.prod(client.info.input_shape) / (client.info.max_payload - RUN_PART_HEADER))


def check_fits(client: RunnerClient) -> None:
    """A RUN_PART answer carries the whole output inline: refuse a model whose output does not fit one frame."""
    if client.info.output_bytes + 16 + RUN_PART_HEADER > client.info.max_payload:
        raise RunnerError("the model's output does not fit one answer frame")


def _answer(client: RunnerClient, seq: int, msg: Msg, timeout: float, parts: int) -> WindowAnswer | None:
    """Read one window's frames (part 0, then ``parts`` feature parts); None at INFER_RUN's end frame."""
    frame = client.receive(seq, msg, timeout)
    index, part = struct.unpack_from("<IH", frame.payload)
    if part == RUN_END:
        return None
    if part != 0:
        raise RunnerError(f"answer part {part} came before the answer of window {index}")
    result = _result(frame)
    feats = bytearray()
    for k in range(1, parts + 1):
        more = client.receive(seq, msg, timeout)
        got_index, got_part = struct.unpack_from("<IH", more.payload)
        if (got_index, got_part) != (index, k):
            raise RunnerError(f"expected feature part {k} of window {index}, got {got_part} of {got_index}")
        feats += more.payload[RUN_PART_HEADER:]
    return WindowAnswer(index, result, bytes(feats) if parts else None)


def _result(frame: Frame) -> InferResult:
    body = frame.payload[RUN_PART_HEADER:]
    if len(body) < 16:
        raise RunnerError("malformed INFER answer")
    status, dsp, nn, out_bytes = struct.unpack_from("<i3I", body)
    return InferResult(status, dsp, nn, bytes(body[16 : 16 + out_bytes]))


def run_in_memory(client: RunnerClient, first: int, count: int, *, features: bool, timeout: float,
                  chunk: int = RUN_CHUNK) -> Iterator[WindowAnswer]:
    """Windows ``first`` .. ``first + count - 1`` of the test set in memory, in order."""
    check_fits(client)
    flags = RUN_FEATURES if features else 0
    parts = _feature_parts(client, features)
    ranges = deque((s, min(chunk, first + count - s)) for s in range(first, first + count, chunk))
    pending: deque[tuple[int, int]] = deque()  # (seq, windows) of the requests in flight

    def ask() -> None:
        start, n = ranges.popleft()
        pending.append((client.send(Msg.INFER_RUN, struct.pack("<IIB", start, n, flags)), n))

    for _ in range(min(2, len(ranges))):
        ask()
    while pending:
        seq, n = pending.popleft()
        for _ in range(n):
            answer = _answer(client, seq, Msg.INFER_RUN, timeout, parts)
            if answer is None:
                raise RunnerError("the board ended a run early")
            yield answer
        if _answer(client, seq, Msg.INFER_RUN, timeout, 0) is not None:
            raise RunnerError("a run sent more windows than asked")
        if ranges:
            ask()


def run_streamed(client: RunnerClient, windows: Iterable[tuple[int, bytes]], *, features: bool, timeout: float,
                 depth: int = STREAM_DEPTH) -> Iterator[WindowAnswer]:
    """Each (index, window in the session's format), sent ahead of the answers; answers in order."""
    check_fits(client)
    flags = bytes([RUN_FEATURES if features else 0])
    parts = _feature_parts(client, features)
    step = client.info.max_payload - 4
    inline = client.window_bytes + 1 <= client.info.max_payload
    answer_bytes = (1 + parts) * (client.info.max_payload + FRAME_OVERHEAD)
    pending: deque[tuple[int, deque[int]]] = deque()  # (window index, unanswered seqs: uploads..., INFER_ALL)

    def collect() -> WindowAnswer:
        index, seqs = pending.popleft()
        while len(seqs) > 1:
            client.receive(seqs.popleft(), Msg.UPLOAD, timeout)
        answer = _answer(client, seqs[0], Msg.INFER_ALL, timeout, parts)
        assert answer is not None
        return WindowAnswer(index, answer.result, answer.features)

    for index, window in windows:
        if len(window) != client.window_bytes:
            raise RunnerError(f"the window has {len(window)} bytes but the board expects {client.window_bytes}")
        if inline:
            pending.append((index, deque(client.send_many([(int(Msg.INFER_ALL), flags + window)]))))
            if len(pending) >= depth:
                yield collect()
            continue
        # A window in parts. While the board writes an answer it reads nothing: when the answers it may still
        # write (features can be many frames) outgrow the link, read them before writing on.
        if len(pending) * answer_bytes + MAX_IN_FLIGHT * ACK_BYTES > LINK_ROOM:
            while pending:
                yield collect()
        requests = [(int(Msg.UPLOAD), struct.pack("<I", o) + window[o : o + step])
                    for o in range(0, len(window), step)]
        requests.append((int(Msg.INFER_ALL), flags))
        seqs: deque[int] = deque()
        pending.append((index, seqs))
        for start in range(0, len(requests), MAX_IN_FLIGHT // 2):
            batch = requests[start : start + MAX_IN_FLIGHT // 2]
            while sum(len(q) for _i, q in pending) + len(batch) > MAX_IN_FLIGHT:
                if pending[0][1] is not seqs:  # an earlier window's answers come first on the link
                    yield collect()
                else:
                    client.receive(seqs.popleft(), Msg.UPLOAD, timeout)
            seqs.extend(client.send_many(batch))
        if len(pending) >= depth:
            yield collect()
    while pending:
        yield collect()
