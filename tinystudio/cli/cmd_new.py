"""`tinystudio new PROJECT`: create an empty project file."""

from __future__ import annotations

import argparse
from pathlib import Path

from tinystudio.core.store import Project


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("new", help="create a new project file")
    p.add_argument("project", help="path of the project file to create (e.g. gestures.tsproj)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    with Project.create(Path(args.project)) as project:
        print(f"created {project.path}")
    return 0
