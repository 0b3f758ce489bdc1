"""Split: assign train/validation/test (stratified by label, whole recordings and groups on one side),
with the default ratios and seed that both front ends offer."""

from __future__ import annotations

from collections.abc import Sequence

from tinystudio.app.project import summarise
from tinystudio.core.split import DEFAULT_RATIOS, SplitReport, assign_splits, parse_ratios
from tinystudio.core.store import Project

__all__ = ["DEFAULT_RATIOS_TEXT", "DEFAULT_SEED", "SplitReport", "label_split_counts", "split"]

DEFAULT_RATIOS_TEXT = ",".join(f"{r * 100:g}" for r in DEFAULT_RATIOS)
"""The default ratios as the user types them (``70,15,15``)."""
DEFAULT_SEED = 0


def split(
    project: Project,
    ratios: str | Sequence[float] = DEFAULT_RATIOS,
    *,
    rebalance: bool = False,
    seed: int = DEFAULT_SEED,
) -> SplitReport:
    """Give every unassigned sample a split (``rebalance``: the automatic ones again; manual moves stay).

    ``ratios`` is a triple of numbers or text such as ``70,15,15``.
    """
    fractions = parse_ratios(ratios) if isinstance(ratios, str) else ratios
    return assign_splits(project, fractions, rebalance=rebalance, seed=seed)


def label_split_counts(project: Project) -> dict[str, dict[str, int]]:
    """Samples per label (``(unlabelled)`` for none) and split (``unassigned`` for none), labels sorted."""
    return {label or "(unlabelled)": row for label, row in summarise(project)["labels"].items()}
