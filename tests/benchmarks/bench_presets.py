"""Benchmark: every neural preset before and after the motion defaults (augmentation, cosine schedule,
sizing by the data, int8 check with automatic quantization-aware training), float and int8 accuracy.

Two real data sets: BasicMotions (sktime; easy) and the simulated board's source data (7 shoulder
exercises by 10 subjects, split by subject so the test people are never seen in training; harder).
"Before" is the previous default: the preset's fixed widths, a constant learning rate, no augmentation
and plain int8 post-training quantization. "After" is what ``tinystudio train`` does now.

Run: python tests/benchmarks/bench_presets.py [--quick] [--epochs N]. Prints a table; asserts nothing.
"""

from __future__ import annotations

import argparse
import copy
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from datasets import write_basic_motions_csv  # noqa: E402
from tinystudio.app import train as train_app  # noqa: E402
from tinystudio.core.compress import compress  # noqa: E402
from tinystudio.core.formats import import_files  # noqa: E402
from tinystudio.core.impulse import ImpulseConfig  # noqa: E402
from tinystudio.core.split import assign_splits  # noqa: E402
from tinystudio.core.store import Project  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
SIMBOARD = ROOT / "resources" / "simboard" / "shoulder_exercises.npz"
PRESETS = (("dense", "spectral"), ("cnn1d", "raw"), ("dscnn", "raw"))


def basic_motions_project(path: Path, quick: bool) -> Path:
    with Project.create(path) as project:
        import_files(project, write_basic_motions_csv(path.parent / "csv", per_label=5 if quick else None))
        assign_splits(project)
    return path


def simboard_project(path: Path, quick: bool) -> Path:
    """Every recording of the source data (quick: the first session of four subjects), grouped by subject."""
    data = np.load(SIMBOARD)
    rate, axes = float(data["rate_hz"]), [str(a) for a in data["axis_names"]]
    with Project.create(path) as project:
        for activity in (str(a) for a in data["activities"]):
            signal = data[f"activity_{activity}"]
            starts = np.concatenate([[0], np.cumsum(data[f"lengths_{activity}"])])
            seen: set[int] = set()
            for i, subject in enumerate(int(s) for s in data[f"subjects_{activity}"]):
                if quick and (subject > 4 or subject in seen):
                    continue
                seen.add(subject)
                project.add_sample(signal[starts[i]:starts[i + 1]], rate, axes, activity, group=f"subject {subject}",
                                   name=f"{activity} {subject}.{i}")
        assign_splits(project)
    return path


def before(impulse: ImpulseConfig) -> ImpulseConfig:
    """The previous defaults: fixed preset widths, constant learning rate, no augmentation."""
    out = copy.deepcopy(impulse)
    out.model.params, out.model.augment, out.model.lr_schedule, out.model.warmup_epochs = {}, False, "constant", 0
    return train_app.complete(out)


def one(project: Project, impulse: ImpulseConfig, new: bool) -> dict[str, float | None | str | int]:
    started = time.perf_counter()
    result = train_app.train(project, impulse, int8=new)
    split = train_app.int8_split(result)
    float_acc = result.metrics[f"{split}_accuracy"]
    if new:
        check = result.int8
        head = check.headline(split)
        candidates = [v for v in (head["ptq"], head["qat"]) if v is not None]
        best = head["qat"] if check.best_variant == check.qat_variant else head["ptq"]
        int8_acc, qat = best, "yes" if check.qat_variant else "no"
        assert candidates
    else:
        variant = compress(project, result.run_id, "ptq")
        int8_acc = next(v for v in project.variants() if v["id"] == variant)["metrics"][f"{split}_accuracy"]
        qat = "-"
    return {"float": float_acc, "int8": int8_acc, "qat": qat, "params": int(result.metrics["params"]),
            "seconds": time.perf_counter() - started, "split": split}


def bench(name: str, path: Path, epochs: int | None, presets: tuple[tuple[str, str], ...] = PRESETS) -> None:
    with Project.open(path) as project:
        base = train_app.default_impulse(project)
        base.window.stride_ms = base.window.window_ms / 2  # the same windows for both arms, half the work
        for preset, dsp in presets:
            after = train_app.size_to_data(project, train_app.with_changes(base, dsp=dsp, model=preset))
            if epochs is not None:
                after.model.epochs = epochs
            old = before(after)
            b = one(project, old, new=False)
            a = one(project, after, new=True)
            print(f"{name:<12} {preset:<6} {dsp:<9} {b['params']:>7} {fmt(b['float'])} {fmt(b['int8'])}   "
                  f"{a['params']:>7} {fmt(a['float'])} {fmt(a['int8'])} {a['qat']:>4}  "
                  f"{b['seconds']:6.1f}s {a['seconds']:6.1f}s  ({b['split']})", flush=True)


def fmt(v: object) -> str:
    return f"{v:6.3f}" if isinstance(v, float) else f"{'n/a':>6}"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--quick", action="store_true", help="small subsets, first preset, 1 epoch (a check)")
    ap.add_argument("--epochs", type=int, help="epochs for every run (default: the impulse's)")
    args = ap.parse_args()
    epochs = 1 if args.quick and args.epochs is None else args.epochs
    presets = PRESETS[:1] if args.quick else PRESETS
    print("accuracy on the test split (float / int8; after: int8 is the better of PTQ and QAT, QAT only "
          "when PTQ lost more than 1 point)")
    print(f"{'data':<12} {'preset':<6} {'dsp':<9} {'before: params':>14} {'float':>6} {'int8':>6}   "
          f"{'after: params':>7} {'float':>6} {'int8':>6} {'QAT':>4}  {'time before/after':>16}")
    with tempfile.TemporaryDirectory(prefix="bench-presets-") as tmp:
        root = Path(tmp)
        (root / "bm").mkdir()
        bench("BasicMotions", basic_motions_project(root / "bm" / "bm.tsproj", args.quick), epochs, presets)
        bench("shoulder", simboard_project(root / "shoulder.tsproj", args.quick), epochs, presets)


if __name__ == "__main__":
    main()
