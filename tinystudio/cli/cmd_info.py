"""`tinystudio info PROJECT [--json]`: counts per label, split and group; recordings in progress; read-only."""

from __future__ import annotations

import argparse
import json

from tinystudio.app.project import summarise
from tinystudio.cli.common import open_project


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
        if info["read_only_reason"] != f"{info['project']} is read-only: it can be viewed but not changed":
            notes += f"\n  {info['read_only_reason']}"  # why, when it is not the file's own permissions
    print(f"{info['project']}: {info['samples']} samples, {info['duration_s']:.1f} s, {info['runs']} runs{notes}")
    header = f"  {'label':<20}" + "".join(f"{k:>12}" for k in info["splits"])
    print(header)
    for label, row in info["labels"].items():
        print(f"  {label or '(unlabelled)':<20}" + "".join(f"{v:>12}" for v in row.values()))
    print(f"  {'total':<20}" + "".join(f"{v:>12}" for v in info["splits"].values()))
    if info["groups"]:
        print(f"  groups: {', '.join(info['groups'])}")
    return 0
