"""Which point tune trains by default: the search's reference (on motion data extremely randomised trees on
window statistics; else the best preset) unless a point beats it fold by fold by more than one standard error
of the differences; a project of few people is scored leaving one person out at a time."""

from __future__ import annotations

from pathlib import Path

from tinystudio.app import tune as tune_app
from tinystudio.core.search.outcome import COMPLETE, INFEASIBLE, Budget, TrialOutcome, TuneResult
from tinystudio.core.store import Project

HELD = [["ann"], ["bob"], ["cy"]]


def _point(n: int, folds: list[float], flash: int, family: str = "rf", held: list[list[str]] | None = None,
           state: str = COMPLETE) -> TrialOutcome:
    params = {"window_ms": 1000.0, "dsp": "spectral", "dsp_params": {}, "family": family, "model_params": {},
              "compression": "none"}
    acc = sum(folds) / len(folds)
    return TrialOutcome(n, params, state, acc, acc, acc, flash, 100, 1.0, 0,
                        details={"cv_accuracies": folds, "cv_held_out": held or HELD})


def _result(points: list[TrialOutcome], presets: int, reference: int | None = None) -> TuneResult:
    return TuneResult("host", Budget(), points, "grouped", {}, presets, reference)


def test_the_reference_is_kept_when_the_most_accurate_point_wins_on_some_people_only():
    """Reference (trial 1) 0.733; point 3 scores 0.767 but gains 10 points on one person and loses 5 on
    another: not convincing, so the reference forest is trained and the table says why; --pick still takes
    any row. The best preset by score (trial 0, 0.75) is not the reference and is not trained either."""
    result = _result([_point(0, [0.6, 0.85, 0.8], 900), _point(1, [0.5, 0.9, 0.8], 800),
                      _point(2, [0.4, 0.5, 0.5], 700), _point(3, [0.6, 0.85, 0.85], 5000)], presets=3, reference=1)
    assert [t.number for t in result.front][:2] == [3, 0]
    assert tune_app.pick_point(result).number == 1
    assert tune_app.pick_point(result, 1).number == 3
    lines = tune_app.table_lines(result)
    row = result.recommended
    assert any(ln.startswith(f"{row:>2}*") for ln in lines)
    assert any(ln.startswith(" * trained") and "reference forest" in ln and "no point beats it" in ln
               for ln in lines)


def test_a_point_beating_the_reference_on_every_person_is_trained_however_its_people_differ():
    """Point 2 gains 3 points on each person over the reference; its own scores spread from 0.53 to 0.93
    (standard error 0.12, more than the gain), but fold by fold the gain never varies: it is trained."""
    result = _result([_point(0, [0.5, 0.9, 0.7], 900), _point(1, [0.4, 0.8, 0.6], 800),
                      _point(2, [0.53, 0.93, 0.73], 5000)], presets=2, reference=0)
    assert tune_app.pick_point(result).number == 2
    assert "beats the reference forest (0.700) by more than one standard error" in tune_app.recommendation(result)


def test_without_a_reference_the_best_preset_is_the_anchor():
    """Searches stored before the reference was kept (and audio searches) start from the best preset."""
    result = _result([_point(0, [0.8, 0.8, 0.8], 900), _point(1, [0.7, 0.7, 0.7], 800),
                      _point(2, [0.7, 0.84, 0.98], 5000)], presets=2)
    assert tune_app.pick_point(result).number == 0
    assert "best preset" in tune_app.recommendation(result)
    stored = TuneResult.from_dict({k: v for k, v in result.to_dict().items() if k != "reference"})
    assert stored.reference is None and tune_app.pick_point(stored).number == 0


def test_a_reference_over_the_budget_gives_way_to_the_best_preset():
    result = _result([_point(0, [0.8, 0.8, 0.8], 900), _point(1, [0.9, 0.9, 0.9], 10**6, state=INFEASIBLE),
                      _point(2, [0.78, 0.85, 0.79], 5000)], presets=2, reference=1)
    assert tune_app.pick_point(result).number == 0


def test_a_reference_off_the_front_stays_in_the_table_and_is_trained():
    """A smaller point scored exactly as well: the reference is off the Pareto front, but nothing beats it,
    so it is offered as a row of its own (marked) and trained; --pick 1 takes the smaller point."""
    result = _result([_point(0, [0.8, 0.8, 0.8], 900), _point(1, [0.8, 0.8, 0.8], 400)], presets=1, reference=0)
    assert [t.number for t in result.front] == [1]
    assert [t.number for t in result.rows] == [1, 0]
    assert tune_app.pick_point(result).number == 0 and tune_app.pick_point(result, 1).number == 1
    assert result.to_dict()["pareto"] == [1] and result.to_dict()["rows"] == [1, 0]
    assert result.to_dict()["recommended"] == 2
    lines = tune_app.table_lines(result)
    assert any(ln.startswith(" 2*") and ln.endswith("(reference, off the front)") for ln in lines)
    assert "a smaller point scored as well" in tune_app.recommendation(result)


def test_points_scored_on_other_folds_are_compared_by_their_own_spread():
    """Without the same held-out people the differences cannot be paired: the gain must exceed the point's
    own standard error."""
    other = [["ann"], ["cy"], ["bob"]]
    steady = _point(1, [0.86, 0.88, 0.9], 5000, held=other)  # +0.08 over the reference, own standard error 0.012
    spread = _point(2, [0.7, 0.84, 0.98], 4000, held=other)  # +0.04, own standard error 0.08
    assert tune_app.pick_point(_result([_point(0, [0.8, 0.8, 0.8], 900), steady], 1, 0)).number == 1
    assert tune_app.pick_point(_result([_point(0, [0.8, 0.8, 0.8], 900), spread], 1, 0)).number == 0


def test_without_fold_scores_the_most_accurate_point_is_trained():
    a, b = _point(0, [0.8], 900), _point(1, [0.85], 5000)
    for t in (a, b):
        t.details = {}
    result = TuneResult("host", Budget(), [a, b], "validation", {}, 1, 0)
    assert tune_app.pick_point(result).number == 1


def test_four_people_are_scored_leaving_one_person_out_and_the_pick_follows_the_rule(bm_copy: Path):
    """Four people outside the test split: every point is scored on four folds, each holding out one person
    (three folds before); the stored search keeps how many presets ran first and which is the reference,
    and the trained pick is the recommended row."""
    with Project.open(bm_copy) as project:
        samples = project.samples()
        for i, group in enumerate(("ann", "bob", "cy", "dee")):
            project.set_group([s.id for s in samples[i::4]], group)
            project.set_split([s.id for s in samples[i::4]], "validation" if group == "dee" else "train",
                              manual=True)
        result = tune_app.tune(project, tune_app.TuneOptions(target="host", trials=3, epochs=1, families=["rf"],
                                                             workers=2))
        stored = tune_app.latest(project)
    assert result.evaluation == "grouped" and result.presets == 4 and result.reference == 2
    done = [t for t in result.trials if t.state == COMPLETE]
    assert done, [t.note for t in result.trials]
    for t in done:
        assert t.details["cv_folds"] == 4
        assert all(len(held) == 1 for held in t.details["cv_held_out"])
    assert stored is not None and stored[0].presets == 4 and stored[0].reference == 2
    assert tune_app.pick_point(stored[0]).number == result.front[result.recommended - 1].number
