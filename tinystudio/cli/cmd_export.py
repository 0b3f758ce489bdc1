"""`tinystudio export PROJECT --format csv|ei-json --out DIR`: one file per sample."""

from __future__ import annotations

import argparse

from tinystudio.app.export import DEFAULT_FORMAT, EXPORT_FORMATS, export
from tinystudio.cli.common import open_project, print_progress


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("export", help="export samples as CSV or Edge Impulse JSON")
    p.add_argument("project")
    p.add_argument("--format", choices=EXPORT_FORMATS, default=DEFAULT_FORMAT)
    p.add_argument("--out", required=True, help="output folder")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    with open_project(args.project) as project:
        paths = export(project, args.out, args.format, progress=print_progress)
    print(f"exported {len(paths)} file(s) to {args.out}")
    return 0
