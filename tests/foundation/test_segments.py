"""Cropping and cutting recordings: the right frames, and segments never leak across splits."""

import numpy as np
import pytest

from tinystudio.core.errors import UserError
from tinystudio.core.segments import crop, cut_segment
from tinystudio.core.split import assign_splits
from tinystudio.core.store import Project


@pytest.fixture
def project(tmp_path):
    with Project.create(tmp_path / "p.tsproj") as p:
        yield p


def test_crop_keeps_the_chosen_seconds(project):
    sid = project.add_sample(np.arange(100, dtype=np.float32).reshape(-1, 1), 10, ["a"], "x")
    assert crop(project, sid, 2.0, 4.5) == 25
    assert project.load_signal(sid)[:, 0].tolist() == list(range(20, 45))
    with pytest.raises(UserError, match="holds no frame"):
        crop(project, sid, 9.0, 9.01)


def test_cut_segments_share_the_recordings_split(project):
    long = project.add_sample(np.arange(600, dtype=np.float32).reshape(-1, 2), 50, ["a", "b"], "session")
    for _ in range(12):
        project.add_sample(np.zeros((50, 2), np.float32), 50, ["a", "b"], "idle")
    assign_splits(project)
    wave = cut_segment(project, long, 1.0, 2.0, "wave")
    tap = cut_segment(project, long, 4.0, 5.0, "tap")
    parent = project.sample_info(long)
    for sid in (wave, tap):
        info = project.sample_info(sid)
        assert info.split == parent.split and info.group == parent.group == f"recording-{long}"
        assert info.frames == 50 and info.rate_hz == 50
    np.testing.assert_array_equal(project.load_signal(wave)[0], [100, 101])
    assign_splits(project, rebalance=True, seed=9)
    groups = {project.sample_info(i).split for i in (long, wave, tap)}
    assert len(groups) == 1
