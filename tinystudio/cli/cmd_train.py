"""`tinystudio train PROJECT`: design the impulse from flags (defaults chosen from the data) and train."""

from __future__ import annotations

import argparse
import json
import sys

from tinystudio.app import train as train_app
from tinystudio.app.trust import data_warnings
from tinystudio.cli.common import open_project
from tinystudio.core.dsp import BLOCKS
from tinystudio.core.errors import UserError
from tinystudio.core.impulse import (
    MAX_AUGMENT_STRENGTH,
    MAX_BATCH_SIZE,
    MAX_EPOCHS,
    MAX_LEARNING_RATE,
    SHORT_POLICIES,
    ImpulseConfig,
)
from tinystudio.core.limits import MAX_WINDOW_MS, arg, finite_positive, positive_int, seed
from tinystudio.core.models import PRESETS
from tinystudio.core.store import Project


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("train", help="train a model on the project's train split")
    p.add_argument("project")
    add_impulse_arguments(p)
    p.add_argument("--int8", action=argparse.BooleanOptionalAction, default=True,
                   help="quantize the run to int8 right after training and compare it with float; when "
                        "post-training quantization loses more than --max-int8-loss, quantization-aware "
                        "training runs by itself (default: on)")
    p.add_argument("--max-int8-loss", type=float, default=train_app.MAX_INT8_LOSS * 100, metavar="POINTS",
                   help="accuracy points int8 may lose before quantization-aware training runs (default: 1)")
    p.add_argument("--name", default="", help="a name for the run")
    p.add_argument("--json", action="store_true", help="print the results as one JSON object")
    p.set_defaults(func=run)


def add_impulse_arguments(p: argparse.ArgumentParser) -> None:
    """The impulse flags ``train`` and ``crossval`` share (every default comes from the data)."""
    p.add_argument("--window-ms", type=arg(finite_positive, "--window-ms", MAX_WINDOW_MS),
                   help="window length in ms (default: from the data)")
    p.add_argument("--stride-ms", type=arg(finite_positive, "--stride-ms", MAX_WINDOW_MS),
                   help="window stride in ms (default: a quarter window)")
    p.add_argument("--short", choices=SHORT_POLICIES, help="recordings shorter than a window: pad or drop")
    p.add_argument("--dsp", choices=sorted(BLOCKS), help="DSP block (default: from the data)")
    p.add_argument("--model", choices=sorted(PRESETS), help="model preset (default: suits the DSP block)")
    p.add_argument("--epochs", type=arg(positive_int, "--epochs", MAX_EPOCHS))
    p.add_argument("--lr", type=arg(finite_positive, "--lr", MAX_LEARNING_RATE), help="learning rate")
    p.add_argument("--batch-size", type=arg(positive_int, "--batch-size", MAX_BATCH_SIZE))
    p.add_argument("--early-stopping", type=int, metavar="PATIENCE", help="stop after N epochs without progress")
    p.add_argument("--seed", type=arg(seed, "--seed"))
    p.add_argument("--augment", action=argparse.BooleanOptionalAction, default=None,
                   help="add augmented copies of the train windows (default: on for motion and audio)")
    p.add_argument("--augment-strength", type=float, metavar="S",
                   help=f"scale of the augmentation, 0 to {MAX_AUGMENT_STRENGTH:g} (default: 1)")


def impulse_from_arguments(project: Project, args: argparse.Namespace) -> ImpulseConfig:
    """The data's default impulse with the flags' changes (a new window, DSP block or model is sized by the
    data again)."""
    impulse = train_app.with_changes(
        train_app.default_impulse(project), window_ms=args.window_ms, stride_ms=args.stride_ms,
        short=args.short, dsp=args.dsp, model=args.model, epochs=args.epochs, learning_rate=args.lr,
        batch_size=args.batch_size, early_stopping=args.early_stopping, seed=args.seed,
        augment=getattr(args, "augment", None), augment_strength=getattr(args, "augment_strength", None),
    )
    if args.window_ms is not None or args.dsp or args.model:
        impulse = train_app.size_to_data(project, impulse)
    return impulse


def run(args: argparse.Namespace) -> int:
    with open_project(args.project) as project:
        impulse = impulse_from_arguments(project, args)
        w, d, m = impulse.window, impulse.dsp, impulse.model

        def on_epoch(s: train_app.EpochStats) -> None:
            if args.json:
                return
            val = ""
            if s.val_loss is not None:
                val = f"  val_loss {s.val_loss:.4f}  val_acc {s.val_accuracy:.3f}"
            print(f"epoch {s.epoch:3d}/{s.epochs}  loss {s.loss:.4f}  acc {s.accuracy:.3f}{val}", flush=True)

        warnings = data_warnings(project)
        if not args.json:
            for line in warnings:
                print(f"warning: {line}", file=sys.stderr, flush=True)
            print(f"window {w.window_ms:g} ms, stride {w.stride_ms:g} ms ({w.short_policy} short recordings), "
                  f"dsp {d.block}, model {m.preset}, {m.epochs} epochs, seed {m.seed}", flush=True)
        if not args.json:
            aug = f"augmentation strength {m.augment_strength:g}" if m.augment else "no augmentation"
            print(f"{aug}, learning rate {m.learning_rate:g} ({m.lr_schedule}"
                  + (f", {m.warmup_epochs} warm-up epochs" if m.warmup_epochs else "") + "), class weights "
                  + (m.class_weights if isinstance(m.class_weights, str) else "custom"), flush=True)
        if not 0 <= args.max_int8_loss <= 100:
            raise UserError("--max-int8-loss must be between 0 and 100 points")
        result = train_app.train(project, impulse, on_epoch=on_epoch, name=args.name, int8=args.int8,
                                 max_int8_loss=args.max_int8_loss / 100.0)
    if args.json:
        print(json.dumps({**train_app.run_summary(result), "warnings": warnings}))
        return 0
    _summary(result)
    for line in warnings:  # again after the figures, where the eye lands
        print(f"warning: {line}", file=sys.stderr)
    return 0


def _summary(r: train_app.TrainResult) -> None:
    m = r.metrics
    print(f"run {r.run_id}: model {m['params']} parameters, {m['macs']} MACs; DSP {m['dsp_ops']} ops per window")
    for name, ev in (("validation", r.validation), ("test", r.test)):
        if ev is None:
            print(f"{name}: no windows")
            continue
        print(f"{name} accuracy {ev.accuracy:.3f} on {ev.count} windows")
    for line in train_app.int8_lines(r):
        print(line)
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
