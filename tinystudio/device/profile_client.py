"""Reading a profiling build's per-op counts over the runner protocol (PROFILE and PROFILE_READ).

PROFILE runs the board's current window ``runs`` times (at most 15; 0 means the last inference as it ran)
and answers with the whole NN count's min and median; PROFILE_READ then gives, per op, its graph op index
and the min and median of its count, a page at a time. A profiling build says so in HELLO's capability
word (``Caps.PROFILE``); a board whose word lacks it is not asked, and one from before the capability word
answers PROFILE with "unknown message type". Both raise ``NotProfiling``.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

from tinystudio.device.runner_client import DeviceError, RunnerClient, RunnerError
from tinystudio.device.runner_protocol import Caps, ErrorCode, Msg

MAX_RUNS = 15
_HEADER = struct.Struct("<i4I")
_ENTRY = struct.Struct("<HII")


class NotProfiling(RunnerError):
    """The board's firmware was built without per-op counters."""


@dataclass(frozen=True)
class OpCount:
    op_index: int  # the op's index in the .tflite graph
    min: int
    median: int


@dataclass(frozen=True)
class ProfileReading:
    """Per-op counts of one PROFILE request, in the board's counter units."""

    status: int
    runs: int
    whole_min: int  # the whole NN count of the same runs (0 when the board did not time it)
    whole_median: int
    ops: list[OpCount]


def read_profile(client: RunnerClient, runs: int, *, timeout: float = 60.0) -> ProfileReading:
    """Time each op of the board's current window over ``runs`` runs (0: the last inference)."""
    if not 0 <= runs <= MAX_RUNS:
        raise RunnerError(f"profile runs must be between 0 and {MAX_RUNS}")
    caps = client.info.caps
    if caps and Caps.PROFILE not in caps:
        raise NotProfiling("the board's firmware was not built for profiling")
    try:
        head = client.request(Msg.PROFILE, struct.pack("<H", runs), timeout=timeout, retries=0).payload
    except DeviceError as exc:
        if exc.code == ErrorCode.UNKNOWN:
            raise NotProfiling("the board's firmware was not built for profiling") from None
        raise
    if len(head) != _HEADER.size:
        raise RunnerError("malformed PROFILE answer")
    status, done, count, whole_min, whole_median = _HEADER.unpack(head)
    page = max(1, client.info.max_payload // _ENTRY.size)
    ops: list[OpCount] = []
    while len(ops) < count:
        n = min(page, count - len(ops))
        body = client.request(Msg.PROFILE_READ, struct.pack("<HH", len(ops), n)).payload
        if len(body) != n * _ENTRY.size:
            raise RunnerError("malformed PROFILE_READ answer")
        ops += [OpCount(*_ENTRY.unpack_from(body, k * _ENTRY.size)) for k in range(n)]
    return ProfileReading(status, done, whole_min, whole_median, ops)
