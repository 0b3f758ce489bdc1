"""Streaming the test split through a launched board, one INFER per window, then BENCH and STACK.

What the board measured so far is kept in ``Measured`` (scores, DSP and NN counts, bit-exactness and
feature error per window), so a board that stops mid-test leaves a partial result that a later run
continues from the first window not yet measured, instead of starting again.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from tinystudio.core.errors import UserError
from tinystudio.core.progress import CancelToken, Progress
from tinystudio.device.runner_client import RunnerError

if TYPE_CHECKING:
    from tinystudio.core.classical.reference import TreeReference
    from tinystudio.core.int8_reference import Int8Reference
    from tinystudio.device.runner_protocol import HelloInfo
    from tinystudio.targets.base import BoardLink

INFER_TIMEOUT_S = 30.0


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
    """A completed stream: the board's HELLO, every window, BENCH and STACK."""

    info: HelloInfo
    measured: Measured
    bench: dict[str, Any] | None
    stack_peak: int
    stream_seconds: float
    streamed: int  # windows measured by this session (the others came from a partial result)


def test_windows(raw: np.ndarray, host_features: np.ndarray, reference: Int8Reference | TreeReference,
                 device_dsp: bool) -> list[bytes]:
    """What the board takes per test window: float32 samples when it runs the DSP block, else the int8
    (or float32, for trees) model input the reference quantizes the host's features to."""
    if device_dsp:
        return [w.astype(np.float32).tobytes() for w in raw]
    host_int8 = reference.quantize(host_features.reshape(len(raw), -1))
    return [w.tobytes() for w in host_int8]


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
) -> Session:
    """Talk to the launched board from window ``measured.done`` on; raises BoardStopped if it stops.

    ``host_scores`` are the int8 reference's scores of ``host_features``, what a bit-exact board gives."""
    n = len(raw)
    start = measured.done
    try:
        info = link.client.hello(timeout=10.0)
        if info.model_hash != model_hash:
            raise UserError(f"the board runs model {info.model_hash}, not the one just built ({model_hash})")
        windows = test_windows(raw, host_features, reference, device_dsp) if link.bulk_windows != n else []
        stream_started = time.perf_counter()
        for i in range(start, n):
            cancel.raise_if_cancelled()
            if not link.alive():
                raise RunnerError("the board process exited")
            if windows:
                result = link.client.infer(windows[i], timeout=INFER_TIMEOUT_S)
            else:  # the window is in the board's memory since launch
                result = link.client.infer_at(i, timeout=INFER_TIMEOUT_S)
            if result.status != 0:
                raise UserError(f"the model failed on the board (status {result.status}) at test window {i + 1}")
            scores = np.frombuffer(result.output, dtype=np.int8)
            if device_dsp:
                feats = np.frombuffer(link.client.features(), dtype=np.float32)
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
        bench = link.client.bench(bench_runs, timeout=INFER_TIMEOUT_S * 4) if bench_runs > 0 else None
        stack = link.client.stack()
    except (RunnerError, OSError) as exc:  # OSError: the serial link itself broke (pty or socket closed)
        state = "the board process exited" if not link.alive() else str(exc) or type(exc).__name__
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
    )
