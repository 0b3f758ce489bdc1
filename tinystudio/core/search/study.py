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

The same seed gives the same search whatever the workers and whichever trial finishes first: the sampler
hears results in trial order (a trial that finishes early waits until every earlier one is told) and asks
for point k only once the training points before k - ``LOOKAHEAD`` are told, so what it knows at each ask
is fixed. Up to ``LOOKAHEAD`` points train at once (more workers wait); each trains with its own seed,
derived from the search's seed and its number (``trial_seed``).
"""

from __future__ import annotations

import hashlib
import json
from collections import deque
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, wait
from dataclasses import dataclass
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
    reference_trial,
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
LOOKAHEAD = 4
"""Points training while the sampler has not heard them, whatever the workers: four keeps the local default
(half the cores) busy on most machines while each ask still sees all but the last few results."""


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


class SearchCancelled(Cancelled):
    """Cancel during a search, carrying what finished before it (``result``) so it can still be stored."""

    def __init__(self, result: TuneResult) -> None:
        super().__init__("search cancelled")
        self.result = result


def trial_seed(seed: int, number: int) -> int:
    """The training seed of trial ``number``: derived from the search's seed, so a trial trains alike on every
    run whichever worker takes it, and trials differ from each other (31 bits suit every library's seed)."""
    digest = hashlib.blake2b(f"{int(seed)}/{int(number)}".encode(), digest_size=4).digest()
    return int.from_bytes(digest, "big") & 0x7FFF_FFFF


@dataclass
class _Untold:
    """A sampler trial waiting to be told: the figures of search trial ``number`` (its own or, for a repeat
    of a point not yet told, its twin's)."""

    trial: Any
    number: int
    key: str
    trains: bool
    """Whether this trial is the one training the point (it holds a place of the look-ahead)."""


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
    ahead: int = LOOKAHEAD,
    progress: Progress | None = None,
    cancel: CancelToken | None = None,
    on_trial: Callable[[TrialOutcome], None] | None = None,
) -> TuneResult:
    """Run ``trials`` points of the space on ``executor``; the outcomes and their Pareto front.

    ``settings`` is sent to every trial (epochs, evaluation, base impulse) with the trial's own seed; the
    budget and latency model are added here. Results are told to the sampler in trial order, at most
    ``ahead`` points training untold (see module docstring), so the same seed gives the same search on any
    number of workers. ``on_trial`` hears each outcome as it finishes. Cancel stops running trials and
    raises SearchCancelled with the trials finished so far."""
    from optuna.trial import TrialState

    if not 1 <= trials <= MAX_TRIALS:
        raise UserError(f"the number of trials must be between 1 and {MAX_TRIALS}, got {trials}")
    progress = progress or no_progress
    cancel = cancel or CancelToken()
    ahead = max(1, int(ahead))
    settings = {**settings, "budget": {"flash_bytes": budget.flash_bytes, "ram_bytes": budget.ram_bytes,
                                       "latency_ms": budget.latency_ms}, "latency": latency.to_dict()}
    presets = preset_trials(facts, families, compressions)
    sampling = Sampling(seed, presets, int(trials * ACCURACY_FIRST + 0.5))
    outcomes: list[TrialOutcome] = []
    running: dict[Future[TrialOutcome], int] = {}
    finished: dict[int, TrialOutcome] = {}  # by trial number, told or not
    untold: deque[_Untold] = deque()  # in the order asked: told in that order
    training: dict[str, int] = {}  # points training or trained but not yet told: their trial number
    told: dict[str, TrialOutcome] = {}  # points the sampler has heard
    asked = repeats = training_untold = 0

    def result() -> TuneResult:
        return TuneResult(latency.board, budget, sorted(outcomes, key=lambda o: o.number),
                          str(settings.get("evaluation", "")), latency.to_dict(), len(presets),
                          reference_trial(presets))

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

    def ask() -> None:
        """One ask of the sampler: a pruned point or a repeat of a told one is told at once; a new point
        starts training and a repeat of an untold one waits for it, both told in turn."""
        nonlocal asked, repeats, trials, training_untold
        trial = sampling.ask()
        params = suggest(trial, facts, families, compressions)
        key = point_key(params)
        if key in told or key in training:  # measured or training already: not trained twice
            repeats += 1
            if key in told:
                tell(trial, told[key])
            else:
                untold.append(_Untold(trial, training[key], key, trains=False))
            if repeats >= MAX_REPEATS:
                trials = asked
                progress(1.0, f"the space holds no new point after {asked} trials")
            return
        repeats = 0
        number, asked = asked, asked + 1
        impulse = impulse_for(params, facts.base, int(settings["epochs"]))
        floor = flash_floor(params, facts, impulse)
        if budget.flash_bytes is not None and floor > budget.flash_bytes:
            outcome = TrialOutcome(number, params, PRUNED,
                                   note=f"int8 weights alone {floor} B > flash budget {budget.flash_bytes} B")
            told[key] = outcome
            tell(trial, outcome)
            record(outcome)
            return
        training[key] = number
        training_untold += 1
        untold.append(_Untold(trial, number, key, trains=True))
        running[executor.submit(number, params, {**settings, "seed": trial_seed(seed, number)})] = number

    try:
        progress(0.0, f"searching {trials} points on {latency.board}, {min(executor.workers, ahead)} at a time")
        while True:
            while asked < trials and training_untold < ahead:
                cancel.raise_if_cancelled()
                ask()
            if not untold:  # every point asked and told
                break
            head = untold[0]
            while head.number not in finished:  # later trials that finish first wait in ``finished``
                done, _ = wait(list(running), timeout=0.25, return_when=FIRST_COMPLETED)
                if cancel.cancelled:
                    executor.cancel()
                    raise SearchCancelled(result())
                for future in done:
                    outcome = future.result()
                    finished[running.pop(future)] = outcome
                    record(outcome)
            untold.popleft()  # one at a time: the next ask must not depend on how many others finished
            outcome = finished[head.number]
            tell(head.trial, outcome)
            if head.trains:
                training_untold -= 1
                told[head.key] = outcome
                training.pop(head.key, None)
    except Cancelled as exc:
        if isinstance(exc, SearchCancelled):
            raise
        executor.cancel()
        raise SearchCancelled(result()) from None
    finally:
        executor.close()
    return result()
