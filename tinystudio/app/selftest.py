"""The self-test: the whole chain a user walks, in a temporary project, through the same use cases the
app and the CLI call: new project, recordings from the simulated board, split, a tiny training, int8
quantization, C code generation and a deploy to the emulated board (or the host board, or skipped with a
note when neither can be built here). Each step is timed and reported as it ends."""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tinystudio.app import boards, capture, codegen, compress, deploy, split, train
from tinystudio.core.errors import UserError
from tinystudio.core.store import Project

ACTIVITIES = ("pendulum", "abduction")
"""Two of the simulated board's activities, recorded as two labels."""
RECORDINGS = 5  # per label: enough for a train, a validation and a test side
SECONDS = 2.0  # per recording: a few windows each
RATIOS = "60,20,20"  # five recordings per label split 3 / 1 / 1
EPOCHS = 8
BOARDS = ("mps2-an386", "host")  # tried in this order


@dataclass
class Step:
    """One step's outcome: ``status`` is PASS, FAIL or SKIP; ``detail`` says what it did or what failed."""

    name: str
    status: str
    seconds: float
    detail: str


@dataclass
class SelfTest:
    """The steps' shared state and results."""

    folder: Path
    board: str | None = None
    steps: list[Step] = field(default_factory=list)
    project: Project | None = None
    state: dict[str, Any] = field(default_factory=dict)

    @property
    def passed(self) -> bool:
        return bool(self.steps) and all(s.status != "FAIL" for s in self.steps)


def _new_project(t: SelfTest) -> str:
    t.project = Project.create(t.folder / "selftest.tsproj")
    return str(t.project.path)


def _capture(t: SelfTest) -> str:
    assert t.project is not None
    ids = []
    for _ in range(RECORDINGS):
        for activity in ACTIVITIES:
            got = capture.record(t.project, capture.SIMULATED_PORT, activity, SECONDS, activity=activity)
            if got.error:
                raise UserError(got.error)
            ids.extend(got.sample_ids or [got.sample_id])
    counts = capture.label_counts(t.project)
    rate = t.project.sample_info(ids[0]).rate_hz
    return (f"{len(ids)} recordings of {SECONDS:g} s at {rate:g} Hz: "
            + ", ".join(f"{label} {n}" for label, n in sorted(counts.items())))


def _split(t: SelfTest) -> str:
    assert t.project is not None
    report = split.split(t.project, RATIOS)
    totals = {s: sum(row.get(s, 0) for row in report.counts.values()) for s in ("train", "validation", "test")}
    if not totals["test"] or not totals["train"]:
        raise UserError(f"the split left a side empty: {totals}")
    return ", ".join(f"{k} {v}" for k, v in totals.items())


def _train(t: SelfTest) -> str:
    assert t.project is not None
    impulse = train.with_changes(train.default_impulse(t.project), epochs=EPOCHS)
    result = train.train(t.project, impulse, name="selftest")
    t.state["run_id"] = result.run_id
    if result.test is None:
        raise UserError("the trained model has no test windows")
    return (f"run {result.run_id}: {impulse.dsp.block} + {impulse.model.preset}, {result.metrics['params']} "
            f"parameters, test accuracy {result.test.accuracy:.0%} on {result.test.count} windows")


def _int8(t: SelfTest) -> str:
    assert t.project is not None
    (variant_id,) = compress.compress_run(t.project, t.state["run_id"], ["ptq"], compress.DEFAULTS)
    t.state["variant_id"] = variant_id
    size = len(t.project.variant_tflite(variant_id))
    return f"variant {variant_id}: int8 post-training quantization, {size:,} bytes of .tflite"


def _codegen(t: SelfTest) -> str:
    assert t.project is not None
    report = codegen.variant_to_c(t.project, t.state["variant_id"], t.folder / "model-c")
    missing = [f for f in report.files if not (t.folder / "model-c" / f).is_file()]
    if missing:
        raise UserError(f"code generation did not write {', '.join(missing)}")
    return (f"{len(report.files)} C files, {len(report.ops)} ops ({', '.join(report.ops_used)}), "
            f"arena {report.arena_bytes:,} B, weights {report.weights_bytes:,} B")


def choose_board(wanted: str | None = None) -> tuple[str | None, str]:
    """The board to deploy to (``wanted``, else the first of BOARDS whose tools are here) and why not others."""
    notes = []
    for name in (wanted,) if wanted else BOARDS:
        problem = boards.missing_tools(name)
        if problem is None:
            return name, "; ".join(notes)
        notes.append(f"{name}: {problem}")
    return None, "; ".join(notes)


def _deploy(t: SelfTest) -> str:
    assert t.project is not None
    board = t.state["board"]
    result = deploy.deploy_model(t.project, board, variant_id=t.state["variant_id"])
    r = result.results
    if not r.get("complete"):
        raise UserError("the deploy stored only a partial result")
    nn = r["latency"]["nn"]
    return (f"{r['target_title']}: {r['windows']} test windows, on-device accuracy {r['accuracy']:.0%}, "
            f"agreement with the host {r['agreement']:.0%}, NN mean {nn['mean']:,.0f} {nn['unit']}")


STEPS: tuple[tuple[str, Callable[[SelfTest], str]], ...] = (
    ("new project", _new_project),
    ("simulated capture", _capture),
    ("split", _split),
    ("train", _train),
    ("int8", _int8),
    ("codegen", _codegen),
    ("deploy", _deploy),
)


def run_selftest(
    folder: Path | None = None,
    *,
    board: str | None = None,
    on_step: Callable[[Step], None] | None = None,
) -> SelfTest:
    """Run every step in ``folder`` (default: a new temporary folder, left for the caller to remove);
    ``on_step`` hears each result as it ends. After a failed step the rest are skipped."""
    folder = Path(folder) if folder is not None else Path(tempfile.mkdtemp(prefix="tinystudio-selftest-"))
    folder.mkdir(parents=True, exist_ok=True)
    test = SelfTest(folder, board)
    failed = False
    try:
        for name, fn in STEPS:
            started = time.perf_counter()
            if failed:
                step = Step(name, "SKIP", 0.0, "an earlier step failed")
            elif name == "deploy" and "board" not in test.state:
                chosen, note = choose_board(board)
                if chosen is None:
                    step = Step(name, "SKIP", time.perf_counter() - started, f"no board can be built here ({note})")
                else:
                    test.state["board"] = chosen
                    step = _run(name, fn, test, started)
            else:
                step = _run(name, fn, test, started)
            failed = failed or step.status == "FAIL"
            test.steps.append(step)
            if on_step is not None:
                on_step(step)
    finally:
        if test.project is not None:
            test.project.close()
    return test


def _run(name: str, fn: Callable[[SelfTest], str], test: SelfTest, started: float) -> Step:
    try:
        detail = fn(test)
    except UserError as exc:
        return Step(name, "FAIL", time.perf_counter() - started, str(exc))
    except Exception as exc:  # a bug: the self-test reports it instead of stopping
        return Step(name, "FAIL", time.perf_counter() - started, f"unexpected error: {exc!r}")
    return Step(name, "PASS", time.perf_counter() - started, detail)
