"""The suggested dense preset is regularised when the training split holds few people and plain when it
holds many (leave-people-out evaluation: label smoothing helped with four people and cost with ten)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from tinystudio.app import train as train_app
from tinystudio.core.models.sizing import FEW_GROUP_REGULARISATION, FEW_GROUPS
from tinystudio.core.split import assign_splits
from tinystudio.core.store import Project


def _motion_project(path: Path, people: int, grouped: bool = True) -> Path:
    """Two movements at 50 Hz, two recordings of each by each of ``people`` people, split by person
    (``grouped=False``: the same recordings without a person, each its own group)."""
    rng = np.random.default_rng(0)
    t = np.arange(250) / 50.0
    with Project.create(path) as project:
        for p in range(people):
            for label, freq in (("walk", 1.5), ("shake", 5.0)):
                for n in range(2):
                    sig = np.stack([np.sin(2 * np.pi * freq * t + k + p) for k in range(3)], axis=1)
                    sig += 0.2 * rng.standard_normal(sig.shape)
                    project.add_sample(sig.astype(np.float32), 50.0, ["x", "y", "z"], label,
                                       group=f"person{p}" if grouped else None, name=f"{label}-{p}-{n}")
        assign_splits(project)
    return path


def _suggested(path: Path):
    with Project.open(path) as project:
        return train_app.default_impulse(project), train_app.train_group_count(project)


def test_few_people_get_the_regularised_dense_preset(tmp_path):
    impulse, groups = _suggested(_motion_project(tmp_path / "few.tsproj", 4))
    assert impulse.model.preset == "dense"
    assert 1 <= groups <= FEW_GROUPS
    for key, value in FEW_GROUP_REGULARISATION["dense"].items():
        assert impulse.model.params[key] == pytest.approx(value) and value > 0


@pytest.mark.parametrize("grouped", [True, False], ids=["ten people", "forty ungrouped recordings"])
def test_many_people_get_the_plain_dense_preset(tmp_path, grouped):
    impulse, groups = _suggested(_motion_project(tmp_path / "many.tsproj", 10, grouped))
    assert impulse.model.preset == "dense"
    assert groups > FEW_GROUPS
    assert impulse.model.params["l2"] == 0.0
    assert impulse.model.params["input_noise"] == 0.0
    assert impulse.model.params["label_smoothing"] == 0.0


def test_train_page_shows_the_few_people_regularisation_in_the_suggested_settings(qtbot, tmp_path):
    from tinystudio.gui.context import AppContext
    from tinystudio.gui.pages.train_page import TrainPage

    context = AppContext()
    context.set_project(Project.open(_motion_project(tmp_path / "few.tsproj", 4)))
    page = TrainPage(context)
    qtbot.addWidget(page)
    try:
        page.form.model_editors["l2"].setText("0")  # the user's own setting, then "Suggest from data"
        page.suggest_button.click()
        for key, value in FEW_GROUP_REGULARISATION["dense"].items():
            assert float(page.form.model_editors[key].text()) == pytest.approx(value)
        assert page.form.impulse().model.params == train_app.default_impulse(context.project).model.params
    finally:
        page.shutdown()
        context.close()
