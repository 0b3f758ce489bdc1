"""`tinystudio train PROJECT`: design the impulse from flags (defaults chosen from the data) and train."""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING

from tinystudio.cli.common import open_project
from tinystudio.core.dsp import BLOCKS
from tinystudio.core.models import PRESETS

if TYPE_CHECKING:
    from tinystudio.core.training import TrainResult

MODEL_FOR_DSP = {"raw": "cnn1d", "spectral": "dense", "mfe": "dscnn", "mfcc": "dscnn"}


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("train", help="train a model on the project's train split")
    p.add_argument("project")
    p.add_argument("--window-ms", type=float, help="window length in ms (default: from the data)")
    p.add_argument("--stride-ms", type=float, help="window stride in ms (default: a quarter window)")
    p.add_argument("--short", choices=("pad", "drop"), help="recordings shorter than a window: pad or drop")
    p.add_argument("--dsp", choices=sorted(BLOCKS), help="DSP block (default: from the data)")
    p.add_argument("--model", choices=sorted(PRESETS), help="model preset (default: suits the DSP block)")
    p.add_argument("--epochs", type=int)
    p.add_argument("--lr", type=float, help="learning rate")
    p.add_argument("--batch-size", type=int)
    p.add_argument("--early-stopping", type=int, metavar="PATIENCE", help="stop after N epochs without progress")
    p.add_argument("--seed", type=int)
    p.add_argument("--name", default="", help="a name for the run")
    p.add_argument("--json", action="store_true", help="print the results as one JSON object")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from tinystudio.core.features import suggest_for_project
    from tinystudio.core.training import EpochStats, train

    with open_project(args.project) as project:
        impulse = suggest_for_project(project)
        w, d, m = impulse.window, impulse.dsp, impulse.model
        if args.window_ms is not None:
            w.window_ms = args.window_ms
            if args.stride_ms is None:
                w.stride_ms = max(1.0, round(args.window_ms / 4.0))
        if args.stride_ms is not None:
            w.stride_ms = args.stride_ms
        if args.short:
            w.short_policy = args.short
        if args.dsp and args.dsp != d.block:
            d.block, d.params = args.dsp, {}
            if not args.model:
                m.preset = MODEL_FOR_DSP[args.dsp]
        if args.model:
            m.preset = args.model
        for flag, attr in (("epochs", "epochs"), ("lr", "learning_rate"), ("batch_size", "batch_size"),
                           ("early_stopping", "early_stopping"), ("seed", "seed")):
            if getattr(args, flag) is not None:
                setattr(m, attr, getattr(args, flag))
        impulse.validate()

        def on_epoch(s: EpochStats) -> None:
            if args.json:
                return
            val = ""
            if s.val_loss is not None:
                val = f"  val_loss {s.val_loss:.4f}  val_acc {s.val_accuracy:.3f}"
            print(f"epoch {s.epoch:3d}/{s.epochs}  loss {s.loss:.4f}  acc {s.accuracy:.3f}{val}", flush=True)

        if not args.json:
            print(f"window {w.window_ms:g} ms, stride {w.stride_ms:g} ms ({w.short_policy} short recordings), "
                  f"dsp {d.block}, model {m.preset}, {m.epochs} epochs, seed {m.seed}", flush=True)
        result = train(project, impulse, on_epoch=on_epoch, name=args.name)
        project.set_setting("impulse", impulse.to_dict())
    test, val = result.test, result.validation
    if args.json:
        out = {
            "run_id": result.run_id,
            "test_accuracy": test.accuracy if test else None,
            "validation_accuracy": val.accuracy if val else None,
            "per_class": {k: {x: v[x] for x in ("precision", "recall", "f1")} for k, v in test.per_class.items()}
            if test else {},
            "confusion_matrix": {"labels": test.labels if test else result.config["labels"],
                                 "counts": test.confusion if test else []},
            "params": result.metrics["params"],
            "macs": result.metrics["macs"],
            "dsp_ops": result.metrics["dsp_ops"],
        }
        print(json.dumps(out))
        return 0
    _summary(result)
    return 0


def _summary(r: TrainResult) -> None:
    m = r.metrics
    print(f"run {r.run_id}: model {m['params']} parameters, {m['macs']} MACs; DSP {m['dsp_ops']} ops per window")
    for name, ev in (("validation", r.validation), ("test", r.test)):
        if ev is None:
            print(f"{name}: no windows")
            continue
        print(f"{name} accuracy {ev.accuracy:.3f} on {ev.count} windows")
    ev = r.test or r.validation
    if ev is None:
        return
    width = max(8, *(len(label) for label in ev.labels))
    print("\nper class (" + ("test" if r.test else "validation") + ")")
    print(f"{'label':<{width}}  precision  recall     f1")
    for label, v in ev.per_class.items():
        print(f"{label:<{width}}  {v['precision']:9.3f}  {v['recall']:6.3f}  {v['f1']:5.3f}")
    print("\nconfusion matrix (rows: true, columns: predicted)")
    print(" " * width + "  " + " ".join(f"{label[:7]:>7}" for label in ev.labels))
    for label, row in zip(ev.labels, ev.confusion, strict=True):
        print(f"{label:<{width}}  " + " ".join(f"{c:>7}" for c in row))
    if sys.stdout.isatty():
        sys.stdout.flush()
