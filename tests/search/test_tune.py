"""The tune search: budgets prune and mark points, grouped evaluation, cancel, the CLI's trained pick that
deploy then tests on the host board, and the latency model's units."""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path

import pytest

from cli_helpers import run_cli
from tinystudio.app import tune as tune_app
from tinystudio.app.variants import marked_variant
from tinystudio.core import children
from tinystudio.core.errors import Cancelled, UserError
from tinystudio.core.progress import CancelToken
from tinystudio.core.search.outcome import COMPLETE, INFEASIBLE, PRUNED, TrialOutcome, pareto_front
from tinystudio.core.store import Project
from tinystudio.targets.latency_table import latency_model
from tinystudio.targets.registry import board_spec


def _point(n: int, acc: float, flash: int, ram: int = 100, ms: float = 1.0) -> TrialOutcome:
    params = {"window_ms": 1000.0, "dsp": "raw", "dsp_params": {}, "family": "rf", "model_params": {},
              "compression": "none"}
    return TrialOutcome(n, params, COMPLETE, acc, acc, acc, flash, ram, ms, 0)


def test_pareto_front_keeps_undominated_points_most_accurate_first():
    points = [_point(0, 0.9, 5000), _point(1, 0.8, 6000), _point(2, 0.7, 1000), _point(3, 0.95, 9000)]
    points.append(TrialOutcome(4, points[0].params, INFEASIBLE, 0.99, 0.99, 0.99, 10, 10, 0.1, 0))
    front = pareto_front(points)
    assert [t.number for t in front] == [3, 0, 2]  # 1 is beaten by 0; 4 is over the budget


def test_latency_model_converts_counts_with_the_board_clock():
    m4 = latency_model(board_spec("mps2-an386"))
    assert m4.counts_per_ms == 25_000.0 and m4.unit == "emulated instructions"
    assert m4.ms(100_000, 5) == pytest.approx(m4.count(100_000, 5) / 25_000.0)
    assert m4.ms(200_000, 5) > m4.ms(100_000, 5)
    real = latency_model(board_spec("nucleo-f429zi"))  # not calibrated on the board itself: says so
    assert "borrowed from mps2-an386" in real.provenance and real.counts_per_ms == 180_000.0


def test_budget_prunes_before_training_and_marks_measured_points_over_it(bm_copy: Path):
    """A flash budget of 600 B: a dense network's int8 weights alone exceed it (pruned, never trained); a
    forest is measured from its generated C and kept as over budget; nothing is on the front."""
    seen: list[TrialOutcome] = []
    with Project.open(bm_copy) as project:
        options = tune_app.TuneOptions(target="mps2-an386", trials=4, budget_flash=600, epochs=1,
                                       families=["dense", "rf"], workers=2, seed=3)
        result = tune_app.tune(project, options, on_trial=seen.append)
        states = {t.params["family"]: t.state for t in result.trials}
        assert states.get("dense") == PRUNED and states.get("rf") == INFEASIBLE, states
        over = next(t for t in result.trials if t.state == INFEASIBLE)
        assert over.flash_bytes is not None and over.flash_bytes > 600 and "flash" in over.note
        assert result.front == [] and len(seen) == 4
        with pytest.raises(UserError, match="no point of the search fits the budget"):
            tune_app.pick_point(result)
        stored = tune_app.latest(project)
        assert stored is not None and len(stored[0].trials) == 4


def test_presets_run_first_and_points_are_scored_by_grouped_folds(bm_copy: Path):
    """Three people: the search evaluates by groups; the first trials are the presets as the Train step would
    train them (the suggested window, spectral block and data-sized dense network; the forest preset), and
    every point's accuracy is the mean over folds that each hold one person out (with their spread), less what
    int8 lost on the validation split."""
    from tinystudio.app.train import default_impulse
    from tinystudio.core.search.trial import int8_loss

    with Project.open(bm_copy) as project:
        samples = project.samples()
        for i, group in enumerate(("ann", "bob", "cy")):
            project.set_group([s.id for s in samples[i::3]], group)
        base = default_impulse(project)
        options = tune_app.TuneOptions(target="host", trials=3, epochs=1, families=["dense", "rf"], workers=2)
        result = tune_app.tune(project, options)
    by_number = {t.number: t for t in result.trials}
    dense, forest = by_number[0].params, by_number[1].params
    assert (dense["family"], dense["dsp"], dense["compression"]) == ("dense", "spectral", "ptq")
    assert dense["window_ms"] == base.window.window_ms
    assert dense["dsp_params"]["fft_length"] == base.dsp.params["fft_length"]
    assert dense["model_params"] == base.model.params
    assert (forest["family"], forest["dsp"]) == ("rf", "spectral")
    assert forest["model_params"] == {"trees": 10, "max_depth": 8, "split": "best", "min_samples_leaf": 1}
    assert result.evaluation == "grouped"
    done = [t for t in result.trials if t.state == COMPLETE]
    assert len(done) == 3, [t.note for t in result.trials]
    for t in done:
        assert t.details["cv_folds"] == 3 and "cv_std" in t.details
        assert 0.0 <= (t.accuracy or 0) <= 1.0
        assert sorted(g for held in t.details["cv_held_out"] for g in held) == ["ann", "bob", "cy"]
        folds = t.details["cv_accuracies"]
        expected = sum(folds) / len(folds) - int8_loss(t.float_accuracy, t.int8_accuracy)
        assert t.accuracy == pytest.approx(expected, abs=1e-3)
    assert by_number[1].accuracy != pytest.approx(by_number[1].int8_accuracy or -1.0)  # not the validation figure


def test_grouped_evaluation_when_the_test_split_holds_a_whole_group(bm_copy: Path):
    """Three people, one of them only in the test split: the search cross-validates the other two (two
    folds) instead of failing every trial for want of a third fold."""
    with Project.open(bm_copy) as project:
        samples = project.samples()
        test = [s.id for s in samples if s.split == "test"]
        rest = [s.id for s in samples if s.split != "test"]
        project.set_group(test, "cy")
        project.set_group(rest[0::2], "ann")
        project.set_group(rest[1::2], "bob")
        result = tune_app.tune(project, tune_app.TuneOptions(target="host", trials=2, epochs=1, families=["rf"],
                                                             workers=2))
    assert result.evaluation == "grouped"
    assert [t.state for t in result.trials] == [COMPLETE, COMPLETE], [t.note for t in result.trials]


def test_cancel_stops_running_trials(bm_copy: Path):
    cancel = CancelToken()
    errors: list[BaseException] = []
    messages: list[str] = []

    def work() -> None:
        with Project.open(bm_copy) as project:
            try:
                tune_app.tune(project, tune_app.TuneOptions(target="host", trials=4, epochs=50, families=["dense"],
                                                            workers=1), cancel=cancel,
                              progress=lambda f, m: messages.append(m))
            except BaseException as exc:  # noqa: BLE001 - the test reads it
                errors.append(exc)

    thread = threading.Thread(target=work)
    thread.start()
    while not messages:
        time.sleep(0.05)
    time.sleep(1.0)  # the first trial's worker process is running
    assert children._live, "a trial runs in a worker process"
    cancel.cancel()
    thread.join(timeout=30)
    assert not thread.is_alive()
    assert errors and isinstance(errors[0], Cancelled)
    assert not children._live  # the worker process was stopped


@pytest.mark.slow
def test_cli_tune_trains_the_best_point_and_deploy_tests_it(bm_copy: Path):
    code, out, err = run_cli("tune", str(bm_copy), "--target", "host", "--trials", "2", "--epochs", "2",
                             "--families", "dense", "rf", "--compression", "ptq", "--workers", "2", "--json")
    assert code == 0, err
    data = json.loads(out)
    front = data["pareto"]
    assert front, data["trials"]
    best = max((t for t in data["trials"] if t["number"] in front), key=lambda t: t["accuracy"])
    picked = data["picked"]
    with Project.open(bm_copy) as project:
        runs = project.runs("train")
        assert runs[-1].id == picked["run_id"]
        assert runs[-1].config["impulse"]["model"]["preset"] == best["params"]["family"]
        assert marked_variant(project) == picked["variant_id"]
    code, out, err = run_cli("deploy", str(bm_copy), "--target", "host", "--json")
    assert code == 0, err
    report = json.loads(out)
    assert report["variant_id"] == picked["variant_id"]
    assert report["agreement"] == 1.0


def test_search_trains_each_point_once_with_the_baseline_forest_early(bm_copy: Path):
    """Forests only, ten trials: the presets come first (the Train step's forest, the usual baseline
    itself: window statistics into 100 trees, the search's reference: the same with extremely randomised
    trees, then 100 trees on the forest's own spectral features), and no
    point of the space is trained twice (a repeat proposed by the sampler hears the figures already
    measured, and the trial goes to a new point)."""
    from tinystudio.core.search.study import point_key

    with Project.open(bm_copy) as project:
        result = tune_app.tune(project, tune_app.TuneOptions(target="host", trials=10, epochs=1, families=["rf"],
                                                             workers=2, seed=1))
    by_number = {t.number: t for t in result.trials}
    forest = {"trees": 100, "max_depth": 16, "split": "best", "min_samples_leaf": 1}
    assert by_number[0].params["model_params"] == {"trees": 10, "max_depth": 8, "split": "best", "min_samples_leaf": 1}
    assert by_number[1].params["model_params"] == forest
    assert by_number[1].params["dsp"] == "statistics" and by_number[1].params["dsp_params"] == {}
    assert by_number[2].params["model_params"] == {**forest, "split": "random", "min_samples_leaf": 5}
    assert by_number[2].params["dsp"] == "statistics" and result.reference == 2
    assert by_number[3].params["model_params"] == forest
    assert by_number[3].params["dsp"] == by_number[0].params["dsp"] == "spectral"
    assert by_number[3].params["dsp_params"] == by_number[0].params["dsp_params"]
    assert by_number[1].params["window_ms"] == by_number[2].params["window_ms"] == by_number[0].params["window_ms"]
    keys = [point_key(t.params) for t in result.trials]
    assert len(result.trials) == 10 and len(set(keys)) == len(keys)
