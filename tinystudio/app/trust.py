"""When a training result is not to be trusted: the data it would be measured on is missing, too thin or
lopsided. The Train page shows these lines beside the Train button and ``tinystudio train`` prints them,
so a run that "succeeds" on one recording per label does not look like a good model."""

from __future__ import annotations

from collections import Counter, defaultdict

from tinystudio.core.store import Project, SampleInfo

MIN_RECORDINGS = 3
"""A label needs this many separate recordings to appear in train, validation and test at once."""
BALANCE = 0.7
"""A label with fewer recordings than this share of the largest label's count makes classes unbalanced."""


def _recording(s: SampleInfo) -> str:
    """Samples cut from one recording share its group: they count as one recording."""
    return f"group:{s.group}" if s.group else f"sample:{s.id}"


def data_warnings(project: Project) -> list[str]:
    """One plain line per reason the next training run's figures would mislead (empty when none)."""
    samples = [s for s in project.samples() if s.status == "complete" and s.label]
    if not samples:
        return []
    recordings: dict[str, set[str]] = defaultdict(set)
    per_split: Counter[str] = Counter()
    label_splits: dict[str, set[str]] = defaultdict(set)
    for s in samples:
        recordings[s.label or ""].add(_recording(s))
        per_split[s.split or "unassigned"] += 1
        if s.split:
            label_splits[s.label or ""].add(s.split)
    out: list[str] = []
    if len(recordings) < 2:
        out.append("Only one label: a classifier needs at least two labels to tell apart.")
    for split in ("validation", "test"):
        if not per_split[split]:
            out.append(f"No {split} data: the {split} accuracy cannot be measured. Split the data on the Data "
                       "step (or record more).")
    thin = sorted(label for label, recs in recordings.items() if len(recs) < MIN_RECORDINGS)
    if thin:
        counts = ", ".join(f"'{label}' {len(recordings[label])}" for label in thin)
        out.append(f"Too few recordings per label ({counts}; at least {MIN_RECORDINGS} each): windows of one "
                   "recording are alike, so accuracy on them says little about new recordings.")
    missing = sorted(label for label in recordings
                     if label_splits[label] and not {"validation", "test"} <= label_splits[label])
    if missing and per_split["validation"] and per_split["test"]:
        out.append("Not measured on every label: " + ", ".join(f"'{m}'" for m in missing)
                   + " has no validation or no test data.")
    sizes = {label: len(recs) for label, recs in recordings.items()}
    most = max(sizes.values())
    low = sorted(label for label, n in sizes.items() if n < BALANCE * most)
    if len(sizes) >= 2 and low:
        out.append("Classes are unbalanced (" + ", ".join(f"'{k}' {sizes[k]}" for k in low)
                   + f" recordings against {most}): accuracy leans to the larger labels; record more of the "
                   "smaller ones.")
    return out
