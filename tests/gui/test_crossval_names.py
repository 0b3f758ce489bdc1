"""The Cross-validation chart names each bar by the people or sessions its fold held out, as the table does:
a long name is shortened to the room between bars, never running into the next one, and the tooltip over
a bar names them in full."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PySide6.QtCore import QPointF
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QApplication

from tinystudio.core.store import Project

PEOPLE = ("anna_maria_of_the_night_shift_in_hall_b", "bob", "carl_gustav_the_second_fitter", "dora")


def _people(path: Path) -> Path:
    rng = np.random.default_rng(0)
    with Project.create(path) as project:
        for k, person in enumerate(PEOPLE):
            for j, label in enumerate(("pendulum", "abduction", "forward_elevation")):
                t = np.arange(200)[:, None] / 50.0
                signal = np.sin(2 * np.pi * (j + 1) * t + np.arange(3)) + 0.2 * rng.standard_normal((200, 3))
                project.add_sample(signal.astype(np.float32), 50.0, ["x", "y", "z"], label, group=person,
                                   name=f"{person}-{label}-{k}")
    return path


def test_cross_validation_bars_are_named_by_the_groups_held_out(qtbot, tmp_path):
    from tinystudio.app import crossval as crossval_app
    from tinystudio.app import train as train_app
    from tinystudio.gui.widgets.crossval_view import CrossValView

    with Project.open(_people(tmp_path / "people.tsproj")) as project:
        impulse = train_app.default_impulse(project)
        impulse.model.preset, impulse.model.params = "rf", {}  # trees: a fold in a second, no TensorFlow
        result = crossval_app.cross_validate(project, impulse)
    held_out = [", ".join(fold.held_out) for fold in result.folds]
    assert sorted(held_out) == sorted(PEOPLE)  # one person per fold
    view = CrossValView()
    qtbot.addWidget(view)
    for width in (420, 900):
        view.resize(width, 300)
        view.show()
        view.set_result(result)
        for _ in range(3):
            QApplication.processEvents()
        axis = view.chart.getAxis("bottom")
        ticks = [name for _, name in axis._tickLevels[0]]
        assert len(ticks) == len(held_out)
        room = 1 / view.chart.getViewBox().viewPixelSize()[0]
        metrics = QFontMetrics(axis.font())
        for tick, name in zip(ticks, held_out, strict=True):
            assert tick == name or (tick.endswith("…") and name.startswith(tick[:-1])), (tick, name)
            assert metrics.horizontalAdvance(tick) <= room, (width, tick, room)
        assert "bob" in ticks and "dora" in ticks  # short names are shown whole
        if width == 420:  # four bars in a narrow tab: the long names are shortened
            assert sum(t.endswith("…") for t in ticks) == 2
        box = view.chart.getViewBox()
        for index, name in enumerate(held_out):  # the tooltip over each bar names its groups in full
            view._hover(box.mapViewToScene(QPointF(index + 1, view.bars[index] / 2)))
            assert name in view.chart.toolTip() and f"fold {index + 1}" in view.chart.toolTip()
