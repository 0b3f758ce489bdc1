"""The search loop: Optuna asks for points, trials run on an executor (local processes or Ray), and each
outcome is told back.

Accuracy first: the presets run first (``space.preset_trials``, enqueued: the Train step's defaults and a
forest the size of the usual baseline), then the first half of the trials is sampled for validation
accuracy alone, so the search looks for the most accurate model before it trades accuracy for size. The
rest is multi-objective (maximise accuracy; minimise flash, RAM and latency) and starts from everything
measured so far. Each finished point is told to both studies, so neither phase forgets the other's.

A point already measured (or running) is not trained again: the sampler hears the cached figures and the
trial budget goes to new points. A point whose flash is over the budget before training (its int8 weights
alone) is pruned without training; a measured point over the budget is kept as infeasible (Optuna's
constraints), so the sampler learns to avoid it and the Pareto front holds only points within the budget.
"""

from __future__ import annotations

import json
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
ACCURACY_FIRST = 0.5
"""Share of the trials (at least the presets) sampled for accuracy alone before the multi-objective phase."""
MAX_REPEATS = 200
"""Repeated points the sampler may propose in a row before the search ends (a small space is exhausted)."""
OBJECTIVES = ("accuracy", "flash", "ram", "latency")


def make_study(seed: int, first: list[dict[str, Any]] | None = None, multi: bool = True) -> Any:
    """A reproducible study (Optuna loads here): multi-objective, or for accuracy alone; ``first`` are
    parameter sets run before any sampled point."""
    import optuna

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    first = first or []
    startup = min(8, max(len(first) + RANDOM_AFTER_PRESETS, 4))
    sampler = optuna.samplers.TPESampler(seed=seed, n_startup_trials=startup)
    directions = ["maximize", "minimize", "minimize", "minimize"] if multi else ["maximize"]
    study = optuna.create_study(directions=directions, sampler=sampler)
    for params in first:
        study.enqueue_trial(params)
    return study


def point_key(params: dict[str, Any]) -> str:
    """The identity of a point: its resolved parameters (two draws that resolve alike are one point)."""
    return json.dumps(params, sort_keys=True)


class Sampling:
    """The two studies of the search (see module docstring) behind one ask/tell."""

    def __init__(self, seed: int, first: list[dict[str, Any]], accuracy_trials: int) -> None:
        self.accuracy = make_study(seed, first, multi=False)
        self.multi = make_study(seed + 1, None, multi=True)
        self.accuracy_trials = max(len(first), accuracy_trials)
        self.asked = 0
        self._owner: dict[int, Any] = {}

    def ask(self) -> Any:
        study = self.accuracy if self.asked < self.accuracy_trials else self.multi
        self.asked += 1
        trial = study.ask()
        self._owner[id(trial)] = study
        return trial

    def tell(self, trial: Any, values: list[float] | None, constraints: dict[str, float] | None = None,
             state: Any = None) -> None:
        """Tell ``trial`` its figures (``values`` in ``OBJECTIVES`` order) or ``state`` (pruned, failed);
        measured figures are added to the other study as a finished trial."""
        import optuna

        owner = self._owner.pop(id(trial))
        if values is None:
            owner.tell(trial, state=state)
            return
        for key, value in (constraints or {}).items():
            trial.set_constraint(key, value)
        owner.tell(trial, values if owner is self.multi else values[:1])
        other = self.multi if owner is self.accuracy else self.accuracy
        other.add_trial(optuna.trial.create_trial(
            params=trial.params, distributions=trial.distributions,
            values=values if other is self.multi else values[:1],
            system_attrs={f"constraints:{k}": v for k, v in (constraints or {}).items()}))


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
    sampling = Sampling(seed, preset_trials(facts, families, compressions), int(trials * ACCURACY_FIRST + 0.5))
    outcomes: list[TrialOutcome] = []
    pending: dict[Future[TrialOutcome], tuple[Any, str]] = {}
    waiting: dict[str, list[Any]] = {}  # repeats of a running point, told when it finishes
    known: dict[str, TrialOutcome] = {}
    asked = repeats = 0

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

    def tell(trial: Any, outcome: TrialOutcome) -> None:
        if outcome.state in (COMPLETE, INFEASIBLE) and outcome.measured:
            over = budget.violations(float(outcome.flash_bytes or 0), float(outcome.ram_bytes or 0),
                                     float(outcome.latency_ms or 0))
            sampling.tell(trial, [float(outcome.accuracy or 0.0), float(outcome.flash_bytes or 0),
                                  float(outcome.ram_bytes or 0), float(outcome.latency_ms or 0.0)],
                          dict(zip(("flash", "ram", "latency"), over, strict=True)))
        elif outcome.state == PRUNED:
            sampling.tell(trial, None, state=TrialState.PRUNED)
        else:
            sampling.tell(trial, None, state=TrialState.FAIL)

    try:
        progress(0.0, f"searching {trials} points on {latency.board}, {executor.workers} at a time")
        while asked < trials or pending:
            while asked < trials and len(pending) < executor.workers:
                cancel.raise_if_cancelled()
                trial = sampling.ask()
                params = suggest(trial, facts, families, compressions)
                key = point_key(params)
                if key in known or key in waiting:  # measured or running already: not trained twice
                    repeats += 1
                    if key in known:
                        tell(trial, known[key])
                    else:
                        waiting[key].append(trial)
                    if repeats >= MAX_REPEATS:
                        trials = asked
                        progress(1.0, f"the space holds no new point after {asked} trials")
                        break
                    continue
                repeats = 0
                number, asked = asked, asked + 1
                impulse = impulse_for(params, facts.base, int(settings["epochs"]))
                floor = flash_floor(params, facts, impulse)
                if budget.flash_bytes is not None and floor > budget.flash_bytes:
                    outcome = TrialOutcome(number, params, PRUNED,
                                           note=f"int8 weights alone {floor} B > flash budget {budget.flash_bytes} B")
                    known[key] = outcome
                    tell(trial, outcome)
                    record(outcome)
                    continue
                waiting[key] = []
                pending[executor.submit(number, params, settings)] = (trial, key)
            if not pending:
                continue
            done, _ = wait(list(pending), timeout=0.25, return_when=FIRST_COMPLETED)
            if cancel.cancelled:
                executor.cancel()
                raise Cancelled("search cancelled")
            for future in done:
                trial, key = pending.pop(future)
                outcome = future.result()
                known[key] = outcome
                for t in [trial, *waiting.pop(key, [])]:
                    tell(t, outcome)
                record(outcome)
    finally:
        executor.close()
    outcomes.sort(key=lambda o: o.number)
    return TuneResult(latency.board, budget, outcomes, str(settings.get("evaluation", "")), latency.to_dict())
