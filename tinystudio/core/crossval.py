"""Grouped k-fold cross-validation: every group (person, session, device; a recording without a group is
its own) is held out once, the model is trained on the others and scored on it, and the folds' accuracies
are reported as a mean and a spread.

On a small project one test split holds a person or two, so its accuracy swings with who they are; the
spread over folds shows how far one figure can be trusted. Each fold trains on a copy of the project whose
split is the fold (held-out groups as ``test``, the rest as ``train``, no validation), so a fold is fitted by
exactly the function that trains the project's own split. The fitter is a parameter: any model family that
trains on a project's train split and scores its test split can be cross-validated the same way.
"""

from __future__ import annotations

import math
import random
import tempfile
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tinystudio.core.errors import UserError
from tinystudio.core.progress import CancelToken, Progress, no_progress

if TYPE_CHECKING:
    from tinystudio.core.store import Project, SampleInfo

RUN_KIND = "crossval"
"""Kind of the stored run that holds a cross-validation's results (no model)."""
MAX_DEFAULT_FOLDS = 5
"""Folds by default: one per group up to this many groups (leave one group out), else this many."""
LEAVE_ONE_OUT = "leave-one-group-out"
GROUP_K_FOLD = "grouped k-fold"


@dataclass
class Fold:
    """One fold: which groups are held out, and how many recordings train and score."""

    index: int
    k: int
    held_out: list[str]
    train_samples: int
    test_samples: int
    unseen: list[str] = field(default_factory=list)
    """Labels only the held-out groups have: the fold's model never saw them, so their windows count as wrong."""


@dataclass
class FoldScore:
    """What a fitter reports for one fold: accuracy on the held-out windows (int8 when it measured one)."""

    accuracy: float
    windows: int = 0
    int8_accuracy: float | None = None
    details: dict[str, Any] = field(default_factory=dict)


FoldFit = Callable[["Project", Fold, Any, Progress, CancelToken], FoldScore]
"""Fit and score one fold: (fold project with train/test set, fold, the caller's config, progress, cancel)."""


@dataclass
class CrossValResult:
    """Per-fold scores with their mean and spread, the way the folds were made, and the stored run id."""

    method: str
    k: int
    seed: int
    folds: list[Fold]
    scores: list[FoldScore]
    config: dict[str, Any] = field(default_factory=dict)
    run_id: int | None = None

    def accuracies(self, int8: bool = False) -> list[float]:
        if int8:
            return [s.int8_accuracy for s in self.scores if s.int8_accuracy is not None]
        return [s.accuracy for s in self.scores]

    def summary(self, int8: bool = False) -> dict[str, float] | None:
        """Mean, standard deviation (population, over folds), min and max accuracy; None without folds."""
        acc = self.accuracies(int8)
        if not acc:
            return None
        mean = sum(acc) / len(acc)
        std = math.sqrt(sum((a - mean) ** 2 for a in acc) / len(acc))
        return {"mean": mean, "std": std, "min": min(acc), "max": max(acc)}

    def to_dict(self) -> dict[str, Any]:
        return {
            "method": self.method,
            "k": self.k,
            "seed": self.seed,
            "folds": [{**asdict(f), **asdict(s)} for f, s in zip(self.folds, self.scores, strict=True)],
            "accuracy": self.summary(),
            "int8_accuracy": self.summary(int8=True),
            "config": self.config,
            "run_id": self.run_id,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any], run_id: int | None = None) -> CrossValResult:
        folds, scores = [], []
        try:
            for row in data["folds"]:
                folds.append(Fold(int(row["index"]), int(row["k"]), [str(g) for g in row["held_out"]],
                                  int(row["train_samples"]), int(row["test_samples"]),
                                  [str(label) for label in row.get("unseen") or []]))
                int8 = row.get("int8_accuracy")
                scores.append(FoldScore(float(row["accuracy"]), int(row.get("windows", 0)),
                                        None if int8 is None else float(int8), dict(row.get("details") or {})))
            return cls(str(data["method"]), int(data["k"]), int(data["seed"]), folds, scores,
                       dict(data.get("config") or {}), run_id if run_id is not None else data.get("run_id"))
        except (KeyError, TypeError, ValueError) as exc:
            raise UserError(f"the stored cross-validation is damaged ({exc})") from None


def _unit_names(samples: Sequence[SampleInfo]) -> dict[int, str]:
    """Each sample's unit: its group, else its recording, named by the first sample holding it: copies of one
    recording (imported twice) are one recording, or a held-out copy would be in training too."""
    first: dict[str, int] = {}
    for s in sorted(samples, key=lambda s: s.id):
        if not s.group:
            first.setdefault(s.content_hash or str(s.id), s.id)
    return {s.id: s.group if s.group else f"recording {first[s.content_hash or str(s.id)]}" for s in samples}


def fold_units(samples: Sequence[SampleInfo], k: int | None = None, seed: int = 0) -> tuple[list[list[str]], str]:
    """Groups (or recordings without a group) dealt into ``k`` folds of about equal size, and the method.

    ``k`` defaults to one fold per group up to five groups (leave one group out), else five. Groups are
    dealt largest first, each to the fold with the fewest recordings so far; ties follow ``seed``.
    """
    size: Counter[str] = Counter(_unit_names(samples).values())
    n = len(size)
    if n < 2:
        raise UserError(f"cross-validation needs recordings from at least two groups (people, sessions) or "
                        f"two recordings; this project has {n}")
    folds = min(MAX_DEFAULT_FOLDS, n) if k is None else int(k)
    if folds < 2 or folds > n:
        raise UserError(f"the number of folds must be between 2 and {n} (the number of groups), got {k}")
    units = sorted(size)
    random.Random(seed).shuffle(units)
    units.sort(key=lambda u: -size[u])  # stable: the shuffle orders groups of one size
    out: list[list[str]] = [[] for _ in range(folds)]
    load = [0] * folds
    for unit in units:
        i = min(range(folds), key=lambda j: (load[j], j))
        out[i].append(unit)
        load[i] += size[unit]
    return [sorted(f) for f in out], (LEAVE_ONE_OUT if folds == n else GROUP_K_FOLD)


def cross_validate(
    project: Project,
    config: Any,
    k: int | None = None,
    progress: Progress | None = None,
    cancel: CancelToken | None = None,
    *,
    fit: FoldFit | None = None,
    seed: int = 0,
    include_test: bool = True,
) -> CrossValResult:
    """Hold each fold's groups out in turn, fit on the rest with ``fit`` (default: the neural network of
    the impulse ``config``, trained as the Train step trains) and score on them.

    Uses every labelled, complete recording (``include_test=False`` leaves the test split aside). The
    project itself is not changed; storing the result is the caller's choice (``store``).
    """
    progress = progress or no_progress
    cancel = cancel or CancelToken()
    fit = fit or fit_neural
    samples = [s for s in project.samples() if s.label and s.status == "complete"
               and (include_test or s.split != "test")]
    if not samples:
        raise UserError("the project has no labelled recordings to cross-validate")
    units, method = fold_units(samples, k, seed)
    by_unit: dict[str, list[int]] = defaultdict(list)
    label_of: dict[int, str] = {}
    unit_of = _unit_names(samples)
    for s in samples:
        by_unit[unit_of[s.id]].append(s.id)
        label_of[s.id] = str(s.label)
    used = {s.id for s in samples}
    others = [s.id for s in project.samples() if s.id not in used]
    folds: list[Fold] = []
    scores: list[FoldScore] = []
    with tempfile.TemporaryDirectory(prefix="tinystudio-cv-") as tmp:
        for i, held in enumerate(units):
            cancel.raise_if_cancelled()
            test_ids = [sid for u in held for sid in by_unit[u]]
            train_ids = [sid for u, ids in by_unit.items() if u not in held for sid in ids]
            unseen = sorted({label_of[t] for t in test_ids} - {label_of[t] for t in train_ids})
            fold = Fold(i, len(units), list(held), len(train_ids), len(test_ids), unseen)
            lo, hi = i / len(units), (i + 1) / len(units)
            progress(lo, f"fold {i + 1}/{len(units)}: holding out {', '.join(held)}")

            def fold_progress(f: float, msg: str, lo: float = lo, hi: float = hi, i: int = i) -> None:
                progress(lo + (hi - lo) * min(1.0, max(0.0, f)), f"fold {i + 1}/{len(units)}: {msg}")

            with project.snapshot(Path(tmp) / f"fold-{i}.tsproj") as copy:
                with copy.transaction():
                    copy.set_split(train_ids, "train", manual=True)
                    copy.set_split(test_ids, "test", manual=True)
                    if others:
                        copy.set_split(others, None, manual=False)
                scores.append(fit(copy, fold, config, fold_progress, cancel))
            folds.append(fold)
    result = CrossValResult(method, len(units), seed, folds, scores, _describe(config))
    acc = result.summary()
    assert acc is not None
    progress(1.0, f"{method}, {len(units)} folds: accuracy {acc['mean']:.3f} ± {acc['std']:.3f}")
    return result


def _describe(config: Any) -> dict[str, Any]:
    to_dict = getattr(config, "to_dict", None)
    if callable(to_dict):
        return {"impulse": to_dict()}
    return {"config": config} if isinstance(config, dict) else {}


def fit_neural(project: Project, fold: Fold, impulse: Any, progress: Progress, cancel: CancelToken) -> FoldScore:
    """The default fitter: train the impulse's neural network on the fold's train split with the Train
    step's own training function and score the held-out windows with the float model; a tree preset is
    fitted and scored by ``core.classical.training.fit_fold`` (the deployed model, nothing stored)."""
    from tinystudio.core.models import is_classical
    from tinystudio.core.training import train

    if is_classical(impulse.model.preset):
        from tinystudio.core.classical.training import fit_fold

        return fit_fold(project, fold, impulse, progress, cancel)

    result = train(project, impulse, progress=progress, cancel=cancel)
    if result.test is None:
        raise UserError(f"fold {fold.index + 1} has no windows to score: the held-out recordings are "
                        "shorter than one window")
    return FoldScore(result.test.accuracy, result.test.count,
                     details={"epochs_run": result.metrics.get("epochs_run")})


def fit_neural_int8(project: Project, fold: Fold, impulse: Any, progress: Progress,
                    cancel: CancelToken) -> FoldScore:
    """``fit_neural``, then int8 post-training quantization of the fold's model (the Compress step's own),
    scored on the same held-out windows: the float and the int8 accuracy of every fold. Only PTQ: choosing
    between PTQ and QAT by their accuracy would look at the held-out windows. A tree preset has no int8
    form (its deployed model is the one ``fit_neural`` scores), so its folds carry no int8 figure."""
    from tinystudio.core.compress import compress
    from tinystudio.core.models import is_classical
    from tinystudio.core.training import train

    if is_classical(impulse.model.preset):
        return fit_neural(project, fold, impulse, progress, cancel)

    result = train(project, impulse, progress=lambda f, m: progress(0.8 * f, m), cancel=cancel)
    if result.test is None:
        raise UserError(f"fold {fold.index + 1} has no windows to score: the held-out recordings are "
                        "shorter than one window")
    variant = compress(project, result.run_id, "ptq", None, lambda f, m: progress(0.8 + 0.2 * f, m), cancel)
    metrics = next(v["metrics"] for v in project.variants(result.run_id) if v["id"] == variant)
    int8 = metrics.get("test_accuracy")
    return FoldScore(result.test.accuracy, result.test.count, None if int8 is None else float(int8),
                     details={"epochs_run": result.metrics.get("epochs_run")})


def store(project: Project, result: CrossValResult, name: str = "") -> int:
    """Keep ``result`` in the project as a run of kind ``crossval`` (no model); returns its id."""
    result.run_id = None
    run_id = project.add_run(RUN_KIND, result.config, result.to_dict(), {}, None, name=name)
    result.run_id = run_id
    return run_id


def latest(project: Project) -> CrossValResult | None:
    """The project's most recent stored cross-validation, or None."""
    runs = project.runs(RUN_KIND)
    if not runs:
        return None
    return CrossValResult.from_dict(runs[-1].metrics, runs[-1].id)
