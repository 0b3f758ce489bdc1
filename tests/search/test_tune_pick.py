"""Which point tune trains by default: with grouped scores the most accurate point must beat the best preset
by more than one standard error of its fold scores, else the preset is trained; a project of few people is
scored leaving one person out at a time."""

from __future__ import annotations

import math
from pathlib import Path

from tinystudio.app import tune as tune_app
from tinystudio.core.search.outcome import COMPLETE, Budget, TrialOutcome, TuneResult
from tinystudio.core.store import Project


def _point(n: int, folds: list[float], flash: int, family: str = "rf") -> TrialOutcome:
    params = {"window_ms": 1000.0, "dsp": "spectral", "dsp_params": {}, "family": family, "model_params": {},
              "compression": "none"}
    acc = sum(folds) / len(folds)
    return TrialOutcome(n, params, COMPLETE, acc, acc, acc, flash, 100, 1.0, 0,
                        details={"cv_accuracies": folds})


def _result(points: list[TrialOutcome], presets: int) -> TuneResult:
    return TuneResult("host", Budget(), points, "grouped", {}, presets)


def test_a_search_point_within_one_standard_error_of_the_best_preset_gives_way_to_it():
    """Presets 0 and 1 (best 0.80); point 2 scores 0.84 on folds spread 0.70..0.98 (standard error 0.08): not
    a convincing gain, so the preset is trained; the table marks it and --pick still takes any row."""
    result = _result([_point(0, [0.8, 0.8, 0.8], 900), _point(1, [0.7, 0.7, 0.7], 800),
                      _point(2, [0.7, 0.84, 0.98], 5000)], presets=2)
    assert [t.number for t in result.front] == [2, 0, 1]
    assert result.recommended == 2
    assert tune_app.pick_point(result).number == 0
    assert tune_app.pick_point(result, 1).number == 2
    lines = tune_app.table_lines(result)
    assert any(ln.startswith(" 2*") for ln in lines)
    assert any(ln.startswith(" * trained") and "best preset" in ln for ln in lines)


def test_a_search_point_beating_the_best_preset_by_more_than_its_standard_error_is_trained():
    steady = _point(2, [0.86, 0.88, 0.9], 5000)  # +0.08 over the preset, standard error 0.012
    result = _result([_point(0, [0.8, 0.8, 0.8], 900), steady], presets=1)
    se = math.sqrt(sum((a - 0.88) ** 2 for a in [0.86, 0.88, 0.9]) / 2 / 3)
    assert 0.88 - 0.8 > se
    assert tune_app.pick_point(result).number == 2


def test_a_dominated_preset_gives_way_to_the_smaller_point_that_is_as_accurate():
    result = _result([_point(0, [0.8, 0.8, 0.8], 900), _point(1, [0.7, 0.82, 0.94], 400)], presets=1)
    assert [t.number for t in result.front] == [1]
    assert tune_app.pick_point(result).number == 1
    assert "replaces it" in tune_app.recommendation(result)


def test_without_fold_scores_the_most_accurate_point_is_trained():
    a, b = _point(0, [0.8], 900), _point(1, [0.85], 5000)
    result = TuneResult("host", Budget(), [a, b], "validation", {}, 1)
    assert tune_app.pick_point(result).number == 1


def test_four_people_are_scored_leaving_one_person_out_and_the_pick_follows_the_rule(bm_copy: Path):
    """Four people outside the test split: every point is scored on four folds, each holding out one person
    (three folds before); the stored search keeps how many presets ran first, and the trained pick is the
    recommended row."""
    with Project.open(bm_copy) as project:
        samples = project.samples()
        for i, group in enumerate(("ann", "bob", "cy", "dee")):
            project.set_group([s.id for s in samples[i::4]], group)
            project.set_split([s.id for s in samples[i::4]], "validation" if group == "dee" else "train",
                              manual=True)
        result = tune_app.tune(project, tune_app.TuneOptions(target="host", trials=3, epochs=1, families=["rf"],
                                                             workers=2))
        stored = tune_app.latest(project)
    assert result.evaluation == "grouped" and result.presets == 3
    done = [t for t in result.trials if t.state == COMPLETE]
    assert done, [t.note for t in result.trials]
    for t in done:
        assert t.details["cv_folds"] == 4
        assert all(len(held) == 1 for held in t.details["cv_held_out"])
    assert stored is not None and stored[0].presets == 3
    assert tune_app.pick_point(stored[0]).number == result.front[result.recommended - 1].number
