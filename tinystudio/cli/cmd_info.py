"""`tinystudio info PROJECT [--json]`: counts per label, split and group; recordings in progress; read-only."""

from __future__ import annotations

import argparse
import json
from collections import Counter, defaultdict
from typing import Any

from tinystudio.cli.common import open_project
from tinystudio.core.store import SPLITS, Project

UNASSIGNED = "unassigned"


def summarise(project: Project) -> dict[str, Any]:
    """The project's sample counts, as `info --json` prints them."""
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
    }


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("info", help="show what a project holds")
    p.add_argument("project")
    p.add_argument("--json", action="store_true", help="print a JSON object")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    with open_project(args.project) as project:
        info = summarise(project)
    if args.json:
        print(json.dumps(info, indent=2))
        return 0
    notes = ""
    if info["recording"]:
        notes += f", {info['recording']} recording{'s' if info['recording'] > 1 else ''} in progress"
    if info["read_only"]:
        notes += " (read-only: it can be viewed but not changed)"
    print(f"{info['project']}: {info['samples']} samples, {info['duration_s']:.1f} s, {info['runs']} runs{notes}")
    header = f"  {'label':<20}" + "".join(f"{k:>12}" for k in info["splits"])
    print(header)
    for label, row in info["labels"].items():
        print(f"  {label or '(unlabelled)':<20}" + "".join(f"{v:>12}" for v in row.values()))
    print(f"  {'total':<20}" + "".join(f"{v:>12}" for v in info["splits"].values()))
    if info["groups"]:
        print(f"  groups: {', '.join(info['groups'])}")
    return 0
