"""`tinystudio import PROJECT FILES...`: add recordings from CSV, Edge Impulse JSON/CBOR or WAV files."""

from __future__ import annotations

import argparse
import sys

from tinystudio.app.importing import FORMATS, LABEL_SOURCES, import_files, parse_axes
from tinystudio.cli.common import open_project, print_progress
from tinystudio.core.limits import arg, sample_rate


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("import", help="import recordings from files or folders")
    p.add_argument("project")
    p.add_argument("files", nargs="+", help="files or folders to import")
    p.add_argument("--label", help="label for every imported sample (overrides columns and names)")
    p.add_argument("--label-from", choices=LABEL_SOURCES, default="auto",
                   help="where labels come from when --label is absent (auto: label column, else file name)")
    p.add_argument("--group", help="group key (person, session, device) for every imported sample")
    p.add_argument("--rate", type=arg(sample_rate, "--rate"),
                   help="sample rate in Hz (needed when a file has no timestamps)")
    p.add_argument("--format", choices=FORMATS, help="file format (default: from the extension)")
    p.add_argument("--axes", metavar="A,B,C",
                   help="names of the columns of CSV files without a header row (default axis1,axis2,...); "
                        "a name like t_ms or label makes that column the clock or the label")
    p.add_argument("--drop-nonfinite", action="store_true",
                   help="leave out rows holding nan or inf (by default such a file is refused)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    with open_project(args.project) as project:
        report = import_files(
            project, args.files, label=args.label, group=args.group, rate_hz=args.rate, fmt=args.format,
            label_from=args.label_from, progress=print_progress, drop_nonfinite=args.drop_nonfinite,
            axes=parse_axes(args.axes),
        )
    print(report.summary())
    if report.duplicates:
        print(f"warning: {report.duplicates} sample(s) were already in the project", file=sys.stderr)
    return 0
