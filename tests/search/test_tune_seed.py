"""The same seed gives the same search: whatever the workers and whichever trial finishes first, the sampler
proposes the same points, every trial trains with a seed of its own derived from the search's, and the same
point is picked; another seed searches elsewhere. A cancelled search keeps the trials that finished."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tinystudio.app import tune as tune_app
from tinystudio.core.errors import Cancelled
from tinystudio.core.progress import CancelToken
from tinystudio.core.search.outcome import TuneResult
from tinystudio.core.search.study import trial_seed
from tinystudio.core.store import Project


def _search(small_bm: Path, folder: Path, seed: int, workers: int) -> TuneResult:
    """Ten forest trials on a fresh copy of the project (the presets, random points, then the sampler's)."""
    folder.mkdir()
    path = folder / "bm.tsproj"
    shutil.copy(small_bm, path)
    with Project.open(path) as project:
        return tune_app.tune(project, tune_app.TuneOptions(target="host", trials=10, epochs=1, families=["rf"],
                                                           workers=workers, seed=seed))


def _points(result: TuneResult) -> list[dict]:
    return [t.params for t in sorted(result.trials, key=lambda t: t.number)]


def test_same_seed_same_search_on_two_workers_and_on_one(small_bm: Path, tmp_path: Path):
    """Two workers finish trials in an order the machine decides; one worker finishes them in trial order.
    Both searches propose the same ten points, measure them alike and pick the same model; seed 8 differs."""
    two = _search(small_bm, tmp_path / "two", seed=7, workers=2)
    one = _search(small_bm, tmp_path / "one", seed=7, workers=1)
    assert len(two.trials) == len(one.trials) == 10
    assert _points(two) == _points(one)
    assert [t.accuracy for t in two.trials] == [t.accuracy for t in one.trials]
    picked_two, picked_one = tune_app.pick_point(two), tune_app.pick_point(one)
    assert (picked_two.number, picked_two.params, picked_two.accuracy) == \
        (picked_one.number, picked_one.params, picked_one.accuracy)
    # each trial trained with its own seed from the search's seed and its number, never from the clock
    assert [t.seed for t in two.trials] == [trial_seed(7, t.number) for t in two.trials]
    assert len({t.seed for t in two.trials}) == len(two.trials)
    other = _search(small_bm, tmp_path / "other", seed=8, workers=2)
    assert _points(other) != _points(two)


def test_cancelled_search_keeps_the_trials_that_finished(bm_copy: Path):
    """Cancel as the first trial comes in: the search stops, and the stored search holds what finished."""
    cancel = CancelToken()
    seen: list[int] = []

    def first_then_cancel(outcome: tune_app.TrialOutcome) -> None:
        seen.append(outcome.number)
        cancel.cancel()

    with Project.open(bm_copy) as project:
        with pytest.raises(Cancelled):
            tune_app.tune(project, tune_app.TuneOptions(target="host", trials=10, epochs=1, families=["rf"],
                                                        workers=1, seed=3), cancel=cancel, on_trial=first_then_cancel)
        stored = tune_app.latest(project)
    assert stored is not None and stored[1]["cancelled"] is True
    result = stored[0]
    assert [t.number for t in result.trials] == seen and len(seen) < 10
    assert all(t.measured for t in result.trials)
    assert tune_app.pick_point(result).number in seen
