"""Streaming the test split through a launched board, then BENCH and STACK.

The windows come from the board's memory when the launcher placed the test set there, else over the link in
the smallest format the board takes (window_encoding); with a board that offers pipelining the next window
(or range of windows) is requested before the current answer is read, so the board never waits on the link.

What the board measured so far is kept in ``Measured`` (scores, DSP and NN counts, bit-exactness and
feature error per window), so a board that stops mid-test leaves a partial result that a later run
continues from the first window not yet measured, instead of starting again.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from tinystudio.app.window_encoding import EncodedWindows, encode_windows
from tinystudio.core.errors import UserError
from tinystudio.core.progress import CancelToken, Progress
from tinystudio.device.runner_client import DeviceError, RunnerError
from tinystudio.device.runner_pipeline import WindowAnswer, run_in_memory, run_streamed
from tinystudio.device.runner_protocol import RUN_PART_HEADER, Caps, SampleFormat

if TYPE_CHECKING:
    from tinystudio.core.classical.reference import TreeReference
    from tinystudio.core.int8_reference import Int8Reference
    from tinystudio.device.runner_protocol import HelloInfo
    from tinystudio.targets.base import BoardLink

INFER_TIMEOUT_S = 30.0
BENCH_MARGIN = 4.0  # a BENCH repetition may take this many times the slowest-looking test window


def bench_timeout(runs: int, stream_seconds: float, windows: int) -> float:
    """How long to wait for a BENCH of ``runs`` repetitions: the fixed wait plus ``runs`` times the wall time a
    test window took (transfer included, so an upper bound), with a margin. A fixed two minutes was not
    enough for 65,535 repetitions of a 1.8 ms window on the emulated micro:bit."""
    per_window = stream_seconds / windows if windows > 0 else 0.0
    return INFER_TIMEOUT_S * 4 + runs * per_window * BENCH_MARGIN


@dataclass
class Measured:
    """Per-window results of the windows measured so far (the first ``done`` of ``windows``)."""

    windows: int
    classes: int
    done: int = 0
    scores: np.ndarray = field(init=False)
    dsp_counts: np.ndarray = field(init=False)
    nn_counts: np.ndarray = field(init=False)
    nn_exact: np.ndarray = field(init=False)
    feature_abs: float = 0.0
    feature_rel: float = 0.0

    def __post_init__(self) -> None:
        self.scores = np.zeros((self.windows, self.classes), dtype=np.int8)
        self.dsp_counts = np.zeros(self.windows, dtype=np.int64)
        self.nn_counts = np.zeros(self.windows, dtype=np.int64)
        self.nn_exact = np.ones(self.windows, dtype=bool)

    def to_json(self) -> dict[str, Any]:
        """The measured windows only, for a stored partial result."""
        n = self.done
        return {
            "measured": n,
            "device_scores": self.scores[:n].tolist(),
            "dsp_counts": self.dsp_counts[:n].tolist(),
            "nn_counts": self.nn_counts[:n].tolist(),
            "nn_exact": self.nn_exact[:n].tolist(),
            "feature_error": {"max_abs": self.feature_abs, "max_rel": self.feature_rel},
        }

    @classmethod
    def from_json(cls, windows: int, classes: int, stored: dict[str, Any]) -> Measured:
        """Continue from a stored partial result (see ``to_json``)."""
        m = cls(windows, classes)
        n = int(stored["measured"])
        if n:
            m.scores[:n] = np.asarray(stored["device_scores"], dtype=np.int8).reshape(n, classes)
            m.dsp_counts[:n] = stored["dsp_counts"]
            m.nn_counts[:n] = stored["nn_counts"]
            m.nn_exact[:n] = stored["nn_exact"]
        m.feature_abs = float(stored["feature_error"]["max_abs"])
        m.feature_rel = float(stored["feature_error"]["max_rel"])
        m.done = n
        return m


class BoardStopped(Exception):
    """The board died or stopped answering; ``measured`` holds what it measured before."""

    def __init__(self, reason: str, measured: Measured) -> None:
        super().__init__(reason)
        self.reason = reason
        self.measured = measured


@dataclass
class Session:
    """A completed stream: the board's HELLO, every window, BENCH and STACK, and how the windows travelled."""

    info: HelloInfo
    measured: Measured
    bench: dict[str, Any] | None
    stack_peak: int
    stream_seconds: float
    streamed: int  # windows measured by this session (the others came from a partial result)
    transfer: dict[str, Any]  # test set placement, sample format, bytes per window, pipelined
    compute_seconds: float  # wall time the board spent computing: streamed windows x BENCH wall time per run


@dataclass(frozen=True)
class _Plan:
    """How this session reaches the windows: in memory or streamed, in which format, pipelined or not."""

    in_memory: bool
    encoded: EncodedWindows
    pipelined: bool

    def describe(self, n: int) -> dict[str, Any]:
        enc = self.encoded
        out: dict[str, Any] = {
            "test_set": "in memory at launch" if self.in_memory else "streamed",
            "format": enc.label,
            "bytes_per_window": len(enc.windows[0]) if enc.windows else 0,
            "pipelined": self.pipelined,
        }
        if enc.sample_format is SampleFormat.I16:
            out["scale"], out["offset"] = enc.scale, enc.offset
        return out


def _plan(link: BoardLink, encoded: EncodedWindows, n: int) -> _Plan:
    """Use what the board offers (HELLO's capabilities): the test set in memory if it is there, the encoded
    format if the board takes it (else its raw form), pipelining if its link holds requests sent ahead."""
    client = link.client
    caps = client.info.caps
    in_memory = link.bulk_windows == n and Caps.BULK in caps
    needs = {SampleFormat.I16: Caps.INPUT_I16, SampleFormat.I8: Caps.INPUT_I8}.get(encoded.sample_format)
    chosen = encoded
    if needs is not None and needs in caps:
        try:
            client.set_format(encoded.sample_format, encoded.scale, encoded.offset)
        except DeviceError:
            chosen = encoded.as_raw()
    elif needs is not None:
        chosen = encoded.as_raw()
    if in_memory and chosen is not encoded:  # the test set in memory is in a format the board does not take
        in_memory = False
    fits = client.info.output_bytes + 16 + RUN_PART_HEADER <= client.info.max_payload
    return _Plan(in_memory, chosen, Caps.PIPELINED in caps and fits)


def _answers(link: BoardLink, plan: _Plan, start: int, n: int, device_dsp: bool) -> Iterator[WindowAnswer]:
    """Every window's answer from ``start`` on, the fastest way the plan allows."""
    client = link.client
    if plan.pipelined and plan.in_memory:
        yield from run_in_memory(client, start, n - start, features=device_dsp, timeout=INFER_TIMEOUT_S)
        return
    if plan.pipelined:
        windows = ((i, plan.encoded.windows[i]) for i in range(start, n))
        yield from run_streamed(client, windows, features=device_dsp, timeout=INFER_TIMEOUT_S)
        return
    for i in range(start, n):  # one request at a time: a board without pipelining (or an older one)
        if not link.alive():
            raise RunnerError("the board process exited")
        if plan.in_memory:
            result = client.infer_at(i, timeout=INFER_TIMEOUT_S)
        else:
            result = client.infer(plan.encoded.windows[i], timeout=INFER_TIMEOUT_S)
        yield WindowAnswer(i, result, client.features() if device_dsp else None)


def stream(
    link: BoardLink,
    raw: np.ndarray,
    host_features: np.ndarray,
    host_scores: np.ndarray,
    reference: Int8Reference | TreeReference,
    model_hash: str,
    device_dsp: bool,
    bench_runs: int,
    measured: Measured,
    progress: Progress,
    cancel: CancelToken,
    encoded: EncodedWindows | None = None,
) -> Session:
    """Talk to the launched board from window ``measured.done`` on; raises BoardStopped if it stops.

    ``host_scores`` are the int8 reference's scores of ``host_features``, what a bit-exact board gives;
    ``encoded``: the windows as ``encode_windows`` made them (and as placed in the board's memory, if so)."""
    n = len(raw)
    start = measured.done
    if encoded is None:
        encoded = encode_windows(raw, host_features, reference, device_dsp)
    try:
        info = link.client.hello(timeout=10.0)
        if info.model_hash != model_hash:
            raise UserError(f"the board runs model {info.model_hash}, not the one just built ({model_hash})")
        plan = _plan(link, encoded, n)
        stream_started = time.perf_counter()
        for answer in _answers(link, plan, start, n, device_dsp):
            cancel.raise_if_cancelled()
            i, result = answer.index, answer.result
            if result.status != 0:
                raise UserError(f"the model failed on the board (status {result.status}) at test window {i + 1}")
            scores = np.frombuffer(result.output, dtype=np.int8)
            if device_dsp:
                feats = np.frombuffer(answer.features or b"", dtype=np.float32)
                expected = host_features[i].ravel()
                diff = np.abs(feats.astype(np.float64) - expected)
                measured.feature_abs = max(measured.feature_abs, float(diff.max()))
                measured.feature_rel = max(measured.feature_rel, float((diff / (np.abs(expected) + 1e-6)).max()))
                measured.nn_exact[i] = bool(np.array_equal(reference.run(reference.quantize(feats)), scores))
            else:
                measured.nn_exact[i] = bool(np.array_equal(host_scores[i], scores))
            measured.scores[i] = scores
            measured.dsp_counts[i], measured.nn_counts[i] = result.dsp_count, result.nn_count
            measured.done = i + 1
            progress((i + 1) / n, f"window {i + 1}/{n} on the board")
        stream_seconds = time.perf_counter() - stream_started
        progress(1.0, f"benchmarking {bench_runs} runs")
        bench_started = time.perf_counter()
        bench = (link.client.bench(bench_runs, timeout=bench_timeout(bench_runs, stream_seconds, n - start))
                 if bench_runs > 0 else None)
        per_run = (time.perf_counter() - bench_started) / bench_runs if bench_runs > 0 else 0.0
        stack = link.client.stack()
    except (RunnerError, OSError) as exc:  # OSError: the serial link itself broke (pty or socket closed)
        state = "the board process exited" if link.exited() else str(exc) or type(exc).__name__
        raise BoardStopped(state, measured) from None
    unit = info.counter_kind.label
    return Session(
        info=info,
        measured=measured,
        bench=None if bench is None else {
            "runs": bench.runs, "unit": unit,
            "nn": {"min": bench.nn_min, "mean": bench.nn_mean, "max": bench.nn_max},
            "dsp": {"min": bench.dsp_min, "mean": bench.dsp_mean, "max": bench.dsp_max},
        },
        stack_peak=int(stack.peak_bytes),
        stream_seconds=stream_seconds,
        streamed=n - start,
        transfer=plan.describe(n),
        compute_seconds=min(stream_seconds, per_run * (n - start)),
    )
