"""`tinystudio split PROJECT`: assign train/validation/test, stratified, whole recordings and groups."""

from __future__ import annotations

import argparse
import sys

from tinystudio.app.split import DEFAULT_RATIOS_TEXT, DEFAULT_SEED, split
from tinystudio.cli.common import open_project


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("split", help="split samples into train/validation/test")
    p.add_argument("project")
    p.add_argument("--ratios", default=DEFAULT_RATIOS_TEXT,
                   help=f"train,validation,test (default {DEFAULT_RATIOS_TEXT})")
    p.add_argument("--rebalance", action="store_true",
                   help="redo automatic assignments too (manual moves always stay)")
    p.add_argument("--seed", type=int, default=DEFAULT_SEED)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    with open_project(args.project) as project:
        report = split(project, args.ratios, rebalance=args.rebalance, seed=args.seed)
    print(f"assigned {report.moved} sample(s)")
    print("\n".join(report.lines()))
    for warning in report.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    return 0
