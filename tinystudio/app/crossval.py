"""Cross-validate: grouped k-fold (leave groups out) on the project's labelled recordings with the current
impulse, stored in the project so the Train page shows it again after reopening. The Train page's
Cross-validate button and ``tinystudio crossval`` call the same function and store the same result."""

from __future__ import annotations

from typing import Any

from tinystudio.app.train import complete
from tinystudio.core import crossval as core
from tinystudio.core.crossval import CrossValResult, FoldFit
from tinystudio.core.impulse import ImpulseConfig
from tinystudio.core.progress import CancelToken, Progress
from tinystudio.core.store import Project

__all__ = ["CrossValResult", "cross_validate", "latest", "lines", "summary", "warnings"]


def cross_validate(
    project: Project,
    impulse: ImpulseConfig,
    k: int | None = None,
    *,
    progress: Progress | None = None,
    cancel: CancelToken | None = None,
    fit: FoldFit | None = None,
    int8: bool = False,
    name: str = "",
) -> CrossValResult:
    """Cross-validate ``impulse`` (folds dealt with its seed) and store the result as a ``crossval`` run.

    ``k`` defaults to one fold per group up to five groups, else five (see ``core.crossval``). ``int8``
    also quantizes each fold's model (post-training) and scores it.
    """
    impulse = complete(impulse.validate())
    if fit is None and int8:
        fit = core.fit_neural_int8
    result = core.cross_validate(project, impulse, k, progress, cancel, fit=fit, seed=impulse.model.seed)
    core.store(project, result, name)
    return result


def latest(project: Project) -> CrossValResult | None:
    """The project's last stored cross-validation (None when there is none)."""
    return core.latest(project)


def summary(result: CrossValResult) -> dict[str, Any]:
    """The CLI's JSON object: method, folds with held-out groups and accuracy, mean and spread."""
    out = result.to_dict()
    out.pop("config", None)
    return out


def lines(result: CrossValResult) -> list[str]:
    """The result as a small table for people: one row per fold, then mean ± std (min to max)."""
    rows = [f"{result.method}, {result.k} folds (seed {result.seed})",
            f"{'fold':>4}  {'accuracy':>8}  {'int8':>6}  {'windows':>7}  {'train':>5}  held out"]
    for fold, score in zip(result.folds, result.scores, strict=True):
        int8 = "-" if score.int8_accuracy is None else f"{score.int8_accuracy:.3f}"
        rows.append(f"{fold.index + 1:>4}  {score.accuracy:>8.3f}  {int8:>6}  {score.windows:>7}  "
                    f"{fold.train_samples:>5}  {', '.join(fold.held_out)}")
    acc = result.summary()
    if acc is not None:
        rows.append(f"accuracy {acc['mean']:.3f} ± {acc['std']:.3f} (min {acc['min']:.3f}, max {acc['max']:.3f})")
    int8 = result.summary(int8=True)
    if int8 is not None:
        rows.append(f"int8 accuracy {int8['mean']:.3f} ± {int8['std']:.3f} (min {int8['min']:.3f}, "
                    f"max {int8['max']:.3f})")
    rows.extend(f"warning: {text}" for text in warnings(result))
    return rows


def warnings(result: CrossValResult) -> list[str]:
    """Folds whose held-out groups alone have a label: the accuracy there says nothing about the model."""
    return [f"fold {fold.index + 1} holds out every recording of {', '.join(repr(u) for u in fold.unseen)}: "
            "its model never saw that label, so those windows count as wrong; record each label with more "
            "than one group" for fold in result.folds if fold.unseen]
