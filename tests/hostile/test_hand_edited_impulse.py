"""A project whose remembered impulse was edited by hand (or written by a damaged copy) with DSP parameters the
block cannot hold: opening it on the Train page raised ValueError out of the page for a scale of 'abc', and
showed a scale of 1,000,000 for 'nan' (the spin box's maximum), which a click on Train then used. The page now
opens with the data's own impulse instead, as it does for an impulse that does not read at all."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from tinystudio.core.split import assign_splits
from tinystudio.core.store import Project
from tinystudio.gui.context import AppContext
from tinystudio.gui.pages.train_page import TrainPage


def _project(path: Path, params: object) -> Path:
    rng = np.random.default_rng(0)
    with Project.create(path) as project:
        for label, scale in (("idle", 0.2), ("shake", 2.0)):
            for _ in range(4):
                project.add_sample((rng.standard_normal((200, 3)) * scale).astype(np.float32), 50.0,
                                   ["x", "y", "z"], label)
        assign_splits(project)
        project.set_setting("impulse", {"window": {"window_ms": 1000.0, "stride_ms": 500.0},
                                        "dsp": {"block": "statistics", "params": params},
                                        "model": {"preset": "rf"}})
    return path


@pytest.mark.parametrize("params", [{"scale": "abc"}, {"scale": "nan"}, {"scale": "inf"}, None])
def test_train_page_opens_a_project_with_a_broken_remembered_impulse(qtbot, tmp_path: Path, params: object):
    context = AppContext()
    context.set_project(Project.open(_project(tmp_path / "edited.tsproj", params)))
    page = TrainPage(context)
    qtbot.addWidget(page)
    try:
        impulse = page.form.impulse()
        assert np.isfinite(impulse.dsp.params.get("scale", 1.0))
        assert impulse.dsp.params.get("scale", 1.0) == 1.0  # the data's default, not the spin box's maximum
        assert page.train_button.isEnabled()
    finally:
        page.shutdown()
        context.close()
