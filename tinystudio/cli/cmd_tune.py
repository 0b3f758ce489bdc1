"""`tinystudio tune PROJECT --target BOARD [--trials N] [--budget-flash B --budget-ram B --max-latency-ms L]
[--ray ADDRESS] [--json] [--pick N]`: search for the most accurate models that fit the board, print the
Pareto front, then train its recommended point (the reference point, a forest on window statistics on motion
data, unless a point beats it fold by fold by more than one standard error; or row N) as the newest run with
its variant marked for deploy, so `tinystudio deploy PROJECT` tests it next."""

from __future__ import annotations

import argparse
import json

from tinystudio.app import tune as tune_app
from tinystudio.app.formatting import fmt_bytes
from tinystudio.cli.common import open_project, print_progress
from tinystudio.core.limits import arg, finite_positive, positive_int, seed

MAX_BYTES = 1 << 40


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("tune", help="search impulses and models that fit a board; train the best")
    p.add_argument("project")
    p.add_argument("--target", required=True, metavar="BOARD", help="board the budget and latency are for")
    p.add_argument("--trials", type=arg(positive_int, "--trials", 10_000), default=20)
    p.add_argument("--budget-flash", type=arg(positive_int, "--budget-flash", MAX_BYTES), metavar="BYTES",
                   help="flash the model may take (default: the board's flash)")
    p.add_argument("--budget-ram", type=arg(positive_int, "--budget-ram", MAX_BYTES), metavar="BYTES",
                   help="RAM the model's arena may take (default: the board's RAM less its stack)")
    p.add_argument("--max-latency-ms", type=arg(finite_positive, "--max-latency-ms", 1e9), metavar="MS",
                   help="longest estimated inference on the board")
    p.add_argument("--ray", metavar="ADDRESS", help="run trials on the Ray cluster at ADDRESS (host:port)")
    p.add_argument("--workers", type=arg(positive_int, "--workers", 1024),
                   help="trials at once (default: half the cores; with --ray: the cluster's CPUs)")
    p.add_argument("--epochs", type=arg(positive_int, "--epochs", 100_000),
                   help="training epochs per trial and for the picked point (default: the suggested "
                        "impulse's own, as the Train step trains it)")
    p.add_argument("--qat-epochs", type=arg(positive_int, "--qat-epochs", 100_000),
                   help="quantization-aware fine-tuning epochs (default: a third of --epochs)")
    p.add_argument("--families", nargs="+", choices=list(tune_app.FAMILY_NAMES),
                   help="model families to search (default: all but gbt, which trains slowly: "
                        + " ".join(tune_app.DEFAULT_FAMILIES) + ")")
    p.add_argument("--compression", nargs="+", choices=list(tune_app.COMPRESSIONS),
                   default=list(tune_app.COMPRESSIONS),
                   help="int8 methods to search for neural networks")
    p.add_argument("--evaluation", choices=("auto", "grouped", "validation"), default="auto",
                   help="auto: grouped cross-validation with 3 groups or more, else the validation split")
    p.add_argument("--seed", type=arg(seed, "--seed"), default=0)
    p.add_argument("--pick", type=arg(positive_int, "--pick", 10_000), metavar="N",
                   help="train row N of the Pareto front instead of the recommended one (the reference point "
                        "unless another beats it fold by fold by more than one standard error)")
    p.add_argument("--no-train", action="store_true", help="only search; train nothing")
    p.add_argument("--json", action="store_true", help="print the result as one JSON object")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    options = tune_app.TuneOptions(
        target=args.target, trials=args.trials, budget_flash=args.budget_flash, budget_ram=args.budget_ram,
        max_latency_ms=args.max_latency_ms, ray_address=args.ray, workers=args.workers, epochs=args.epochs,
        qat_epochs=args.qat_epochs, families=args.families, compressions=tuple(args.compression),
        seed=args.seed, evaluation=args.evaluation)

    def on_trial(outcome: tune_app.TrialOutcome) -> None:
        if not args.json:
            acc = "" if outcome.accuracy is None else f" accuracy {outcome.accuracy:.3f}"
            figures = ("" if outcome.flash_bytes is None else
                       f", flash {outcome.flash_bytes} B, RAM {outcome.ram_bytes} B, {outcome.latency_ms:.3f} ms")
            note = f" ({outcome.note})" if outcome.note else ""
            print(f"trial {outcome.number + 1}: {outcome.state}: {outcome.describe()}{acc}{figures}{note}", flush=True)

    with open_project(args.project) as project:
        result = tune_app.tune(project, options, progress=print_progress, on_trial=on_trial)
        picked = None
        if not args.no_train:
            point = tune_app.pick_point(result, args.pick)
            stored = tune_app.latest(project)
            assert stored is not None
            if not args.json:
                print("\n".join(tune_app.table_lines(result)), flush=True)
                print(f"training point {args.pick or result.recommended}: {point.describe()}", flush=True)
            epochs = int(stored[1]["settings"]["epochs"])
            picked = tune_app.train_point(project, point, stored[1]["base_impulse"], epochs,
                                          qat_epochs=args.qat_epochs, progress=print_progress)
    if args.json:
        out = result.to_dict()
        out["picked"] = None if picked is None else {"trial": picked.point.number, "run_id": picked.run_id,
                                                     "variant_id": picked.variant_id}
        print(json.dumps(out))
        return 0
    if picked is None:
        print("\n".join(tune_app.table_lines(result)))
    else:
        b = result.budget
        limits = [f"flash {fmt_bytes(b.flash_bytes)}" if b.flash_bytes is not None else "no flash limit",
                  f"RAM {fmt_bytes(b.ram_bytes)}" if b.ram_bytes is not None else "no RAM limit",
                  f"latency {b.latency_ms:g} ms" if b.latency_ms is not None else "no latency limit"]
        print(f"run {picked.run_id} trained; variant {picked.variant_id} is marked for deploy "
              f"(budget: {', '.join(limits)})")
    return 0
