"""What a project holds: samples per label, split and group, total length, runs, recordings in progress.
``tinystudio info`` prints it and the Data page's summary table shows its label rows."""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from tinystudio.core.store import SPLITS, Project

UNASSIGNED = "unassigned"
"""Where a sample not in any split is counted."""


def summarise(project: Project) -> dict[str, Any]:
    """The project's sample counts, as `info --json` prints them (unlabelled samples under "")."""
    samples = project.samples()
    keys = [*SPLITS, UNASSIGNED]
    labels: dict[str, Counter[str]] = defaultdict(Counter)
    groups: dict[str, Counter[str]] = defaultdict(Counter)
    splits: Counter[str] = Counter()
    for s in samples:
        where = s.split or UNASSIGNED
        labels[s.label or ""][where] += 1
        if s.group:
            groups[s.group][where] += 1
        splits[where] += 1
    return {
        "project": str(project.path),
        "samples": len(samples),
        "duration_s": round(sum(s.duration_s for s in samples), 3),
        "labels": {k: {sp: v[sp] for sp in keys} for k, v in sorted(labels.items())},
        "splits": {sp: splits[sp] for sp in keys},
        "groups": {k: {sp: v[sp] for sp in keys} for k, v in sorted(groups.items())},
        "runs": len(project.runs()),
        "recording": project.recordings_in_progress(),
        "read_only": project.read_only,
        **({"read_only_reason": project.read_only_reason} if project.read_only else {}),
    }
