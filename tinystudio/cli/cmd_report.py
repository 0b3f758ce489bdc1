"""`tinystudio report PROJECT [--result N ...] --out FILE.html`: one self-contained HTML file of stored
on-device results (several compare side by side) to share."""

from __future__ import annotations

import argparse

from tinystudio.cli.cmd_deploy import add_estimate_arguments
from tinystudio.cli.common import open_project


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("report", help="write an HTML report of on-device results")
    p.add_argument("project")
    p.add_argument("--result", type=int, action="append",
                   help="on-device result id (repeat to compare; default: the newest complete result)")
    p.add_argument("--compare", action="store_true",
                   help="also compare the newest complete result of every variant and board, side by side")
    p.add_argument("--out", required=True, help="the HTML file to write")
    add_estimate_arguments(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from tinystudio.app.report import write_report

    with open_project(args.project) as project:
        path = write_report(project, args.out, args.result, args.rate_hz, args.sleep_ua, args.battery_mah,
                            compare=args.compare)
    print(f"report written to {path}")
    return 0
