"""`tinystudio crossval PROJECT [--folds K]`: grouped k-fold cross-validation (leave groups out) of the
impulse the flags describe, printed as one row per fold and the mean and spread, and kept in the project."""

from __future__ import annotations

import argparse
import json

from tinystudio.app import crossval as crossval_app
from tinystudio.cli.cmd_train import add_impulse_arguments, impulse_from_arguments
from tinystudio.cli.common import open_project, print_progress
from tinystudio.core.limits import arg, whole_number

MAX_FOLDS = 1000


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "crossval", help="grouped k-fold cross-validation: each person or session held out in turn")
    p.add_argument("project")
    p.add_argument("--folds", type=arg(whole_number, "--folds", 2, MAX_FOLDS), metavar="K",
                   help="number of folds (default: one per group up to 5 groups, else 5)")
    p.add_argument("--int8", action="store_true",
                   help="also quantize each fold's model to int8 (post-training) and score it")
    add_impulse_arguments(p)
    p.add_argument("--name", default="", help="a name for the stored result")
    p.add_argument("--json", action="store_true", help="print the results as one JSON object")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    with open_project(args.project) as project:
        impulse = impulse_from_arguments(project, args)
        if not args.json:
            w, d, m = impulse.window, impulse.dsp, impulse.model
            print(f"window {w.window_ms:g} ms, stride {w.stride_ms:g} ms, dsp {d.block}, model {m.preset}, "
                  f"{m.epochs} epochs, seed {m.seed}", flush=True)
        result = crossval_app.cross_validate(project, impulse, args.folds, progress=print_progress,
                                             int8=args.int8, name=args.name)
    if args.json:
        print(json.dumps(crossval_app.summary(result)))
    else:
        print("\n".join(crossval_app.lines(result)))
        print(f"stored as run {result.run_id}")
    return 0
