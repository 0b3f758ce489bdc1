"""Split invariants as properties: stratified within one recording, no group in two splits, stability."""

from collections import Counter, defaultdict

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tinystudio.core.errors import UserError
from tinystudio.core.split import assign_splits, parse_ratios
from tinystudio.core.store import SPLITS, Project

_made = iter(range(1 << 30))


def one() -> np.ndarray:
    """A short recording of its own (copies of one recording stay together in the split)."""
    return np.full((4, 1), next(_made), np.float32)
_settings = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _project(tmp_path_factory, label_counts, groups=None):
    p = Project.create(tmp_path_factory.mktemp("split") / "p.tsproj")
    rows = [(label, i) for label, n in label_counts.items() for i in range(n)]
    for k, (label, _) in enumerate(rows):
        p.add_sample(one(), 10, ["a"], label, group=None if groups is None else groups[k % len(groups)])
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
            p.add_sample(one(), 10, ["a"], "a", group=f"person{k % (n_groups + 2)}")
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
                p.add_sample(one(), 10, ["a"], label)
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


def _grouped(tmp_path_factory, per_group: dict[str, int], labels=("wave", "idle")):
    """Recordings of each label by each group (person), as a small gesture project would have them."""
    p = Project.create(tmp_path_factory.mktemp("groups") / "p.tsproj")
    for group, n in per_group.items():
        for i in range(n):
            p.add_sample(one(), 10, ["a"], labels[i % len(labels)], group=group)
    return p


def _groups_per_split(p):
    out = defaultdict(set)
    for s in p.samples():
        out[s.split].add(s.group)
    return out


@pytest.mark.parametrize("seed", range(6))
def test_four_recorders_give_every_split_a_person(tmp_path_factory, seed):
    # four people with about 20 recordings each: before, all of them went to train and validation
    with _grouped(tmp_path_factory, {"ann": 20, "bob": 19, "cem": 20, "dia": 19}) as p:
        report = assign_splits(p, seed=seed)
        homes = _groups_per_split(p)
        assert all(len(homes[sp]) >= 1 for sp in SPLITS), dict(homes)
        assert not any("only" in w and "group" in w for w in report.warnings)


@pytest.mark.parametrize("seed", range(4))
def test_three_groups_one_per_split(tmp_path_factory, seed):
    with _grouped(tmp_path_factory, {"p1": 12, "p2": 12, "p3": 12}) as p:
        assign_splits(p, seed=seed)
        assert sorted(len(v) for v in _groups_per_split(p).values()) == [1, 1, 1]


@_settings
@given(sizes=st.lists(st.integers(1, 15), min_size=3, max_size=9), seed=st.integers(0, 50))
def test_enough_groups_fill_every_split_and_adding_keeps_them(tmp_path_factory, sizes, seed):
    with _grouped(tmp_path_factory, {f"g{i}": n for i, n in enumerate(sizes)}) as p:
        assign_splits(p, seed=seed)
        before = {s.id: s.split for s in p.samples()}
        assert all(_groups_per_split(p)[sp] for sp in SPLITS)
        p.add_sample(one(), 10, ["a"], "wave", group="g0")
        p.add_sample(one(), 10, ["a"], "wave", group="newcomer")
        assign_splits(p, seed=seed)
        assert all(p.sample_info(i).split == sp for i, sp in before.items())
        assert all(len(v) == 1 for v in _homes_by_group(p).values())


def _homes_by_group(p):
    homes = defaultdict(set)
    for s in p.samples():
        homes[s.group].add(s.split)
    return homes


def test_two_groups_warning_names_the_groups(tmp_path_factory):
    with _grouped(tmp_path_factory, {"ann": 10, "bob": 10}) as p:
        report = assign_splits(p)
        text = " ".join(report.warnings)
        assert "only 2 groups ('ann', 'bob') for 3 splits" in text
        assert "record more" not in text  # the cause is the groups, not the number of recordings
        homes = _groups_per_split(p)
        assert len(homes["train"]) == 1 and len(homes["test"]) == 1  # one person to learn, one to test on


def test_single_recording_label_warning(tmp_path_factory):
    with _project(tmp_path_factory, {"rare": 1, "common": 30}) as p:
        report = assign_splits(p)
        assert any(w.startswith("label 'rare' has 1 recording: it can only be in 1 split") for w in report.warnings)
