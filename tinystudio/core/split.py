"""Leakage-free train/validation/test assignment: stratified by label, whole recordings and groups.

A unit of assignment is a whole group (person, session, device) when the sample has a group key, else a
whole recording, so no window and no person can leak from training into testing. Samples already
assigned stay where they are (adding data never moves old data); ``rebalance`` redoes the automatic
assignments, and manual moves always stick.
"""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from tinystudio.core.errors import UserError
from tinystudio.core.store import SPLITS, Project, SampleInfo

DEFAULT_RATIOS: tuple[float, float, float] = (0.70, 0.15, 0.15)
_UNLABELLED = ""


def parse_ratios(text: str) -> tuple[float, float, float]:
    """Parse '70,15,15' (or '0.7,0.15,0.15') into fractions that sum to one."""
    try:
        parts = [float(p) for p in text.replace("/", ",").split(",")]
    except ValueError as exc:
        raise UserError(f"ratios must be three numbers like 70,15,15, got {text!r}") from exc
    return normalise_ratios(parts)


def normalise_ratios(parts: Sequence[float]) -> tuple[float, float, float]:
    if len(parts) != 3 or any(p < 0 or p != p for p in parts) or sum(parts) <= 0:
        raise UserError(f"ratios must be three non-negative numbers for train, validation, test; got {list(parts)}")
    total = float(sum(parts))
    return (parts[0] / total, parts[1] / total, parts[2] / total)


@dataclass
class SplitReport:
    """What a split did: counts per label and split, realised ratios and warnings for the user."""

    ratios: tuple[float, float, float]
    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    moved: int = 0
    warnings: list[str] = field(default_factory=list)

    def realised(self, label: str) -> dict[str, float]:
        row = self.counts.get(label, {})
        total = sum(row.values())
        return {s: (row.get(s, 0) / total if total else 0.0) for s in SPLITS}

    def lines(self) -> list[str]:
        """A human-readable table of the realised ratios per label."""
        out = [f"{'label':<20} " + " ".join(f"{s:>16}" for s in SPLITS)]
        for label in sorted(self.counts):
            row = self.counts[label]
            ratios = self.realised(label)
            cells = " ".join(f"{row.get(s, 0):>6} ({ratios[s] * 100:5.1f}%)" for s in SPLITS)
            out.append(f"{label or '(unlabelled)':<20} {cells}")
        return out


def _unit_key(info: SampleInfo) -> tuple[str, str]:
    return ("group", info.group) if info.group else ("sample", str(info.id))


def assign_splits(
    project: Project,
    ratios: Sequence[float] = DEFAULT_RATIOS,
    rebalance: bool = False,
    seed: int = 0,
) -> SplitReport:
    """Give every unassigned sample a split (all automatic ones again with ``rebalance``)."""
    fractions = normalise_ratios(list(ratios))
    samples = project.samples()
    report = SplitReport(ratios=fractions)

    current: dict[int, str | None] = {
        s.id: (None if rebalance and not s.split_manual else s.split) for s in samples
    }
    units: dict[tuple[str, str], list[SampleInfo]] = defaultdict(list)
    for s in samples:
        units[_unit_key(s)].append(s)

    counts: dict[str, Counter[str]] = {sp: Counter() for sp in SPLITS}
    totals: Counter[str] = Counter()
    for s in samples:
        label = s.label or _UNLABELLED
        totals[label] += 1
        if current[s.id] is not None:
            counts[current[s.id]][label] += 1  # type: ignore[index]

    pending: list[tuple[tuple[str, str], list[SampleInfo]]] = []
    assignment: dict[int, str] = {}
    for key, members in units.items():
        placed = [current[m.id] for m in members if current[m.id] is not None]
        todo = [m for m in members if current[m.id] is None]
        if not todo:
            continue
        if placed:  # the group already lives in a split: its new members join it
            home = Counter(placed).most_common(1)[0][0]
            assert home is not None
            for m in todo:
                assignment[m.id] = home
                counts[home][m.label or _UNLABELLED] += 1
        else:
            pending.append((key, todo))

    rng = random.Random(seed)
    rng.shuffle(pending)
    pending.sort(key=lambda item: -len(item[1]))  # big groups first; stable keeps the shuffle for ties
    for _key, members in pending:
        unit_labels = Counter(m.label or _UNLABELLED for m in members)
        best = _best_split(unit_labels, counts, totals, fractions)
        for m in members:
            assignment[m.id] = best
        counts[best].update(unit_labels)

    moves: dict[str, list[int]] = defaultdict(list)
    for s in samples:
        target = assignment.get(s.id, current[s.id])
        if target != s.split:
            moves[target or ""].append(s.id)
    with project.transaction():
        for split, ids in moves.items():
            project.set_split(ids, split or None, manual=False)
    report.moved = sum(len(v) for v in moves.values())

    for label in totals:
        report.counts[label] = {sp: counts[sp][label] for sp in SPLITS}
    _add_warnings(report, project.samples(), fractions)
    return report


def _best_split(
    unit: Counter[str], counts: dict[str, Counter[str]], totals: Counter[str], fractions: Sequence[float]
) -> str:
    """The split whose per-label deficit this unit fills best (least squared error afterwards)."""
    best, best_cost = SPLITS[0], float("inf")
    for split, frac in zip(SPLITS, fractions, strict=True):
        if frac <= 0:
            continue
        cost = 0.0
        for label, n in unit.items():
            target = frac * totals[label]
            have = counts[split][label]
            cost += (have + n - target) ** 2 - (have - target) ** 2
        if cost < best_cost - 1e-9:
            best, best_cost = split, cost
    return best


def _add_warnings(report: SplitReport, samples: list[SampleInfo], fractions: Sequence[float]) -> None:
    wanted = [sp for sp, f in zip(SPLITS, fractions, strict=True) if f > 0]
    for label, row in sorted(report.counts.items()):
        missing = [sp for sp in wanted if row.get(sp, 0) == 0]
        if missing:
            total = sum(row.values())
            report.warnings.append(
                f"label {label or '(unlabelled)'!r} has {total} recording(s): none in {', '.join(missing)}; "
                "record more for a fair evaluation"
            )
    homes: dict[str, set[str]] = defaultdict(set)
    for s in samples:
        if s.group and s.split:
            homes[s.group].add(s.split)
    for group, splits in sorted(homes.items()):
        if len(splits) > 1:
            report.warnings.append(
                f"group {group!r} is in {', '.join(sorted(splits))} because of manual moves: windows may leak"
            )
