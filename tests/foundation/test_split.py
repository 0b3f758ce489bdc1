"""Split invariants as properties: stratified within one recording, no group in two splits, stability."""

from collections import Counter, defaultdict

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tinystudio.core.errors import UserError
from tinystudio.core.split import assign_splits, parse_ratios
from tinystudio.core.store import SPLITS, Project

ONE = np.zeros((4, 1), np.float32)
_settings = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _project(tmp_path_factory, label_counts, groups=None):
    p = Project.create(tmp_path_factory.mktemp("split") / "p.tsproj")
    rows = [(label, i) for label, n in label_counts.items() for i in range(n)]
    for k, (label, _) in enumerate(rows):
        p.add_sample(ONE, 10, ["a"], label, group=None if groups is None else groups[k % len(groups)])
    return p


ratio_strategy = st.tuples(st.integers(1, 10), st.integers(0, 5), st.integers(0, 5))
counts_strategy = st.dictionaries(st.sampled_from(list("abcdef")), st.integers(1, 40), min_size=1, max_size=4)


@_settings
@given(counts=counts_strategy, ratios=ratio_strategy)
def test_each_label_is_within_one_recording_of_target(tmp_path_factory, counts, ratios):
    with _project(tmp_path_factory, counts) as p:
        report = assign_splits(p, ratios)
        fractions = [r / sum(ratios) for r in ratios]
        per_label = defaultdict(Counter)
        for s in p.samples():
            assert s.split in SPLITS
            per_label[s.label][s.split] += 1
        for label, n in counts.items():
            for split, frac in zip(SPLITS, fractions, strict=True):
                assert abs(per_label[label][split] - frac * n) <= 1.0 + 1e-9
            assert report.counts[label] == {sp: per_label[label][sp] for sp in SPLITS}


@_settings
@given(counts=counts_strategy, n_groups=st.integers(1, 12))
def test_no_group_in_two_splits_even_when_adding_later(tmp_path_factory, counts, n_groups):
    groups = [f"person{i}" for i in range(n_groups)]
    with _project(tmp_path_factory, counts, groups) as p:
        assign_splits(p)
        for k in range(7):  # more recordings from known and new people arrive later
            p.add_sample(ONE, 10, ["a"], "a", group=f"person{k % (n_groups + 2)}")
        assign_splits(p)
        homes = defaultdict(set)
        for s in p.samples():
            homes[s.group].add(s.split)
        assert all(len(v) == 1 for v in homes.values())


@_settings
@given(first=counts_strategy, more=counts_strategy)
def test_adding_samples_never_moves_assigned_ones(tmp_path_factory, first, more):
    with _project(tmp_path_factory, first) as p:
        assign_splits(p)
        before = {s.id: s.split for s in p.samples()}
        for label, n in more.items():
            for _ in range(n):
                p.add_sample(ONE, 10, ["a"], label)
        assign_splits(p)
        after = {s.id: s.split for s in p.samples()}
        assert all(after[i] == split for i, split in before.items())
        assert all(v is not None for v in after.values())


def test_manual_override_sticks_through_rebalance(tmp_path_factory):
    with _project(tmp_path_factory, {"a": 20, "b": 20}) as p:
        assign_splits(p)
        moved = [s.id for s in p.samples(split="train")[:3]]
        p.set_split(moved, "test", manual=True)
        report = assign_splits(p, rebalance=True, seed=5)
        assert all(p.sample_info(i).split == "test" for i in moved)
        assert report.moved > 0 or report.counts


def test_warns_when_a_label_has_too_few_recordings(tmp_path_factory):
    with _project(tmp_path_factory, {"rare": 2, "common": 20}) as p:
        report = assign_splits(p)
        assert any("'rare'" in w for w in report.warnings)
        assert not any("'common'" in w for w in report.warnings)


@pytest.mark.parametrize("text", ["70,15", "a,b,c", "-1,1,1", "0,0,0"])
def test_bad_ratios(text):
    with pytest.raises(UserError):
        parse_ratios(text)
