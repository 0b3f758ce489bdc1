"""`tinystudio compress PROJECT --run N --method M`: make int8 variants of a trained run, and
`tinystudio variants PROJECT`: compare a project's variants (and mark one for deploy)."""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING

from tinystudio.app.compress import DEFAULTS, METHODS, CompressOptions, compress_run, run_to_compress
from tinystudio.app.formatting import fmt_bytes, fmt_latency, fmt_percent, fmt_points
from tinystudio.cli.common import open_project, print_progress
from tinystudio.core.models import NN_PRESETS

if TYPE_CHECKING:
    from tinystudio.core.compress.compare import VariantRow


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("compress", help="make int8 variants of a trained run (PTQ, QAT, pruning, distillation)")
    p.add_argument("project")
    p.add_argument("--run", type=int, help="training run id (default: the newest)")
    p.add_argument("--method", choices=METHODS, action="append", required=True,
                   help="compression method; repeat to make several variants")
    p.add_argument("--sparsity", type=float, default=DEFAULTS.sparsity,
                   help=f"pruning: share of weights set to zero ({DEFAULTS.sparsity:g})")
    p.add_argument("--epochs", type=int, help="fine-tuning or student training epochs (default per method)")
    p.add_argument("--student", choices=sorted(NN_PRESETS), default=DEFAULTS.student,
                   help="distillation: student model")
    p.add_argument("--temperature", type=float, default=DEFAULTS.temperature,
                   help="distillation: softening temperature")
    p.add_argument("--lr", type=float, help="learning rate (default: derived from the run's)")
    p.add_argument("--json", action="store_true", help="print the new variants as one JSON object")
    p.set_defaults(func=run)

    v = subparsers.add_parser("variants", help="compare the project's int8 model variants")
    v.add_argument("project")
    v.add_argument("--run", type=int, help="only the variants of this training run")
    v.add_argument("--use", type=int, metavar="VARIANT", help="mark this variant as the one to deploy")
    v.add_argument("--json", action="store_true", help="print the variants as one JSON object")
    v.set_defaults(func=run_variants)


def run(args: argparse.Namespace) -> int:
    from tinystudio.app.variants import list_variants

    options = CompressOptions(epochs=args.epochs, sparsity=args.sparsity, student=args.student,
                              temperature=args.temperature, learning_rate=args.lr).validate()
    with open_project(args.project) as project:
        run_id = run_to_compress(project, args.run)

        def announce(method: str) -> None:
            if not args.json:
                print(f"run {run_id}: {method}", flush=True)

        made = compress_run(project, run_id, args.method, options, progress=print_progress, on_method=announce)
        rows = [r for r in list_variants(project, run_id) if r.variant_id in made]
    if args.json:
        print(json.dumps({"run_id": run_id, "variants": [r.to_dict() for r in rows]}))
    else:
        _table(rows)
    return 0


def run_variants(args: argparse.Namespace) -> int:
    from tinystudio.app.variants import list_variants, mark_for_deploy

    with open_project(args.project) as project:
        if args.use is not None:
            mark_for_deploy(project, args.use)
        rows = list_variants(project, args.run)
    if args.json:
        print(json.dumps({"variants": [r.to_dict() for r in rows]}))
        return 0
    if not rows:
        print("no model variants yet: run `tinystudio compress PROJECT --method ptq`")
        return 0
    _table(rows)
    return 0


def _table(rows: list[VariantRow]) -> None:
    header = ("id", "run", "method", "int8 test", "vs float", "val", "sparsity", "params", "MACs",
              "flash", "RAM", "on device")
    lines = [header]
    for r in rows:
        change = r.accuracy_change
        dev = "-"
        if r.device is not None and r.device.nn_mean is not None:
            dev = f"{fmt_latency(r.device.nn_mean, r.device.unit)} ({r.device.target})"
        sizes = (fmt_percent(r.sparsity), f"{r.nonzero_params}/{r.params}", f"{r.macs:,}", fmt_bytes(r.flash_bytes),
                 fmt_bytes(r.arena_bytes))
        lines.append((
            f"{r.variant_id}{'*' if r.chosen else ''}", str(r.run_id), r.method + (" DAMAGED" if r.damaged else ""),
            fmt_percent(r.test_accuracy), fmt_points(change), fmt_percent(r.validation_accuracy),
            *(("-",) * len(sizes) if r.damaged else sizes), dev,
        ))
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    for line in lines:
        print("  ".join(cell.rjust(w) if j not in (2, 11) else cell.ljust(w)
                        for j, (cell, w) in enumerate(zip(line, widths, strict=True))).rstrip())
    for r in rows:
        if r.damaged:
            print(f"variant {r.variant_id}: {r.damaged}")
    if any(r.chosen for r in rows):
        print("* marked for deploy")
    if any(r.code_bytes is None and not r.damaged for r in rows):
        print("flash counts weights only where no ARM compiler was found to measure the code")
