"""Benchmark: the model presets, the tuned result and a random forest on window statistics, side by side
with grouped evaluation (leave groups out), on the data we have:

- BasicMotions (sktime; 80 smartwatch recordings, 4 activities, 10 Hz): no person is recorded, so each
  recording is its own group (leave recordings out).
- The simulated board's source (resources/simboard: 7 shoulder exercises by 10 people, 2 sessions each,
  50 Hz): each session is a recording grouped by its subject (leave people out).

Every row is scored on the same folds (core/crossval.py's grouped k-fold over all recordings): float
accuracy mean ± std over folds, and the int8 model's (the deployed one; trees have no int8 form and their
deployed model is the one scored). The baseline is per-window mean, std, min, max and percentiles per axis
into scikit-learn's RandomForestClassifier (100 trees), on the same windows as the default impulse. The
tuned row is `tinystudio tune`'s most accurate point (its search scored points by grouped cross-validation
on the train and validation recordings only), then cross-validated on the folds like every other row.

Run: python tests/benchmarks/bench_tune.py [--quick] [--trials N] [--epochs N] [--data basicmotions simboard]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tinystudio.app import tune as tune_app  # noqa: E402
from tinystudio.app.train import complete, default_impulse, with_changes  # noqa: E402
from tinystudio.core.crossval import CrossValResult, Fold, FoldScore, cross_validate  # noqa: E402
from tinystudio.core.impulse import ImpulseConfig  # noqa: E402
from tinystudio.core.progress import CancelToken, Progress  # noqa: E402
from tinystudio.core.search.space import FAMILIES, impulse_for  # noqa: E402
from tinystudio.core.split import assign_splits  # noqa: E402
from tinystudio.core.store import Project  # noqa: E402
from tinystudio.core.windows import window_project  # noqa: E402

PERCENTILES = (10, 25, 50, 75, 90)
PRESETS = (("dense", "spectral"), ("cnn1d", "raw"), ("rf", "spectral"), ("gbt", "spectral"))


def basicmotions_project(path: Path, quick: bool) -> Project:
    from datasets import basic_motions

    x, y = basic_motions()
    keep = np.arange(len(y)) if not quick else np.concatenate([np.flatnonzero(y == c)[:4] for c in np.unique(y)])
    project = Project.create(path)
    axes = ("accX", "accY", "accZ", "gyrX", "gyrY", "gyrZ")
    for i in keep:
        project.add_sample(x[i], 10.0, axes, str(y[i]).lower(), name=f"rec{i:03d}")
    assign_splits(project)
    return project


def simboard_project(path: Path, quick: bool) -> Project:
    from tinystudio.device.simdata import load_motion_set

    data = load_motion_set()
    subjects = sorted({s.subject for ss in data.sessions.values() for s in ss})
    if quick:
        subjects = subjects[:3]
    activities = data.activities[:2] if quick else data.activities
    project = Project.create(path)
    for activity in activities:
        for n, session in enumerate(data.sessions[activity]):
            if session.subject not in subjects:
                continue
            frames = session.frames[:300] if quick else session.frames
            project.add_sample(frames, data.rate_hz, data.axis_names, activity, units=data.units,
                               group=session.subject, name=f"{activity}-{n}")
    assign_splits(project)
    return project


def window_stats(windows: np.ndarray) -> np.ndarray:
    """(n, frames, axes) -> per window and axis: mean, std, min, max and the percentiles."""
    parts = [windows.mean(1), windows.std(1), windows.min(1), windows.max(1)]
    parts += [np.percentile(windows, p, axis=1) for p in PERCENTILES]
    return np.concatenate(parts, axis=1)


def fit_stats_forest(project: Project, fold: Fold, impulse: ImpulseConfig, progress: Progress,
                     cancel: CancelToken) -> FoldScore:
    """The baseline on one fold: window statistics -> RandomForestClassifier(100 trees)."""
    from sklearn.ensemble import RandomForestClassifier

    w = window_project(project, impulse.window)
    train, test = w.splits["train"], w.splits["test"]
    forest = RandomForestClassifier(n_estimators=100, random_state=0, n_jobs=1)
    forest.fit(window_stats(train.x), train.y)
    acc = float(np.mean(forest.predict(window_stats(test.x)) == test.y))
    return FoldScore(acc, len(test.y))


def fit_with_compression(compression: str, epochs_qat: int) -> Callable[..., FoldScore]:
    """Train a fold as the Train step does, then make the deployed model (int8 by ``compression`` for a
    network; a tree is deployed as fitted) and score both on the held-out windows."""

    def fit(project: Project, fold: Fold, impulse: ImpulseConfig, progress: Progress,
            cancel: CancelToken) -> FoldScore:
        from tinystudio.core.compress import compress
        from tinystudio.core.compress.options import CompressOptions
        from tinystudio.core.models import is_classical
        from tinystudio.core.training import train

        result = train(project, impulse, progress=progress, cancel=cancel)
        assert result.test is not None
        if is_classical(impulse.model.preset):
            return FoldScore(result.test.accuracy, result.test.count)
        variant = compress(project, result.run_id, compression, CompressOptions(epochs=epochs_qat))
        metrics = next(v for v in project.variants(result.run_id) if v["id"] == variant)["metrics"]
        return FoldScore(result.test.accuracy, result.test.count, float(metrics["test_accuracy"]))

    return fit


def row(name: str, cv: CrossValResult, seconds: float, extra: str = "") -> dict[str, Any]:
    acc, int8 = cv.summary(), cv.summary(int8=True)
    assert acc is not None
    out = {"name": name, "float": acc["mean"], "std": acc["std"], "int8": int8["mean"] if int8 else None,
           "seconds": seconds, "extra": extra}
    print(f"   {name}: float {out['float']:.3f} ± {out['std']:.3f}"
          + ("" if out["int8"] is None else f", int8 {out['int8']:.3f}") + f" ({seconds:.0f} s) {extra}", flush=True)
    return out


def bench(name: str, project: Project, args: argparse.Namespace) -> list[dict[str, Any]]:
    rows = []
    base = default_impulse(project)
    groups = len({s.group for s in project.samples() if s.group})
    print(f"\n== {name}: {len(project.samples())} recordings, {groups or 'no'} groups "
          f"({'leave people out' if groups else 'leave recordings out'}), {args.folds} folds, window "
          f"{base.window.window_ms:g} ms", flush=True)

    def cv(impulse: ImpulseConfig, fit: Callable[..., FoldScore]) -> tuple[CrossValResult, float]:
        started = time.perf_counter()
        result = cross_validate(project, impulse, args.folds, fit=fit, seed=0)
        return result, time.perf_counter() - started

    result, secs = cv(base, fit_stats_forest)
    rows.append(row("baseline: RF on window stats", result, secs))
    for preset, dsp in (() if args.skip_presets else PRESETS[::2] if args.quick else PRESETS):
        impulse = with_changes(base, dsp=dsp, model=preset, epochs=args.epochs)
        result, secs = cv(impulse, fit_with_compression("ptq", max(1, args.epochs // 3)))
        rows.append(row(f"preset {preset} ({dsp})", result, secs,
                        "int8 PTQ" if FAMILIES[preset].neural else "trees: deployed as fitted"))
    started = time.perf_counter()
    options = tune_app.TuneOptions(target="mps2-an386", trials=args.trials, epochs=args.epochs,
                                   workers=args.workers, seed=0, families=args.families,
                                   evaluation=args.evaluation)
    tuned = tune_app.tune(project, options, progress=lambda f, m: print(f"   tune: {m}", flush=True))
    point = tune_app.pick_point(tuned)
    stored = tune_app.latest(project)
    assert stored is not None
    impulse = complete(impulse_for(point.params, ImpulseConfig.from_dict(stored[1]["base_impulse"]), args.epochs))
    compression = point.params["compression"] if point.params["compression"] != "none" else "ptq"
    result, secs = cv(impulse, fit_with_compression(compression, max(1, args.epochs // 3)))
    rows.append(row("tuned", result, time.perf_counter() - started,
                    f"{point.describe()}; flash {point.flash_bytes} B, RAM {point.ram_bytes} B, "
                    f"{point.latency_ms:.2f} ms on mps2-an386"))
    return rows


def print_table(name: str, rows: list[dict[str, Any]]) -> None:
    print(f"\n{name}: grouped cross-validation, accuracy mean ± std over folds")
    header = f"{'model':<32} {'float':>14} {'int8':>7} {'int8-float':>10} {'seconds':>8}  notes"
    print(header)
    print("-" * len(header))
    for r in rows:
        int8 = "-" if r["int8"] is None else f"{r['int8']:.3f}"
        delta = "-" if r["int8"] is None else f"{100 * (r['int8'] - r['float']):+.1f} pt"
        print(f"{r['name']:<32} {r['float']:.3f} ± {r['std']:.3f} {int8:>7} {delta:>10} {r['seconds']:>8.0f}  "
              f"{r['extra']}")
    base = rows[0]["float"]
    tuned = rows[-1]
    deployed = tuned["int8"] if tuned["int8"] is not None else tuned["float"]
    print(f"tuned (deployed model) {deployed:.3f} vs baseline {base:.3f}: "
          f"{'beats' if deployed > base else 'does NOT beat'} the baseline; int8 "
          + ("not applicable (trees)" if tuned["int8"] is None else
             f"{'within' if tuned['float'] - tuned['int8'] <= 0.01 else 'NOT within'} 1 point of float"), flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small data, 2 trials, 2 epochs: proves the script runs")
    parser.add_argument("--trials", type=int, default=12)
    parser.add_argument("--epochs", type=int, default=30)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--data", nargs="+", choices=("basicmotions", "simboard"), default=["basicmotions", "simboard"])
    parser.add_argument("--evaluation", choices=("auto", "grouped", "validation"), default="auto",
                        help="how the search scores points (auto: grouped cross-validation with 3 groups or more)")
    parser.add_argument("--skip-presets", action="store_true", help="only the baseline and the tuned result")
    parser.add_argument("--families", nargs="+", choices=list(FAMILIES), help="families to tune (default: all)")
    args = parser.parse_args()
    if args.quick:  # one network and one forest preset, a two-trial search over trees: minutes, not figures
        args.trials, args.epochs, args.folds = 2, 1, 2
        args.families = args.families or ["rf", "gbt"]
    makers = {"basicmotions": ("BasicMotions", basicmotions_project), "simboard": ("Simulated board source",
                                                                                  simboard_project)}
    with tempfile.TemporaryDirectory(prefix="tinystudio-bench-tune-") as tmp:
        tables = []
        for key in args.data:
            title, make = makers[key]
            project = make(Path(tmp) / f"{key}.tsproj", args.quick)
            try:
                tables.append((title, bench(title, project, args)))
            finally:
                project.close()
        for title, rows in tables:
            print_table(title, rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
