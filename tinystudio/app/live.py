"""Live classification on the board: the deployed image runs on the target and classifies its own sensor
stream window after window; the host keeps the last seconds of signal and predictions and can save a
stretch as a new labelled sample, so what the board got wrong becomes training data.

``prepare_live`` resolves the variant as deploy does and builds (or reuses) the same image; the emulated
boards and the host board get a *tape* at launch, the project's test recordings, which their simulated
sensor plays in a loop (without room for it they play built-in waves, and ``LivePlan.source`` says so).
``run_live`` launches the board, starts live mode and feeds a ``LiveHistory`` until the time is up or the
run is cancelled, then stops the board (no emulator is left behind). ``save_last`` stores the last seconds
through the project's sample store, with a group and split that keep the split honest.
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from tinystudio.app.deploy import resolve_variant
from tinystudio.core.compress.int8 import INPUT_DSP_FEATURES
from tinystudio.core.errors import UserError
from tinystudio.core.labels import check_label
from tinystudio.core.pipeline_data import run_impulse
from tinystudio.core.progress import CancelToken, Progress, no_progress
from tinystudio.core.store import TFLITE_KIND
from tinystudio.device.live_link import LiveLink, LiveSamples, LiveScores, LiveStarted, tape_blob
from tinystudio.device.ringbuffer import RingBuffer
from tinystudio.device.runner_client import DeviceError, RunnerError
from tinystudio.device.runner_protocol import Caps, CounterKind, ErrorCode
from tinystudio.targets import get_target
from tinystudio.targets.base import Connection
from tinystudio.targets.board_files import board_file
from tinystudio.targets.host import HostTarget
from tinystudio.targets.qemu import QemuTarget

if TYPE_CHECKING:
    from tinystudio.core.classical.reference import TreeReference
    from tinystudio.core.dsp import DspBlock
    from tinystudio.core.int8_reference import Int8Reference
    from tinystudio.core.store import Project
    from tinystudio.targets.base import Artifact, BoardLink, Target

HISTORY_S = 30.0  # signal and predictions the host keeps
HOST_TAPE_BYTES = 64 << 20  # the host board maps its tape from a file: a generous cap
LEAD_WINDOWS = 1  # a paced emulated board may be this many windows ahead of the wall clock
FAST_LEAD_WINDOWS = 16  # an emulated board running as fast as it computes: windows ahead of the host's reading,
FAST_LEAD_BYTES = 64 * 1024  # ... and at most about this many bytes of frames (a 16 kHz hop is 32 KB)
LINK_BYTES_PER_S = 50_000  # a slow reading of the board's frames, for the wait on the stop answer
TAPE_SPLIT = "test"


@dataclass(frozen=True)
class TapeSegment:
    """One recording on the tape: frames ``start`` to ``start + frames`` are sample ``sample_id``."""

    sample_id: int
    name: str
    label: str
    group: str | None
    start: int
    frames: int


@dataclass
class LivePlan:
    """What a live run needs: the built image, the pipeline's facts and the host's reference model."""

    variant_id: int
    run_id: int
    board: Target
    artifact: Artifact
    labels: list[str]
    rate_hz: float
    axis_names: list[str]
    units: list[str]
    window_frames: int
    hop_frames: int
    block: DspBlock
    reference: Int8Reference | TreeReference
    output_quant: tuple[float, int]
    tape: np.ndarray | None  # (frames, axes) the simulated sensor plays, or None
    segments: list[TapeSegment] = field(default_factory=list)
    no_tape: str = "no room for the recordings on this board"  # why there is no tape, for people

    @property
    def built_in_waves(self) -> bool:
        """The board's sensor plays its built-in waves: nothing of this project's kind, nothing to keep."""
        return self.tape is None and self.board.spec.bench is None

    @property
    def source(self) -> str:
        """What the board's sensor plays, for people."""
        if self.tape is not None:
            n = len(self.segments)
            return (f"the simulated sensor plays the project's {n} {TAPE_SPLIT} recording{'s' * (n != 1)} "
                    f"({len(self.tape) / self.rate_hz:.4g} s, looped)")
        if self.board.spec.bench is not None:
            return "the board's own sensor"
        return ("the simulated sensor plays its built-in waves, not this project's kind of data "
                f"({self.no_tape}): predictions mean nothing here")

    def truth(self, sample: int) -> str | None:
        """Label of the tape recording that sensor sample ``sample`` (counted from the start) came from."""
        if self.tape is None:
            return None
        pos = sample % len(self.tape)
        for seg in self.segments:
            if seg.start <= pos < seg.start + seg.frames:
                return seg.label
        return None


@dataclass(frozen=True)
class LiveWindow:
    """One window the board classified, as people read it."""

    index: int
    start_s: float  # the window's first and last sample in seconds of signal since the start
    end_s: float
    top: int
    label: str
    score: float  # the top class's probability (dequantized int8 score)
    probabilities: tuple[float, ...]
    dsp_count: int
    nn_count: int
    dsp_ms: float | None
    nn_ms: float | None
    ms_estimate: bool  # emulated instructions converted at the board's clock
    late: int
    host_top: int | None  # the host's int8 reference on the same samples (None when not checked)
    truth: str | None  # the label of the recording the tape played there

    def to_json(self, labels: list[str]) -> dict[str, Any]:
        return {
            "type": "window", "window": self.index, "time_s": round(self.end_s, 4), "top": self.label,
            "score": round(self.score, 4),
            "scores": {name: round(p, 4) for name, p in zip(labels, self.probabilities, strict=False)},
            "dsp_count": self.dsp_count, "nn_count": self.nn_count,
            "dsp_ms": None if self.dsp_ms is None else round(self.dsp_ms, 4),
            "nn_ms": None if self.nn_ms is None else round(self.nn_ms, 4),
            "ms_estimate": self.ms_estimate, "late_slots": self.late,
            "host_top": None if self.host_top is None else labels[self.host_top], "truth": self.truth,
        }


class LiveHistory:
    """The last ``seconds`` of signal and predictions, shared by the thread reading the board and the
    thread drawing them. The signal is kept as the float32 values the board sent."""

    def __init__(self, rate_hz: float, axes: int, seconds: float = HISTORY_S) -> None:
        self.rate_hz = rate_hz
        self.seconds = seconds
        self.signal = RingBuffer(max(1, int(round(seconds * rate_hz))), axes)
        self._windows: deque[LiveWindow] = deque(maxlen=max(16, int(seconds * rate_hz) + 16))
        self._lock = threading.Lock()
        self.gaps = 0  # sample frames lost on the link (a damaged frame)

    def add_samples(self, first: int, frames: np.ndarray) -> None:
        missing = first - self.signal.total
        if missing > 0:  # a lost frame: keep the time axis right with zeros, and count it
            self.gaps += missing
            self.signal.write(np.zeros((missing, frames.shape[1]), dtype=np.float32))
        elif missing < 0:
            frames = frames[-missing:]
        self.signal.write(frames)

    def add_window(self, window: LiveWindow) -> None:
        with self._lock:
            self._windows.append(window)

    def windows(self) -> list[LiveWindow]:
        with self._lock:
            return list(self._windows)

    @property
    def total_frames(self) -> int:
        return self.signal.total

    def last(self, seconds: float) -> tuple[np.ndarray, int]:
        """The last ``seconds`` of signal (fewer at the start) as float32, and the index of its first frame."""
        n = max(0, int(round(seconds * self.rate_hz)))
        frames, total = self.signal.latest(n)
        return frames.astype(np.float32), total - len(frames)


@dataclass(frozen=True)
class LiveSummary:
    """How a live run went."""

    windows: int
    samples: int
    seconds: float
    windows_per_s: float
    agreement: float | None  # share of windows where the board's top class equals the host's
    source: str
    late: int
    gaps: int

    def to_json(self) -> dict[str, Any]:
        return {"type": "summary", "windows": self.windows, "samples": self.samples,
                "seconds": round(self.seconds, 3), "windows_per_s": round(self.windows_per_s, 3),
                "host_agreement": self.agreement, "source": self.source, "late_slots": self.late,
                "lost_samples": self.gaps}


def _tape(project: Project, board: Target, artifact: Artifact, axes: int,
          rate_hz: float) -> tuple[np.ndarray | None, list[TapeSegment], str]:
    """The project's test recordings in order, as many as the board can hold (none for a real board), and
    why there are none when there are none."""
    if isinstance(board, QemuTarget):
        capacity = board.bulk_capacity(artifact)
    elif isinstance(board, HostTarget):
        capacity = HOST_TAPE_BYTES
    else:
        capacity = 0
    room = capacity // (4 * axes)
    parts: list[np.ndarray] = []
    segments: list[TapeSegment] = []
    start = 0
    for info in project.samples():
        if info.split != TAPE_SPLIT or not info.label or int(info.axes) != axes or start >= room:
            continue
        if getattr(info, "status", "complete") != "complete" or abs(float(info.rate_hz) - rate_hz) > 1e-6 * rate_hz:
            continue
        signal = np.asarray(project.load_signal(info.id), dtype=np.float32).reshape(-1, axes)[: room - start]
        if not len(signal) or not np.isfinite(signal).all():
            continue
        parts.append(signal)
        segments.append(TapeSegment(info.id, info.name, info.label, info.group, start, len(signal)))
        start += len(signal)
    if not parts:
        if room <= 0:
            return None, [], "no room for the recordings on this board"
        return None, [], (f"the project has no labelled {TAPE_SPLIT} recording of {axes} "
                          f"ax{'i' if axes == 1 else 'e'}s at {rate_hz:g} Hz to play")
    return np.concatenate(parts), segments, ""


def prepare_live(
    project: Project,
    target: str,
    *,
    variant_id: int | None = None,
    run_id: int | None = None,
    progress: Progress | None = None,
    cancel: CancelToken | None = None,
    connection: Connection | None = None,
) -> LivePlan:
    """Resolve the variant (as deploy does), build its image with the DSP block on the board (the build a
    deploy made is reused) and gather what the live run needs. ``connection``: a real board's serial port
    and probe, when the user names them."""
    from tinystudio.core.classical import TreeModel, emit_c
    from tinystudio.core.classical.reference import TreeReference
    from tinystudio.core.codegen import generate
    from tinystudio.core.dsp import make_block
    from tinystudio.core.int8_reference import Int8Reference

    progress = progress or no_progress
    cancel = cancel or CancelToken()
    chosen = resolve_variant(project, variant_id, run_id, lambda f, m: progress(0.2 * f, m), cancel)
    variant = next(v for v in project.variants() if v["id"] == chosen)
    if variant["config"].get("input") != INPUT_DSP_FEATURES:
        raise UserError(f"variant {chosen} takes standardised features, which the board's DSP block does not "
                        "produce, so it cannot classify its own sensor: quantize the run again")
    if variant.get("run_id") is None:
        raise UserError(f"variant {chosen} is not linked to a training run, so its pipeline is unknown")
    run = project.run(int(variant["run_id"]))
    impulse = run_impulse(run.config)
    labels = list(run.config.get("labels") or [])
    infos = [s for s in project.samples() if s.label]
    if not infos or not labels:
        raise UserError("the project has no labelled samples, so the board's sensor rate is unknown")
    rate = float(run.config.get("rate_hz") or infos[0].rate_hz)
    axis_names = list(infos[0].axis_names)
    units = list(infos[0].units)
    from tinystudio.core.windows import ms_to_frames

    frames = int(run.config.get("window_frames") or ms_to_frames(impulse.window.window_ms, rate))
    hop = min(frames, ms_to_frames(impulse.window.stride_ms, rate))
    block = make_block(impulse.dsp.block, impulse.dsp.params, rate, frames, len(axis_names))
    board = get_target(target)
    if connection is not None and (connection.port or connection.probe):
        if board.spec.bench is None:
            raise UserError(f"a serial port or probe is given only for a real board; {board.name} is not one")
        board.connection = connection
    model_dir = project.cache_dir / "deploy" / f"variant-{chosen}" / "model"
    reference: Int8Reference | TreeReference
    progress(0.2, "generating C from the model")
    if variant.get("kind", TFLITE_KIND) == TFLITE_KIND:
        tflite = project.variant_tflite(chosen)
        reference = Int8Reference(tflite)
        generate(tflite, model_dir, name=f"variant_{chosen}", cancel=cancel)
    else:
        trees = TreeModel.from_json(project.variant_model_json(chosen))
        reference = TreeReference(trees)
        emit_c(trees, model_dir, name=f"variant_{chosen}")
    cancel.raise_if_cancelled()
    artifact = board.build(model_dir, project.cache_dir / "firmware", lambda f, m: progress(0.25 + 0.7 * f, m),
                           cancel, dsp=block)
    tape, segments, no_tape = _tape(project, board, artifact, len(axis_names), rate)
    quant = reference.output_quant
    progress(1.0, f"built for {board.title}")
    return LivePlan(chosen, int(variant["run_id"]), board, artifact, labels, rate, axis_names, units, frames, hop,
                    block, reference, (float(quant[0]), int(quant[1])), tape, segments, no_tape)


def _launch(plan: LivePlan) -> BoardLink:
    """Start the board with the tape in its memory (emulated) or as a file it maps (host board)."""
    board = plan.board
    if plan.tape is None:
        return board.launch(plan.artifact)
    blob = tape_blob(plan.tape)
    if isinstance(board, QemuTarget):
        return board.launch(plan.artifact, memory=blob)
    if isinstance(board, HostTarget):
        path = board_file(plan.artifact.build_dir, "tape", blob)
        try:
            link = board.launch(plan.artifact, sensor_tape=path)
        except BaseException:
            path.unlink(missing_ok=True)
            raise
        link.temp_files.append(path)
        return link
    return board.launch(plan.artifact)


def to_ms(count: int, kind: CounterKind, clock_hz: int) -> tuple[float | None, bool]:
    """A counter reading in milliseconds and whether that is an estimate (emulated instructions)."""
    if kind is CounterKind.MICROSECONDS:
        return count / 1000.0, False
    if not clock_hz:
        return None, False
    return count / clock_hz * 1000.0, kind is CounterKind.INSTRUCTIONS


class _Reader:
    """Turns the board's live frames into history and ``LiveWindow`` records."""

    def __init__(self, plan: LivePlan, history: LiveHistory, kind: CounterKind, clock_hz: int,
                 check_host: bool, on_window: Callable[[LiveWindow], None] | None) -> None:
        self.plan, self.history, self.kind, self.clock_hz = plan, history, kind, clock_hz
        self.check_host, self.on_window = check_host, on_window
        self.windows = 0
        self.agree = 0
        self.late = 0

    def feed(self, event: LiveSamples | LiveScores) -> None:
        if isinstance(event, LiveSamples):
            self.history.add_samples(event.first, event.frames)
            return
        plan = self.plan
        if event.status != 0:
            raise UserError(f"the model failed on the board (status {event.status}) in live window {event.index + 1}")
        scale, zero = plan.output_quant
        probs = tuple(float(p) for p in (event.scores.astype(np.float64) - zero) * scale)
        host_top = None
        if self.check_host:
            frames, first = self.history.last(plan.window_frames / plan.rate_hz)
            if first + len(frames) == event.end_sample and len(frames) == plan.window_frames:
                features = plan.block.transform(frames[None, ...])
                host_top = int(np.argmax(plan.reference.outputs(features)[0]))
                self.agree += host_top == event.top
        dsp_ms, estimate = to_ms(event.dsp_count, self.kind, self.clock_hz)
        nn_ms, _ = to_ms(event.nn_count, self.kind, self.clock_hz)
        top = min(event.top, len(plan.labels) - 1)
        window = LiveWindow(
            index=event.index, start_s=(event.end_sample - plan.window_frames) / plan.rate_hz,
            end_s=event.end_sample / plan.rate_hz, top=top, label=plan.labels[top],
            score=probs[top] if top < len(probs) else 0.0, probabilities=probs, dsp_count=event.dsp_count,
            nn_count=event.nn_count, dsp_ms=dsp_ms, nn_ms=nn_ms, ms_estimate=estimate, late=event.late,
            host_top=host_top, truth=plan.truth(event.end_sample - 1),
        )
        self.windows += 1
        self.late = event.late
        self.history.add_window(window)
        if self.on_window is not None:
            self.on_window(window)


def run_live(
    plan: LivePlan,
    history: LiveHistory,
    *,
    seconds: float | None = None,
    paced: bool = True,
    check_host: bool = True,
    on_window: Callable[[LiveWindow], None] | None = None,
    on_started: Callable[[LiveStarted], None] | None = None,
    cancel: CancelToken | None = None,
) -> LiveSummary:
    """Launch the board, classify live until ``seconds`` pass or ``cancel`` is set (a normal stop: the
    summary is returned), then stop the board.

    ``paced``: the signal comes at its true rate (a real or host board reads its sensor on its own clock; an
    emulated board, whose time is not the wall clock, is let one window ahead of it at a time); otherwise an
    emulated board runs as fast as it computes (its live rate). ``check_host``: run the host's int8 reference
    on the same samples for each window (``LiveWindow.host_top``)."""
    cancel = cancel or CancelToken()
    link = _launch(plan)
    try:
        info = link.client.hello(timeout=10.0)
        if info.caps and not info.caps & Caps.LIVE:  # a board naming its capabilities; older ones are asked
            raise UserError(f"the firmware on {plan.board.name} has no live mode: deploy again to update it")
        live = LiveLink(link.port)
        emulated = info.counter_kind is CounterKind.INSTRUCTIONS
        # A board whose sensor has no real time (emulated) or that reads it as fast as it computes (not paced)
        # is never let far ahead of the host: paced to the wall clock, or at most a few windows ahead of what
        # the host has read, so a stop is answered at once. A paced board's own clock sets the pace.
        hop_bytes = 40 + 4 * plan.hop_frames * len(plan.axis_names)  # the samples and the window frame
        fast_lead = max(2, min(FAST_LEAD_WINDOWS, FAST_LEAD_BYTES // hop_bytes))
        credit = 0 if paced and not emulated else LEAD_WINDOWS if paced else fast_lead
        try:
            started = live.start(plan.hop_frames, 1.0 / plan.rate_hz, len(plan.axis_names),
                                 paced=paced and not emulated, credit=credit)
        except DeviceError as exc:
            if exc.code == ErrorCode.UNKNOWN:
                raise UserError(f"the firmware on {plan.board.name} has no live mode: deploy again to update it") \
                    from None
            raise
        if on_started is not None:
            on_started(started)
        reader = _Reader(plan, history, info.counter_kind, info.clock_hz, check_host, on_window)
        hop_s = plan.hop_frames / plan.rate_hz
        granted = credit
        t0 = time.monotonic()
        while not cancel.cancelled and (seconds is None or time.monotonic() - t0 < seconds):
            if not link.alive():
                raise UserError(f"{plan.board.name} stopped during live classification")
            for event in live.read(0.1):
                reader.feed(event)
            if credit:
                due = (LEAD_WINDOWS + int((time.monotonic() - t0) / hop_s) if paced
                       else fast_lead + reader.windows)
                # a fast board is granted windows in batches: each grant costs it a request over the slow
                # host-to-board direction of the link
                if due > granted and (paced or due - granted >= fast_lead // 2):
                    live.grant(due - granted)
                    granted = due
        elapsed = time.monotonic() - t0
        # the stop's answer comes after the frames already on their way: as many as the credit allows
        events, counts = live.stop(timeout=5.0 + max(1, credit) * hop_bytes / LINK_BYTES_PER_S)
        for event in events:
            reader.feed(event)
        link.client.bye()
    except (RunnerError, OSError) as exc:
        if link.exited():
            raise UserError(f"{plan.board.name} stopped during live classification") from None
        if isinstance(exc, OSError):  # the link itself broke: a cable pulled or a board reset
            raise UserError(f"{plan.board.name} stopped during live classification: {exc}") from None
        raise UserError(f"live classification on {plan.board.name} failed: {exc}") from None
    finally:
        link.close()
    checked = reader.windows if check_host else 0
    return LiveSummary(
        windows=reader.windows, samples=int(counts["samples"]), seconds=elapsed,
        windows_per_s=reader.windows / elapsed if elapsed > 0 else 0.0,
        agreement=(reader.agree / checked) if checked else None, source=plan.source, late=reader.late,
        gaps=history.gaps,
    )


def too_short(plan: LivePlan, summary: LiveSummary) -> str | None:
    """Why a run classified no window, when the board read less than one window of signal (the first
    window needs a whole one); None otherwise, so "0 windows" never stands unexplained."""
    if summary.windows or summary.samples >= plan.window_frames:
        return None
    window_s = plan.window_frames / plan.rate_hz
    return (f"the run was shorter than one window ({1000.0 * window_s:g} ms), so nothing was classified: "
            f"run it for at least {math.ceil(window_s) + 1} s")


def _played(plan: LivePlan, first: int, frames: int) -> list[TapeSegment]:
    """The tape recordings that sensor samples ``first`` to ``first + frames`` came from (the tape loops)."""
    assert plan.tape is not None
    length = len(plan.tape)
    if frames >= length:
        return list(plan.segments)
    a = first % length
    spans = [(a, a + frames)] if a + frames <= length else [(a, length), (0, a + frames - length)]
    return [seg for seg in plan.segments if any(seg.start < hi and lo < seg.start + seg.frames for lo, hi in spans)]


def check_saveable(plan: LivePlan) -> None:
    """A UserError when what the board classifies is not worth keeping: its built-in waves."""
    if plan.built_in_waves:
        raise UserError(f"the board plays its built-in waves, not recordings of this project ({plan.no_tape}): "
                        "they would teach the model nothing, so they are not saved")


def save_last(project: Project, plan: LivePlan, history: LiveHistory, seconds: float, label: str,
              *, session: str | None = None) -> int:
    """Store the last ``seconds`` of the board's signal as a new sample labelled ``label``; its id.

    A stretch the tape played comes from test recordings: it keeps their split (test) and, when it comes
    from one group, that group, so it never leaks into training. A stretch of a real sensor gets the live
    session's group (``session``), so every stretch of one session lands on the same side of the split."""
    label = check_label(label)
    check_saveable(plan)
    if not seconds > 0:
        raise UserError("save at least a fraction of a second")
    signal, first = history.last(seconds)
    if not len(signal):
        raise UserError("nothing to save yet: the board has sent no signal")
    split: str | None = None
    group = f"live-{plan.board.name}-{session or time.strftime('%Y%m%d-%H%M%S')}"
    if plan.tape is not None:
        split = TAPE_SPLIT
        groups = {seg.group or f"sample-{seg.sample_id}" for seg in _played(plan, first, len(signal))}
        if len(groups) == 1:
            group = groups.pop()
    name = f"live {plan.board.name} {time.strftime('%Y-%m-%d %H:%M:%S')}"
    return project.add_sample(signal, plan.rate_hz, plan.axis_names, label, units=plan.units, group=group,
                              source="live", name=name, split=split)
