"""Benchmark: the model presets, the tuned result and a random forest on window statistics, side by side
with grouped evaluation (leave groups out), on the data we have:

- BasicMotions (sktime; 80 smartwatch recordings, 4 activities, 10 Hz): no person is recorded, so each
  recording is its own group (leave recordings out).
- The simulated board's source (resources/simboard: 7 shoulder exercises by 10 people, 2 sessions each,
  50 Hz): each session is a recording grouped by its subject (leave people out).
- A few people (``simboard-few``): the first --few-classes exercises (3) of that source by its first four
  people, one person held out per fold (leave one person out), as a small project recorded by a handful of
  people is; trees and networks both have little to learn from here.

Every row is scored on the same folds (core/crossval.py's grouped k-fold over all recordings): float
accuracy mean ± std over folds, and the int8 model's (the deployed one; trees have no int8 form and their
deployed model is the one scored). The baseline is per-window mean, std, min, max and percentiles per axis
into scikit-learn's RandomForestClassifier (100 trees), on the same windows as the default impulse. The
tuned row is nested: on each outer fold `tinystudio tune` searches (--trials points, the presets first) on
that fold's training recordings only, scoring points by grouped cross-validation over those people
(--cv-folds; one person per fold with five or fewer), and its recommended point (the search's reference,
extremely randomised trees on window statistics, unless a point beats it fold by fold by more than one
standard error of the differences) is trained on the fold's training side and scored on the held-out
people, int8 by the point's own compression. Networks train as
the Train step does (the suggested impulse's epochs, cosine schedule and augmentation) unless --epochs
says otherwise.

Run: python tests/benchmarks/bench_tune.py [--quick] [--trials N] [--epochs N] [--folds K] [--cv-folds K]
     [--data basicmotions simboard simboard-few] [--few-classes N] [--presets dense cnn1d rf gbt dense-statistics
     rf-spectral-statistics extra-trees-statistics]
     [--families dense cnn1d rf gbt]
"""

from __future__ import annotations

import argparse
import os
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
PRESETS: dict[str, tuple[str, str, dict[str, Any]]] = {
    "dense": ("dense", "spectral", {}), "cnn1d": ("cnn1d", "raw", {}), "rf": ("rf", "spectral", {}),
    "gbt": ("gbt", "spectral", {}), "dense-statistics": ("dense", "statistics", {}),
    "rf-spectral-statistics": ("rf", "spectral-statistics", {}),
    "extra-trees-statistics": ("rf", "statistics", {"trees": 100, "max_depth": 16, "split": "random",
                                                    "min_samples_leaf": 5}),
}
"""Preset rows by name: a model preset, the DSP block it runs on and its parameters (the last: the search's
reference on motion data, extremely randomised trees on window statistics)."""
QUICK_PRESETS = ("dense", "rf", "extra-trees-statistics")
"""The preset rows of --quick: one network, one forest and the reference."""


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


FEW_PEOPLE = 4


def simboard_few_project(path: Path, quick: bool, classes: int = 3) -> Project:
    """``classes`` exercises by the first ``FEW_PEOPLE`` people of the simulated board's source, each
    session a recording grouped by its person (quick: two exercises, shortened sessions)."""
    from tinystudio.device.simdata import load_motion_set

    data = load_motion_set()
    people = sorted({s.subject for ss in data.sessions.values() for s in ss})[:FEW_PEOPLE]
    project = Project.create(path)
    for activity in data.activities[: 2 if quick else classes]:
        for n, session in enumerate(data.sessions[activity]):
            if session.subject in people:
                project.add_sample(session.frames[:300] if quick else session.frames, data.rate_hz,
                                   data.axis_names, activity, units=data.units, group=session.subject,
                                   name=f"{activity}-{n}")
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
           "int8_std": int8["std"] if int8 else None, "seconds": seconds, "extra": extra,
           "folds": [(f.held_out, s.accuracy, s.int8_accuracy) for f, s in zip(cv.folds, cv.scores, strict=True)]}
    print(f"   {name}: float {out['float']:.3f} ± {out['std']:.3f}"
          + ("" if out["int8"] is None else f", int8 {out['int8']:.3f} ± {out['int8_std']:.3f}")
          + f" ({seconds:.0f} s) {extra}", flush=True)
    print("      per fold (float/int8): " + ", ".join(
        f"{i + 1}: {a:.3f}" + ("" if q is None else f"/{q:.3f}") for i, (_, a, q) in enumerate(out["folds"])),
        flush=True)
    return out


def bench(name: str, project: Project, args: argparse.Namespace, one_by_one: bool = False) -> list[dict[str, Any]]:
    """The table's rows for one data set (``one_by_one``: leave one person out, whatever --folds says)."""
    rows = []
    base = default_impulse(project)
    groups = len({s.group for s in project.samples() if s.group})
    if groups and (one_by_one or args.folds > groups):  # never more folds than people
        args = argparse.Namespace(**{**vars(args), "folds": groups})
    print(f"\n== {name}: {len(project.samples())} recordings, {groups or 'no'} groups "
          f"({'leave people out' if groups else 'leave recordings out'}), {args.folds} folds, window "
          f"{base.window.window_ms:g} ms", flush=True)

    def cv(impulse: ImpulseConfig, fit: Callable[..., FoldScore]) -> tuple[CrossValResult, float]:
        started = time.perf_counter()
        result = cross_validate(project, impulse, args.folds, fit=fit, seed=0)
        return result, time.perf_counter() - started

    result, secs = cv(base, fit_stats_forest)
    rows.append(row("baseline: RF on window stats", result, secs))
    epochs = args.epochs or base.model.epochs
    wanted = args.presets or (QUICK_PRESETS if args.quick else list(PRESETS))
    presets = [pd for name, pd in PRESETS.items() if name in wanted]
    for preset, dsp, params in (() if args.skip_presets else presets):
        impulse = with_changes(base, dsp=dsp, model=preset, epochs=epochs)
        impulse.model.params.update(params)
        result, secs = cv(impulse, fit_with_compression("ptq", max(1, epochs // 3)))
        kind = "extra trees" if params.get("split") == "random" else preset
        rows.append(row(f"preset {kind} ({dsp})", result, secs,
                        "int8 PTQ" if FAMILIES[preset].neural else "trees: deployed as fitted"))
    started = time.perf_counter()
    result = cross_validate(project, base, args.folds, fit=fit_tuned(args), seed=0)
    points = "; ".join(f"fold {f.index + 1}: {s.details['point']} (search {s.details['search_accuracy']:.3f})"
                       for f, s in zip(result.folds, result.scores, strict=True))
    rows.append(row("tuned", result, time.perf_counter() - started, points))
    return rows


def search_project(fold_project: Project, path: Path) -> tuple[Project, str]:
    """What one fold's search may see: a copy of the fold's training recordings only (its held-out people
    deleted), split 80/20 into train and validation by group; with fewer than three groups the groups are
    dropped so the split can work by recording (with very few recordings, one per label validates).
    Returns the copy and a line saying what it holds."""
    search = fold_project.snapshot(path)
    search.delete([s.id for s in search.samples() if s.split == "test"])
    samples = search.samples()
    people = sorted({s.group for s in samples if s.group})
    if 0 < len(people) < 3:
        search.set_group([s.id for s in samples], None)
    search.set_split([s.id for s in samples], None, manual=False)
    assign_splits(search, (0.8, 0.2, 0.0))
    left = search.samples()
    if not any(s.split == "validation" for s in left):  # a handful of recordings: one per label validates
        by_label: dict[str, list[int]] = {}
        for s in left:
            by_label.setdefault(str(s.label), []).append(s.id)
        search.set_split([ids[-1] for ids in by_label.values() if len(ids) > 1], "validation", manual=True)
    seen = f"{len(left)} recordings" + (f" of {len(people)} people ({', '.join(people)})" if people else "")
    return search, seen


def fit_tuned(args: argparse.Namespace) -> Callable[..., FoldScore]:
    """Nested evaluation of `tinystudio tune`: on each outer fold the search runs on the fold's training
    recordings only (``search_project``), scoring its points by grouped cross-validation over those people
    (the app's rule: three groups or more); its recommended point is then trained on the whole training
    side as the Train step trains, made int8 with the point's own compression, and scored on the held-out
    people it never saw."""

    def fit(project: Project, fold: Fold, impulse: ImpulseConfig, progress: Progress,
            cancel: CancelToken) -> FoldScore:
        options = tune_app.TuneOptions(target="mps2-an386", trials=args.trials, epochs=args.epochs,
                                       workers=args.workers, seed=0, families=args.families,
                                       evaluation=args.evaluation, cv_folds=args.cv_folds)
        with tempfile.TemporaryDirectory(prefix="tinystudio-bench-search-") as tmp:
            search, seen = search_project(project, Path(tmp) / "search.tsproj")
            try:
                print(f"   tuned, fold {fold.index + 1}/{fold.k} (held out: {', '.join(fold.held_out)}): "
                      f"search on {seen}", flush=True)
                tuned = tune_app.tune(search, options, on_trial=lambda t: print(
                    f"      trial {t.number + 1} {t.state}: {t.describe()}"
                    + ("" if t.accuracy is None else f" -> {t.accuracy:.3f}")
                    + ("" if "cv_accuracies" not in t.details else f" (folds {t.details['cv_accuracies']})")
                    + (f" {t.seconds:.0f} s" if t.seconds else "") + (f" ({t.note})" if t.note else ""),
                    flush=True))
                point = tune_app.pick_point(tuned)
                stored = tune_app.latest(search)
                assert stored is not None
                base, epochs = stored[1]["base_impulse"], int(stored[1]["settings"]["epochs"])
            finally:
                search.close()
        chosen = complete(impulse_for(point.params, ImpulseConfig.from_dict(base), epochs))
        compression = point.params["compression"] if point.params["compression"] != "none" else "ptq"
        score = fit_with_compression(compression, max(1, epochs // 3))(project, fold, chosen, progress, cancel)
        score.details.update(point=point.describe(), search_accuracy=float(point.accuracy or 0.0),
                             evaluation=tuned.evaluation)
        print(f"   tuned, fold {fold.index + 1}: picked {point.describe()} (search {tuned.evaluation} "
              f"{point.accuracy:.3f}; flash {point.flash_bytes} B, RAM {point.ram_bytes} B, "
              f"{point.latency_ms:.2f} ms on mps2-an386; {tune_app.recommendation(tuned)}) -> held out float "
              f"{score.accuracy:.3f}"
              + ("" if score.int8_accuracy is None else f", int8 {score.int8_accuracy:.3f}"), flush=True)
        return score

    return fit


def print_table(name: str, rows: list[dict[str, Any]]) -> None:
    print(f"\n{name}: grouped cross-validation, accuracy mean ± std over folds")
    header = f"{'model':<32} {'float':>14} {'int8':>14} {'int8-float':>10} {'seconds':>8}  notes"
    print(header)
    print("-" * len(header))
    mixed = False
    for r in rows:
        int8 = "-" if r["int8"] is None else f"{r['int8']:.3f} ± {r['int8_std']:.3f}"
        delta = "-" if r["int8"] is None else f"{100 * (r['int8'] - r['float']):+.1f} pt"
        if r["int8"] is not None and any(q is None for _, _, q in r["folds"]):  # networks on some folds only
            deployed = [a if q is None else q for _, a, q in r["folds"]]
            int8 = f"{np.mean(deployed):.3f} ± {np.std(deployed):.3f}*"
            delta, mixed = f"{100 * (np.mean(deployed) - r['float']):+.1f} pt", True
        print(f"{r['name']:<32} {r['float']:.3f} ± {r['std']:.3f} {int8:>14} {delta:>10} {r['seconds']:>8.0f}  "
              f"{r['extra'] if r['name'] != 'tuned' else 'nested: searched on each fold’s training people only'}")
    if mixed:
        print("* deployed models: int8 on the folds that picked a network, the tree itself on the others")
    print("per fold (held out: float/int8): " + "; ".join(
        f"{i + 1} ({', '.join(held)})" for i, (held, _, _) in enumerate(rows[0]["folds"])))
    for r in rows:
        print(f"  {r['name']:<30} " + "  ".join(
            f"{a:.3f}" + ("" if q is None else f"/{q:.3f}") for _, a, q in r["folds"]))
    base = rows[0]["float"]
    tuned = rows[-1]
    # the deployed model of each fold: int8 for a network, the tree itself; folds mix both when the search
    # picked a network on some and trees on others
    deployed = float(np.mean([a if q is None else q for _, a, q in tuned["folds"]]))
    nets = [(a, q) for _, a, q in tuned["folds"] if q is not None]
    print(f"tuned (deployed model) {deployed:.3f} vs baseline {base:.3f} (means over folds): "
          f"{'beats' if deployed > base else 'does NOT beat'} the baseline; int8 "
          + ("not applicable (trees)" if not nets else
             f"{'within' if all(a - q <= 0.01 for a, q in nets) else 'NOT within'} 1 point of float on the "
             f"{len(nets)} fold(s) that picked a network"), flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small data, 2 trials, 2 epochs: proves the script runs")
    parser.add_argument("--trials", type=int, default=8, help="search trials on each outer fold")
    parser.add_argument("--epochs", type=int, default=None,
                        help="epochs for every network (default: the suggested impulse's own, 30 for motion)")
    parser.add_argument("--cv-folds", type=int, default=3,
                        help="grouped folds the search scores each point on (inside each outer fold)")
    parser.add_argument("--folds", type=int, default=5, help="outer folds (leave people or recordings out)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--data", nargs="+", choices=("basicmotions", "simboard", "simboard-few"),
                        default=["basicmotions", "simboard", "simboard-few"])
    parser.add_argument("--few-classes", type=int, default=3, help="exercises in simboard-few (2 to 7)")
    parser.add_argument("--evaluation", choices=("auto", "grouped", "validation"), default="auto",
                        help="how the search scores points (auto: grouped cross-validation with 3 groups or more)")
    parser.add_argument("--skip-presets", action="store_true", help="only the baseline and the tuned result")
    parser.add_argument("--presets", nargs="+", choices=list(PRESETS),
                        help="preset rows to measure (default: all)")
    parser.add_argument("--families", nargs="+", choices=list(FAMILIES), help="families to tune (default: all)")
    args = parser.parse_args()
    if not 2 <= args.few_classes <= 7:
        parser.error("--few-classes must be between 2 and 7")
    if args.quick:  # one network and one forest preset, a two-trial search over trees: minutes, not figures
        args.trials, args.epochs, args.folds = 2, 1, 2
        args.families = args.families or ["rf", "gbt"]
    makers: dict[str, tuple[str, Callable[[Path, bool], Project]]] = {
        "basicmotions": ("BasicMotions", basicmotions_project),
        "simboard": ("Simulated board source", simboard_project),
        "simboard-few": (f"Simulated board source, {2 if args.quick else args.few_classes} exercises by "
                         f"{FEW_PEOPLE} people",
                         lambda path, quick: simboard_few_project(path, quick, args.few_classes)),
    }
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="tinystudio-bench-tune-") as tmp:
        tables = []
        for key in args.data:
            title, make = makers[key]
            project = make(Path(tmp) / f"{key}.tsproj", args.quick)
            try:
                tables.append((title, bench(title, project, args, one_by_one=key == "simboard-few")))
            finally:
                project.close()
        for title, rows in tables:
            print_table(title, rows)
    load = os.getloadavg()
    print(f"\nrun: {time.perf_counter() - started:.0f} s; outer folds as each table says (--folds {args.folds}, "
          f"at most one per person; simboard-few: one per person), search {args.trials} trials "
          f"on each ({args.cv_folds} grouped folds per point, {args.workers} at a time), epochs "
          f"{args.epochs or 'as the suggested impulse'}, families {' '.join(args.families or ['all'])}; "
          f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} on {os.cpu_count()} cores", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
