"""`tinystudio split PROJECT`: assign train/validation/test, stratified, whole recordings and groups."""

from __future__ import annotations

import argparse
import sys

from tinystudio.cli.common import open_project
from tinystudio.core.split import assign_splits, parse_ratios


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("split", help="split samples into train/validation/test")
    p.add_argument("project")
    p.add_argument("--ratios", default="70,15,15", help="train,validation,test (default 70,15,15)")
    p.add_argument("--rebalance", action="store_true",
                   help="redo automatic assignments too (manual moves always stay)")
    p.add_argument("--seed", type=int, default=0)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    ratios = parse_ratios(args.ratios)
    with open_project(args.project) as project:
        report = assign_splits(project, ratios, rebalance=args.rebalance, seed=args.seed)
    print(f"assigned {report.moved} sample(s)")
    print("\n".join(report.lines()))
    for warning in report.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    return 0
