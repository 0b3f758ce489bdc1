"""Tune: search window length, DSP block, model family and size, and compression for the most accurate
models that fit a board (flash, RAM, latency), then train a chosen point of the Pareto front as a new run
whose int8 variant is marked for deploy. The Train page's Tune panel and ``tinystudio tune`` share it.

Accuracy is grouped cross-validation (leave groups out; one group per fold with five groups or fewer) when
the project has recordings from three groups or more, else the int8 model's validation accuracy. The point
trained by default is the search's reference (on motion data extremely randomised trees on window statistics;
else the best preset) unless a point beats it fold by fold by more than one standard error of the differences
(``TuneResult.recommended``): with few people the top score is partly luck. The result is
stored as a run of kind ``tune`` (no model), so the panel shows it again after reopening.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

from tinystudio.app.train import default_impulse
from tinystudio.app.train import train as train_impulse
from tinystudio.app.variants import mark_for_deploy
from tinystudio.core.errors import UserError
from tinystudio.core.progress import CancelToken, Progress, no_progress
from tinystudio.core.search import Budget, TrialOutcome, TuneResult
from tinystudio.core.search.space import (
    COMPRESSIONS,
    DEFAULT_FAMILIES,
    FAMILIES,
    DataFacts,
    check_families,
    impulse_for,
)
from tinystudio.core.store import Project
from tinystudio.targets.latency_table import latency_model
from tinystudio.targets.registry import board_spec

__all__ = ["COMPRESSIONS", "DEFAULT_FAMILIES", "FAMILY_NAMES", "RUN_KIND", "Picked", "TrialOutcome", "TuneOptions",
           "TuneResult", "latest", "pick_point", "recommendation", "table_lines", "train_point", "tune"]

FAMILY_NAMES = tuple(FAMILIES)
"""The model families the search knows (what --families and the panel's check boxes offer)."""
RUN_KIND = "tune"
GROUPED_MIN_GROUPS = 3
"""Groups needed for the search to score points by grouped cross-validation instead of the validation split."""
FEW_GROUPS = 5
"""At most this many groups outside the test split: each point is scored leaving one group out at a time (every
person is a fold, so no fold's score rests on which people happened to be paired)."""


@dataclass
class TuneOptions:
    """What the user sets: board, trials, budget (None: the board's own), where trials run, training length."""

    target: str = "mps2-an386"
    trials: int = 20
    budget_flash: int | None = None
    budget_ram: int | None = None
    max_latency_ms: float | None = None
    ray_address: str | None = None
    workers: int | None = None
    epochs: int | None = None
    """Training epochs per trial; None: the suggested impulse's own (its preset's, as the Train step trains)."""
    qat_epochs: int | None = None
    families: list[str] | None = None
    compressions: tuple[str, ...] = COMPRESSIONS
    seed: int = 0
    cv_folds: int = 3
    evaluation: str = "auto"
    """``auto`` (grouped when there are enough groups), ``grouped`` or ``validation``."""


def default_workers() -> int:
    """Local trials at once: half the cores (each trial trains with TensorFlow's own threads)."""
    return max(1, (os.cpu_count() or 2) // 2)


def _facts(project: Project) -> DataFacts:
    labelled = [s for s in project.samples() if s.label and s.status == "complete"]
    if len({s.label for s in labelled}) < 2:
        raise UserError("tuning needs labelled recordings of at least two labels")
    longest = max(1000.0 * s.frames / s.rate_hz for s in labelled)
    return DataFacts(float(labelled[0].rate_hz), int(labelled[0].axes), len({s.label for s in labelled}),
                     default_impulse(project), longest)


def groups(project: Project, searched_only: bool = False) -> int:
    """How many groups (people, sessions, devices) the labelled recordings come from (``searched_only``:
    those outside the test split, which the search cross-validates on)."""
    return len({s.group for s in project.samples() if s.label and s.status == "complete" and s.group
                and not (searched_only and s.split == "test")})


def _evaluation(project: Project, wanted: str) -> str:
    if wanted not in ("auto", "grouped", "validation"):
        raise UserError(f"evaluation must be auto, grouped or validation, got {wanted!r}")
    if wanted == "grouped" and groups(project, searched_only=True) < 2:
        raise UserError("grouped evaluation needs recordings from at least two groups outside the test split")
    if wanted == "validation":
        _check_validation(project)
    if wanted != "auto":
        return wanted
    enough = groups(project) >= GROUPED_MIN_GROUPS and groups(project, searched_only=True) >= 2
    if enough:
        return "grouped"
    _check_validation(project)
    return "validation"


def _check_validation(project: Project) -> None:
    """Every trial scores on the validation split: without it each would fail alone, blaming the split step."""
    if any(s.label and s.status == "complete" and s.split == "validation" for s in project.samples()):
        return
    hint = ("a group stays in one split, so train, validation and test need three groups: record a third, or "
            "score by grouped cross-validation (--evaluation grouped)" if groups(project, searched_only=True) >= 2
            else "run the split step (a group stays in one split, so train, validation and test need three groups)")
    raise UserError(f"the validation split holds no recordings, so the search has nothing to score on: {hint}")


def budget_for(options: TuneOptions) -> Budget:
    """The user's limits, else the board's flash and RAM (less the stack it keeps)."""
    spec = board_spec(options.target)
    for name, value in (("flash budget", options.budget_flash), ("RAM budget", options.budget_ram),
                        ("latency limit", options.max_latency_ms)):
        if value is not None and not value > 0:
            raise UserError(f"the {name} must be positive, got {value}")
    b = spec.budget
    return Budget(options.budget_flash if options.budget_flash is not None else (b.flash_bytes if b else None),
                  options.budget_ram if options.budget_ram is not None else
                  (b.ram_bytes - b.min_stack_bytes if b else None), options.max_latency_ms)


def tune(
    project: Project,
    options: TuneOptions,
    *,
    progress: Progress | None = None,
    cancel: CancelToken | None = None,
    on_trial: Any = None,
) -> TuneResult:
    """Search (see module docstring) and store the result as a ``tune`` run; returns it."""
    from tinystudio.core.search.executors import LocalExecutor, RayExecutor
    from tinystudio.core.search.study import SearchCancelled, search

    progress = progress or no_progress
    if options.epochs is not None and options.epochs < 1:
        raise UserError(f"epochs must be at least 1, got {options.epochs}")
    spec = board_spec(options.target)
    searched = groups(project, searched_only=True)
    families = check_families(options.families)
    facts = _facts(project)
    evaluation = _evaluation(project, options.evaluation)
    budget = budget_for(options)
    latency = latency_model(spec)
    settings = {"epochs": options.epochs or facts.base.model.epochs, "qat_epochs": options.qat_epochs,
                "seed": options.seed,
                "base_impulse": facts.base.to_dict(), "evaluation": evaluation,
                "cv_folds": searched if searched <= FEW_GROUPS else min(options.cv_folds, max(2, searched))}
    path = str(project.path)
    if options.ray_address:
        executor: Any = RayExecutor(path, options.ray_address, options.workers)
    else:
        executor = LocalExecutor(path, options.workers or default_workers())
    try:
        result = search(facts, executor, settings, budget, latency, trials=options.trials, families=families,
                        compressions=tuple(options.compressions), seed=options.seed, progress=progress,
                        cancel=cancel, on_trial=on_trial)
    except SearchCancelled as exc:
        if exc.result.trials:  # the trials that finished cost time: they are kept
            _store(project, spec.name, options, settings, exc.result, cancelled=True)
        raise
    _store(project, spec.name, options, settings, result)
    return result


def _store(project: Project, board: str, options: TuneOptions, settings: dict[str, Any], result: TuneResult,
           cancelled: bool = False) -> None:
    """Keep ``result`` as a ``tune`` run (a cancelled search: the trials that finished, named so)."""
    data = result.to_dict()
    data["settings"] = {k: v for k, v in settings.items() if k != "base_impulse"}
    data["base_impulse"] = settings["base_impulse"]
    data["cancelled"] = cancelled
    project.add_run(RUN_KIND, {"target": board, "trials": options.trials}, data, {}, None,
                    name=f"tune on {board}" + (" (cancelled)" if cancelled else ""))


def latest(project: Project) -> tuple[TuneResult, dict[str, Any]] | None:
    """The project's last stored search and its stored data (settings, base impulse), or None."""
    runs = project.runs(RUN_KIND)
    if not runs:
        return None
    data = runs[-1].metrics
    return TuneResult.from_dict(data), data


def pick_point(result: TuneResult, pick: int | None = None) -> TrialOutcome:
    """Row ``pick`` (1-based) of the table (``TuneResult.rows``: the Pareto front and the reference); when
    None, the recommended row (the reference point unless another beats it convincingly, see
    ``outcome.recommended_index``)."""
    front = result.rows
    if not front and not any(t.measured for t in result.trials):
        notes = [t.note for t in result.trials if t.note]
        raise UserError("no trial of the search finished" + (f": {notes[0]}" if notes else ""))
    if not front:
        raise UserError("no point of the search fits the budget: loosen it or run more trials")
    n = result.recommended if pick is None else int(pick)
    if not 1 <= n <= len(front):
        raise UserError(f"--pick must be between 1 and {len(front)} (the table's rows), got {n}")
    return front[n - 1]


@dataclass
class Picked:
    """The run trained for a chosen point and its int8 (or tree) variant, marked for deploy."""

    point: TrialOutcome
    run_id: int
    variant_id: int


def train_point(
    project: Project,
    point: TrialOutcome,
    base_impulse: dict[str, Any],
    epochs: int,
    *,
    qat_epochs: int | None = None,
    seed: int | None = None,
    progress: Progress | None = None,
    cancel: CancelToken | None = None,
) -> Picked:
    """Train ``point`` on the project's own split as the newest run, make its variant with the point's
    compression and mark it for deploy, so ``tinystudio deploy PROJECT`` tests exactly this model. ``seed``
    None: the seed the point's trial trained with, so the run is the model the search measured."""
    from tinystudio.core.compress import compress
    from tinystudio.core.compress.options import CompressOptions
    from tinystudio.core.impulse import ImpulseConfig

    progress = progress or no_progress
    if seed is None:
        seed = point.seed if point.seed is not None else 1
    impulse = impulse_for(point.params, ImpulseConfig.from_dict(base_impulse), epochs, seed)
    result = train_impulse(project, impulse, name=f"tuned: {point.describe()}",
                           progress=lambda f, m: progress(0.7 * f, m), cancel=cancel)
    if FAMILIES[point.params["family"]].neural:
        opts = CompressOptions(epochs=int(qat_epochs or max(1, epochs // 3)))
        variant_id = compress(project, result.run_id, point.params["compression"], opts,
                              lambda f, m: progress(0.7 + 0.3 * f, m), cancel)
    else:
        variant_id = int(project.variants(result.run_id)[-1]["id"])
    mark_for_deploy(project, variant_id)
    progress(1.0, f"run {result.run_id} trained, variant {variant_id} marked for deploy")
    return Picked(point, result.run_id, variant_id)


def table_lines(result: TuneResult) -> list[str]:
    """The Pareto front (and the recommendation's anchor when it is off the front) as a small table for
    people (row numbers are what --pick takes)."""
    unit = "ms"
    lines = [f"Pareto front on {result.board} ({result.evaluation} accuracy; latency from the board's latency "
             f"model), {len(result.trials)} trials",
             f"{'#':>2}  {'accuracy':>8}  {'int8 val':>8}  {'float val':>9}  {'flash B':>8}  {'RAM B':>7}  "
             f"{'latency ' + unit:>10}  point"]
    chosen, front = result.recommended, result.front
    for i, t in enumerate(result.rows, 1):
        lines.append(f"{i:>2}{'*' if i == chosen else ' '} {_f(t.accuracy):>8}  {_f(t.int8_accuracy):>8}  "
                     f"{_f(t.float_accuracy):>9}  {t.flash_bytes:>8}  {t.ram_bytes:>7}  "
                     f"{t.latency_ms or 0.0:>10.3f}  {t.describe()}"
                     + ("" if t in front else
                        f"  ({'reference' if t.number == result.reference else 'best preset'}, off the front)"))
    if not result.rows:
        lines.append("   (no point within the budget)")
    else:
        lines.append(f" * trained unless --pick says otherwise: {recommendation(result)}")
    others = [t for t in result.trials if t.state != "complete"]
    for t in others:
        lines.append(f"    trial {t.number + 1} {t.state}: {t.describe()}" + (f" ({t.note})" if t.note else ""))
    return lines


def recommendation(result: TuneResult) -> str:
    """Why the recommended row is the one trained by default, in a few words."""
    from tinystudio.core.search.outcome import convincing, fold_scores, paired_gain, reference_point, standard_error

    front, row = result.rows, result.recommended
    anchor = reference_point(result.trials, result.presets, result.reference)
    if not front or anchor is None or not fold_scores(front[0]):
        return "the most accurate point"
    chosen = front[row - 1]
    what = "the reference forest" if anchor.number == result.reference else "the best preset"
    if chosen is anchor:
        if row == 1:
            return f"the most accurate point, {what}"
        off = "" if chosen in result.front else "; a smaller point scored as well, by a margin the folds cannot confirm"
        return (f"{what}: no point beats it by more than one standard error of the fold by fold differences (the "
                f"most accurate, {_f(front[0].accuracy)}, may be luck with {len(fold_scores(anchor))} folds){off}")
    if convincing(chosen, anchor):
        paired = paired_gain(chosen, anchor)
        se = paired[1] if paired is not None else standard_error(chosen)
        return (f"beats {what} ({_f(anchor.accuracy)}) by more than one standard error"
                + (f" ({se:.3f})" if se is not None else "")
                + (" fold by fold" if paired is not None else ""))
    return "the most accurate point"


def _f(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"
