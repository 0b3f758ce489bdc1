"""The search loop: an Optuna multi-objective study (maximise accuracy; minimise flash, RAM and latency)
asks for points, trials run on an executor (local processes or Ray), and each outcome is told back.

The presets come first (``space.preset_trials``, enqueued), so the search starts from what the Train
step's defaults reach; the sampler then models the space from them after a couple of random points.

A point whose flash is over the budget before training (its int8 weights alone) is pruned without
training; a measured point over the budget is kept as infeasible (Optuna's constraints), so the sampler
learns to avoid it and the Pareto front holds only points within the budget.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, wait
from typing import Any

from tinystudio.core.errors import Cancelled, UserError
from tinystudio.core.progress import CancelToken, Progress, no_progress
from tinystudio.core.search.executors import TrialExecutor
from tinystudio.core.search.latency import LatencyModel
from tinystudio.core.search.outcome import COMPLETE, INFEASIBLE, PRUNED, Budget, TrialOutcome, TuneResult
from tinystudio.core.search.space import (
    COMPRESSIONS,
    DataFacts,
    flash_floor,
    impulse_for,
    preset_trials,
    suggest,
)

MAX_TRIALS = 10_000


RANDOM_AFTER_PRESETS = 2
"""Random points after the enqueued presets before the sampler models the space (at most 8 in all)."""


def make_study(seed: int, first: list[dict[str, Any]] | None = None) -> Any:
    """A reproducible multi-objective study with the budget as constraints (Optuna loads here); ``first``
    are parameter sets run before any sampled point."""
    import optuna

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    first = first or []
    startup = min(8, max(len(first) + RANDOM_AFTER_PRESETS, 4))
    sampler = optuna.samplers.TPESampler(seed=seed, n_startup_trials=startup)
    study = optuna.create_study(directions=["maximize", "minimize", "minimize", "minimize"], sampler=sampler)
    for params in first:
        study.enqueue_trial(params)
    return study


def search(
    facts: DataFacts,
    executor: TrialExecutor,
    settings: dict[str, Any],
    budget: Budget,
    latency: LatencyModel,
    *,
    trials: int,
    families: list[str],
    compressions: tuple[str, ...] = COMPRESSIONS,
    seed: int = 0,
    progress: Progress | None = None,
    cancel: CancelToken | None = None,
    on_trial: Callable[[TrialOutcome], None] | None = None,
) -> TuneResult:
    """Run ``trials`` points of the space on ``executor``; the outcomes and their Pareto front.

    ``settings`` is sent to every trial (epochs, evaluation, base impulse); the budget and latency model are
    added here. ``on_trial`` hears each outcome as it arrives. Cancel stops running trials and raises
    Cancelled."""
    from optuna.trial import TrialState

    if not 1 <= trials <= MAX_TRIALS:
        raise UserError(f"the number of trials must be between 1 and {MAX_TRIALS}, got {trials}")
    progress = progress or no_progress
    cancel = cancel or CancelToken()
    settings = {**settings, "budget": {"flash_bytes": budget.flash_bytes, "ram_bytes": budget.ram_bytes,
                                       "latency_ms": budget.latency_ms}, "latency": latency.to_dict()}
    study = make_study(seed, preset_trials(facts, families, compressions))
    outcomes: list[TrialOutcome] = []
    pending: dict[Future[TrialOutcome], Any] = {}
    asked = 0

    def record(outcome: TrialOutcome) -> None:
        outcomes.append(outcome)
        done = len(outcomes)
        acc = f"accuracy {outcome.accuracy:.3f}, " if outcome.accuracy is not None else ""
        figures = (f"flash {outcome.flash_bytes} B, RAM {outcome.ram_bytes} B, {outcome.latency_ms:.3g} ms"
                   if outcome.flash_bytes is not None and outcome.latency_ms is not None else "")
        progress(done / trials, f"trial {outcome.number + 1}/{trials} {outcome.state}: {outcome.describe()}"
                 + (f" -> {acc}{figures}" if acc or figures else "") + (f" ({outcome.note})" if outcome.note else ""))
        if on_trial is not None:
            on_trial(outcome)

    try:
        progress(0.0, f"searching {trials} points on {latency.board}, {executor.workers} at a time")
        while asked < trials or pending:
            while asked < trials and len(pending) < executor.workers:
                cancel.raise_if_cancelled()
                trial = study.ask()
                params = suggest(trial, facts, families, compressions)
                asked += 1
                impulse = impulse_for(params, facts.base, int(settings["epochs"]))
                floor = flash_floor(params, facts, impulse)
                if budget.flash_bytes is not None and floor > budget.flash_bytes:
                    study.tell(trial, state=TrialState.PRUNED)
                    record(TrialOutcome(trial.number, params, PRUNED,
                                        note=f"int8 weights alone {floor} B > flash budget {budget.flash_bytes} B"))
                    continue
                pending[executor.submit(trial.number, params, settings)] = trial
            if not pending:
                continue
            done, _ = wait(list(pending), timeout=0.25, return_when=FIRST_COMPLETED)
            if cancel.cancelled:
                executor.cancel()
                raise Cancelled("search cancelled")
            for future in done:
                trial = pending.pop(future)
                outcome = future.result()
                if outcome.state in (COMPLETE, INFEASIBLE) and outcome.measured:
                    over = budget.violations(float(outcome.flash_bytes or 0), float(outcome.ram_bytes or 0),
                                             float(outcome.latency_ms or 0))
                    for key, value in zip(("flash", "ram", "latency"), over, strict=True):
                        trial.set_constraint(key, value)
                    study.tell(trial, [float(outcome.accuracy or 0.0), float(outcome.flash_bytes or 0),
                                       float(outcome.ram_bytes or 0), float(outcome.latency_ms or 0.0)])
                else:
                    study.tell(trial, state=TrialState.FAIL)
                record(outcome)
    finally:
        executor.close()
    outcomes.sort(key=lambda o: o.number)
    return TuneResult(latency.board, budget, outcomes, str(settings.get("evaluation", "")), latency.to_dict())
