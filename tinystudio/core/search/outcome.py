"""What a search produces: the budget, each trial's measured outcome, and the Pareto front of the trials
within the budget (most accurate first)."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from typing import Any

COMPLETE, INFEASIBLE, PRUNED, FAILED = "complete", "over budget", "pruned", "failed"


@dataclass(frozen=True)
class Budget:
    """Limits a point must meet; None means no limit."""

    flash_bytes: int | None = None
    ram_bytes: int | None = None
    latency_ms: float | None = None

    def violations(self, flash: float, ram: float, latency_ms: float) -> list[float]:
        """How far each figure is over its limit (<= 0: within), as Optuna's constraints read them."""
        return [flash - self.flash_bytes if self.flash_bytes is not None else 0.0,
                ram - self.ram_bytes if self.ram_bytes is not None else 0.0,
                latency_ms - self.latency_ms if self.latency_ms is not None else 0.0]

    def why_over(self, flash: float, ram: float, latency_ms: float) -> str:
        """The figures over the budget, in words ('' when within)."""
        over = []
        if self.flash_bytes is not None and flash > self.flash_bytes:
            over.append(f"flash {int(flash)} B > {self.flash_bytes} B")
        if self.ram_bytes is not None and ram > self.ram_bytes:
            over.append(f"RAM {int(ram)} B > {self.ram_bytes} B")
        if self.latency_ms is not None and latency_ms > self.latency_ms:
            over.append(f"latency {latency_ms:.3g} ms > {self.latency_ms:g} ms")
        return ", ".join(over)


@dataclass
class TrialOutcome:
    """One trial: its parameters (an impulse plus the compression), state, and figures when measured.

    ``accuracy`` is the objective: the grouped cross-validation mean when the search used it, else the
    int8 model's validation accuracy."""

    number: int
    params: dict[str, Any]
    state: str
    accuracy: float | None = None
    int8_accuracy: float | None = None
    float_accuracy: float | None = None
    flash_bytes: int | None = None
    ram_bytes: int | None = None
    latency_ms: float | None = None
    macs: int | None = None
    evaluation: str = ""
    note: str = ""
    seconds: float = 0.0
    details: dict[str, Any] = field(default_factory=dict)
    seed: int | None = None
    """The seed the point trained with (None in searches stored before trials had their own), so training
    the point again gives the model that was measured."""

    @property
    def measured(self) -> bool:
        return self.accuracy is not None and self.flash_bytes is not None

    def describe(self) -> str:
        """The point in a few words: window, DSP, model and compression."""
        p = self.params
        model = p["family"] + ("" if not p.get("model_params") else
                               " " + ",".join(f"{k}={_short(v)}" for k, v in sorted(p["model_params"].items())))
        return f"{p['window_ms']:g} ms, {p['dsp']}, {model}, {p['compression']}"

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "description": self.describe()}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TrialOutcome:
        data = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        return cls(**data)


def _short(value: Any) -> str:
    if isinstance(value, list):
        return "x".join(str(v) for v in value)
    return f"{value:g}" if isinstance(value, float) else str(value)


def dominates(a: TrialOutcome, b: TrialOutcome) -> bool:
    """``a`` is at least as good as ``b`` on accuracy, flash, RAM and latency, and better on one."""
    ka = (-(a.accuracy or 0.0), a.flash_bytes or 0, a.ram_bytes or 0, a.latency_ms or 0.0)
    kb = (-(b.accuracy or 0.0), b.flash_bytes or 0, b.ram_bytes or 0, b.latency_ms or 0.0)
    return all(x <= y for x, y in zip(ka, kb, strict=True)) and ka != kb


def pareto_front(trials: list[TrialOutcome]) -> list[TrialOutcome]:
    """The measured trials within the budget that no other such trial dominates, most accurate first
    (ties: smaller flash first)."""
    ok = [t for t in trials if t.state == COMPLETE and t.measured]
    front = [t for t in ok if not any(dominates(o, t) for o in ok if o is not t)]
    return sorted(front, key=lambda t: (-(t.accuracy or 0.0), t.flash_bytes or 0, t.number))


def fold_scores(outcome: TrialOutcome) -> list[float]:
    """A point's grouped fold accuracies ([] on the validation split)."""
    return [float(a) for a in outcome.details.get("cv_accuracies") or []]


def _mean_and_se(values: list[float]) -> tuple[float, float] | None:
    if len(values) < 2:
        return None
    mean = sum(values) / len(values)
    return mean, math.sqrt(sum((a - mean) ** 2 for a in values) / (len(values) - 1) / len(values))


def standard_error(outcome: TrialOutcome) -> float | None:
    """Standard error of a point's grouped score: the sample standard deviation of its fold accuracies over
    the square root of their count (None without two folds or more, as on the validation split)."""
    stats = _mean_and_se(fold_scores(outcome))
    return None if stats is None else stats[1]


def paired_gain(point: TrialOutcome, reference: TrialOutcome) -> tuple[float, float] | None:
    """How much ``point`` beats ``reference`` on the same folds: the mean and standard error of the fold by
    fold differences, or None when the two were not scored on the same held-out groups.

    Pairing takes out what the folds share (one person is simply harder to recognise than another), which
    dominates the spread of either point's own scores: with three people two points' scores may each spread
    over 20 points while one beats the other on every fold by 2."""
    a, b = fold_scores(point), fold_scores(reference)
    held_a, held_b = point.details.get("cv_held_out"), reference.details.get("cv_held_out")
    if len(a) != len(b) or (held_a is not None and held_b is not None and held_a != held_b):
        return None
    return _mean_and_se([x - y for x, y in zip(a, b, strict=True)])


def best_preset(trials: list[TrialOutcome], presets: int) -> TrialOutcome | None:
    """The most accurate preset within the budget (the first ``presets`` trials), or None."""
    safe = [t for t in trials if t.number < presets and t.state == COMPLETE and t.measured]
    return max(safe, key=lambda t: (t.accuracy or 0.0, -(t.flash_bytes or 0), -t.number)) if safe else None


def reference_point(trials: list[TrialOutcome], presets: int, reference: int | None) -> TrialOutcome | None:
    """The point the recommendation starts from: trial ``reference`` when it was measured within the budget,
    else the best preset (None without either)."""
    ref = next((t for t in trials if t.number == reference and t.state == COMPLETE and t.measured), None)
    return ref if ref is not None else best_preset(trials, presets)


def convincing(point: TrialOutcome, reference: TrialOutcome) -> bool:
    """``point``'s score beats ``reference``'s by more than one standard error: of the fold by fold
    differences when both were scored on the same folds (``paired_gain``), else of ``point``'s own fold
    scores."""
    gain = (point.accuracy or 0.0) - (reference.accuracy or 0.0)  # the scores, int8 loss included
    paired = paired_gain(point, reference)
    se = paired[1] if paired is not None else standard_error(point)
    return se is not None and gain > se


def table_rows(trials: list[TrialOutcome], presets: int, reference: int | None) -> list[TrialOutcome]:
    """The points offered to train, most accurate first: the Pareto front and, with grouped scores, the
    recommendation's anchor (``reference_point``) when a point off the front is: a smaller point that scored
    as well by a margin the folds cannot confirm does not push the reference out of sight."""
    front = pareto_front(trials)
    anchor = reference_point(trials, presets, reference)
    if anchor is None or anchor in front or not fold_scores(anchor):
        return front
    return sorted([*front, anchor], key=lambda t: (-(t.accuracy or 0.0), t.flash_bytes or 0, t.number))


def recommended_index(rows: list[TrialOutcome], trials: list[TrialOutcome], presets: int,
                      reference: int | None = None) -> int:
    """The row of ``rows`` (``table_rows``, most accurate first) to train when the user names none.

    A grouped score from few people is noisy, and the most accurate of many points is the luckiest as much as
    the best. So the search's reference point (``reference_point``: on motion data a forest that scored
    above the usual baseline on other data; else the best preset) is kept unless a point beats it
    convincingly (``convincing``: fold by fold, by more than one standard error of the differences); then
    the most accurate such point. Without fold scores or a reference: the most accurate point."""
    if not rows:
        return 0
    anchor = reference_point(trials, presets, reference)
    if anchor is None or anchor not in rows or not fold_scores(rows[0]):
        return 0
    better = next((i for i, t in enumerate(rows) if t is not anchor and convincing(t, anchor)), None)
    return better if better is not None else rows.index(anchor)


@dataclass
class TuneResult:
    """All trials, the Pareto front (most accurate first), the board and budget they were measured for.

    ``presets``: how many of the first trials were the presets (0 in searches stored before it was kept);
    ``reference``: the trial the recommendation starts from (None: the best preset, as in searches stored
    before it was kept)."""

    board: str
    budget: Budget
    trials: list[TrialOutcome]
    evaluation: str
    latency: dict[str, Any] = field(default_factory=dict)
    presets: int = 0
    reference: int | None = None

    @property
    def front(self) -> list[TrialOutcome]:
        return pareto_front(self.trials)

    @property
    def rows(self) -> list[TrialOutcome]:
        """What the table offers (``table_rows``): the front and, when it is off the front, the reference."""
        return table_rows(self.trials, self.presets, self.reference)

    @property
    def recommended(self) -> int:
        """The 1-based row of ``rows`` trained when no row is chosen (``recommended_index``)."""
        return recommended_index(self.rows, self.trials, self.presets, self.reference) + 1

    def to_dict(self) -> dict[str, Any]:
        return {
            "board": self.board,
            "budget": asdict(self.budget),
            "evaluation": self.evaluation,
            "latency_model": self.latency,
            "trials": [t.to_dict() for t in self.trials],
            "pareto": [t.number for t in self.front],
            "rows": [t.number for t in self.rows],
            "presets": self.presets,
            "reference": self.reference,
            "recommended": self.recommended if self.rows else None,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TuneResult:
        return cls(str(data["board"]), Budget(**data.get("budget") or {}),
                   [TrialOutcome.from_dict(t) for t in data.get("trials") or []], str(data.get("evaluation", "")),
                   dict(data.get("latency_model") or {}), int(data.get("presets") or 0),
                   None if data.get("reference") is None else int(data["reference"]))
