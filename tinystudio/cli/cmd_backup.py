"""`tinystudio backup PROJECT FILE`: a consistent, self-contained copy of the project."""

from __future__ import annotations

import argparse

from tinystudio.app.backup import backup
from tinystudio.cli.common import open_project


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "backup", help="copy a project into one self-contained file (safe while it is open or recording)",
        description="Copy a project into one self-contained file, consistent even while another program "
        "records into it. Bring it back with `tinystudio restore FILE PROJECT`, not by copying it over the "
        "project: a copy leaves the project's -wal file beside it, and SQLite would replay it onto the backup.",
    )
    p.add_argument("project")
    p.add_argument("file", help="the backup file to create (must not exist)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    with open_project(args.project) as project:
        count = backup(project, args.file)
        print(f"backed up {project.path} ({count} samples) to {args.file}")
    return 0
