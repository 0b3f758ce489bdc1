"""`tinystudio restore BACKUP PROJECT`: make the project exactly a backup."""

from __future__ import annotations

import argparse

from tinystudio.app.backup import restore


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "restore", help="make a project exactly a backup (refused while the project is open elsewhere)",
        description="Write a backup over a project, replacing everything in it. Unlike copying the file, "
        "this never lets the project's leftover -wal file be replayed onto the backup. Refused while another "
        "program has the project open; a missing project is created.",
    )
    p.add_argument("backup", help="the backup file (a project file made by `tinystudio backup` or a copy)")
    p.add_argument("project", help="the project to overwrite (or create)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    count = restore(args.backup, args.project)
    print(f"restored {args.project} from {args.backup} ({count} samples)")
    return 0
