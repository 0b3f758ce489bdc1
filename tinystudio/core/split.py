"""Leakage-free train/validation/test assignment: stratified by label, whole recordings and groups.

A unit of assignment is a whole group (person, session, device) when the sample has a group key, else a
whole recording, so no window and no person can leak from training into testing. With at least as many
groups as splits, every split gets at least one group first (a test split without a person of its own
would say nothing about new people). Samples already assigned stay where they are (adding data never
moves old data); ``rebalance`` redoes the automatic assignments, and manual moves always stick. The
warnings name the cause: too few groups, or too few recordings or groups of one label.
"""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from collections.abc import Collection, Sequence
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
    """What stays on one side: a group, else a recording; copies of one recording (imported twice, which
    the import only warns about) are one recording, or a test sample would be a training sample too."""
    return ("group", info.group) if info.group else ("recording", info.content_hash or str(info.id))


def assign_splits(
    project: Project,
    ratios: Sequence[float] = DEFAULT_RATIOS,
    rebalance: bool = False,
    seed: int = 0,
    only: Collection[int] | None = None,
    manual: bool = False,
) -> SplitReport:
    """Give every unassigned sample a split (all automatic ones again with ``rebalance``).

    ``only`` limits the assignment to those samples (balanced against the samples already in the splits
    the ratios use); ``manual`` marks what is assigned as the user's own choice, which a rebalance keeps.
    """
    fractions = normalise_ratios(list(ratios))
    samples = project.samples()
    if only is not None:
        used = {sp for sp, f in zip(SPLITS, fractions, strict=True) if f > 0}
        samples = [s for s in samples if s.id in only or s.split in used]
    report = SplitReport(ratios=fractions)

    current: dict[int, str | None] = {
        s.id: (None if rebalance and not s.split_manual and (only is None or s.id in only) else s.split)
        for s in samples
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
    homes = {s.group: home for s in samples if s.group and (home := assignment.get(s.id, current[s.id]))}
    for split, members in _seed_empty_splits(pending, homes, counts, totals, fractions):
        for m in members:
            assignment[m.id] = split
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
            project.set_split(ids, split or None, manual=manual)
    report.moved = sum(len(v) for v in moves.values())

    for label in totals:
        report.counts[label] = {sp: counts[sp][label] for sp in SPLITS}
    _add_warnings(report, project.samples(), fractions)
    return report


def _seed_empty_splits(
    pending: list[tuple[tuple[str, str], list[SampleInfo]]],
    placed: dict[str, str],
    counts: dict[str, Counter[str]],
    totals: Counter[str],
    fractions: Sequence[float],
) -> list[tuple[str, list[SampleInfo]]]:
    """Give each wanted split that holds no group yet one pending group (with fewer groups than splits:
    train and test, then validation).

    ``placed`` maps groups that already live in a split to it. Removes the chosen groups from ``pending``
    and counts them; the smallest splits choose first, each the group whose labels best fill its targets.
    Returns (split, members) for the caller to assign.
    """
    frac = dict(zip(SPLITS, fractions, strict=True))
    groups = set(placed) | {k[1] for k, _ms in pending if k[0] == "group"}
    # too few groups for every split: train first, then test (what the user reads), then validation
    wanted = [sp for sp in ("train", "test", "validation") if frac[sp] > 0][: len(groups)]
    if len(wanted) < 2:
        return []
    wanted.sort(key=lambda sp: frac[sp])
    held = set(placed.values())
    chosen: list[tuple[str, list[SampleInfo]]] = []
    for split in wanted:
        candidates = [item for item in pending if item[0][0] == "group"]
        if split in held or not candidates:
            continue

        def cost(item: tuple[tuple[str, str], list[SampleInfo]], split: str = split) -> float:
            unit = Counter(m.label or _UNLABELLED for m in item[1])
            have = counts[split]
            return sum((have[lb] + n - frac[split] * totals[lb]) ** 2 - (have[lb] - frac[split] * totals[lb]) ** 2
                       for lb, n in unit.items())

        best = min(candidates, key=cost)
        pending.remove(best)
        counts[split].update(Counter(m.label or _UNLABELLED for m in best[1]))
        chosen.append((split, best[1]))
        held.add(split)
    return chosen


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
    """Warnings that name the cause: too few groups for the splits, or a label with too few recordings or
    groups to reach every split, or a group split by manual moves."""
    wanted = [sp for sp, f in zip(SPLITS, fractions, strict=True) if f > 0]
    groups = sorted({s.group for s in samples if s.group})
    used = {s.split for s in samples if s.group and s.split}
    few_groups = bool(groups) and len(groups) < len(wanted)
    if few_groups:
        missing = [sp for sp in wanted if sp not in used]
        names = ", ".join(repr(g) for g in groups)
        report.warnings.append(
            f"only {len(groups)} group{'s' if len(groups) != 1 else ''} ({names}) for {len(wanted)} splits: "
            f"{_join(missing) or 'one split'} {'has' if len(missing) != 2 else 'have'} no group of its own, as a "
            "group stays in one split; cross-validate (one group left out at a time) for an accuracy on new "
            "people, or record another group")
    elif groups and len(groups) >= len(wanted) and (empty := [sp for sp in wanted if sp not in used]):
        report.warnings.append(
            f"{_join(empty)} {'has' if len(empty) == 1 else 'have'} no group: earlier assignments stay where "
            "they are; rebalance to give every split one")
    recordings: Counter[str] = Counter(s.label or _UNLABELLED for s in samples)
    units: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for s in samples:
        units[s.label or _UNLABELLED].add(_unit_key(s))
    for label, row in sorted(report.counts.items()):
        missing = [sp for sp in wanted if row.get(sp, 0) == 0]
        if not missing:
            continue
        name = repr(label) if label else "(unlabelled)"
        n, grouped = recordings[label], [k for k in units[label] if k[0] == "group"]
        if n < len(wanted):
            cause = (f"has {n} recording{'s' if n != 1 else ''}: it can only be in {n} split{'s' if n != 1 else ''}"
                     f" (none in {_join(missing)}); record more")
        elif len(units[label]) < len(wanted):
            if few_groups and len(grouped) == len(groups):
                continue  # said once for all labels above
            cause = (f"comes from only {len(grouped)} group{'s' if len(grouped) != 1 else ''} "
                     f"({', '.join(repr(k[1]) for k in sorted(grouped))}) and a group stays in one split: none in "
                     f"{_join(missing)}; record it with another person or session")
        else:
            cause = (f"has none in {_join(missing)}: its recordings went to the other splits to keep the ratios "
                     "(earlier assignments stay); rebalance or record more")
        report.warnings.append(f"label {name} {cause}")
    homes: dict[str, set[str]] = defaultdict(set)
    for s in samples:
        if s.group and s.split:
            homes[s.group].add(s.split)
    for group, splits in sorted(homes.items()):
        if len(splits) > 1:
            report.warnings.append(
                f"group {group!r} is in {', '.join(sorted(splits))} because of manual moves: windows may leak"
            )


def _join(names: Sequence[str]) -> str:
    """'test', 'validation and test'."""
    names = list(names)
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1] if names else ""
