"""Opening another project while a job runs: the job of the closed project stops (it never goes on for a
project nobody sees, nor fails on its closed file), and nothing of it (progress, status, a bar left full,
a live run's summary, buttons for results that are not there) shows on the project opened."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from tests.gui.conftest import make_project
from tinystudio.core.store import Project

pytestmark = pytest.mark.usefixtures("light_app_theme")

LABELS = ["idle", "shake"] * 6


@pytest.fixture
def window(laptop_window):
    return laptop_window


def _settle() -> None:
    for _ in range(5):
        QApplication.processEvents()


def _forest(path: Path) -> Path:
    """``path`` split, with a random forest trained on it (seconds, no TensorFlow): a variant to deploy."""
    from tinystudio.app import train as train_app
    from tinystudio.core.split import assign_splits

    with Project.open(path) as project:
        assign_splits(project)
        impulse = train_app.default_impulse(project)
        impulse.model.preset, impulse.model.params = "rf", {}
        train_app.train(project, impulse)
    return path


def test_a_training_stops_when_its_project_is_closed(window, qtbot, tmp_path):
    """Before, the training went on (epoch after epoch on the new project's Train page, Train greyed out,
    Cancel live) until it ended with 'Training cancelled; no run was stored.' on a project that had none."""
    a = make_project(tmp_path / "a.tsproj", LABELS)
    window.open_project(str(a))
    window.show_step("Data").run_split()
    page = window.show_step("Impulse / Train")
    page.form.epochs.setValue(5000)
    epochs: list[object] = []
    page._bridge.epoch.connect(epochs.append)
    page.start_training()
    qtbot.waitUntil(lambda: len(epochs) >= 1, timeout=120_000)
    worker = page.worker
    assert worker is not None
    window.new_project(str(tmp_path / "b.tsproj"))
    assert not worker.isRunning()  # stopped before the new project was shown
    qtbot.waitUntil(lambda: page.worker is None, timeout=10_000)
    _settle()
    text = page.status.text().lower()
    assert "epoch" not in text and "cancel" not in text and "run" not in text
    assert page.progress.value() <= 0
    assert not page.cancel_button.isEnabled()
    with Project.open(a) as project:
        assert project.runs("train") == []


def test_a_deploy_stops_cleanly_when_its_project_is_closed(window, qtbot, tmp_path):
    """Before, the deploy went on against the closed file and ended on the new project's page with 'Failed:
    unexpected error: ProgrammingError('Cannot operate on a closed database.')'."""
    window.open_project(str(_forest(make_project(tmp_path / "a.tsproj", LABELS))))
    page = window.show_step("Deploy")
    page.target_combo.setCurrentIndex(page.target_combo.findData("host"))
    page.start_deploy()
    worker = page.worker
    assert worker is not None
    qtbot.waitUntil(lambda: page.progress.value() > 0, timeout=120_000)
    window.new_project(str(tmp_path / "b.tsproj"))
    assert not worker.isRunning()
    qtbot.waitUntil(lambda: page.worker is None, timeout=10_000)
    _settle()
    assert page.last_error == ""
    assert "Failed" not in page.status.text() and "closed" not in page.status.text()
    assert page.progress.value() <= 0


def test_nothing_of_the_last_projects_deploy_and_live_run_shows_on_a_new_one(window, qtbot, tmp_path):
    """After a finished deploy and a live run in one project, a new empty project shows an empty bar, no live
    summary, and neither Export… (no model) nor Report… (no result) can be pressed. Before, the bar stayed
    full, 'Stopped: N windows ... agrees on 100.0%.' stayed under the empty live plot and both buttons
    stayed enabled."""
    window.open_project(str(_forest(make_project(tmp_path / "a.tsproj", LABELS))))
    page = window.show_step("Deploy")
    page.target_combo.setCurrentIndex(page.target_combo.findData("host"))
    with qtbot.waitSignal(page.deploy_finished, timeout=300_000):
        page.start_deploy()
    assert page.last_error == "" and page.progress.value() == page.progress.maximum()
    assert page.report_button.isEnabled() and page.export_button.isEnabled()
    live = page.live
    live.start()
    qtbot.waitUntil(lambda: live.shared.history is not None and "Window" in live.window_label.text(),
                    timeout=120_000)
    window.new_project(str(tmp_path / "b.tsproj"))
    qtbot.waitUntil(lambda: live.worker is None, timeout=30_000)
    _settle()
    assert page.progress.value() <= 0
    assert not page.export_button.isEnabled()
    assert not page.report_button.isEnabled()
    assert "Stopped" not in live.status.text() and "windows" not in live.status.text()
    assert live.start_button.isEnabled() and not live.stop_button.isEnabled()


def test_the_memory_bars_text_is_whole_at_both_sizes(window, qtbot, tmp_path):
    """The host board states no budget: its Flash and RAM bars read 'not measured' and '7.7 KB, no budget'
    whole, the sentence in the tooltip. Before, '7.7 KB (no budget on this board)' was cut at both ends of
    the bar at 1024x640 and at 1600x1000 alike."""
    from PySide6.QtGui import QFontMetrics

    window.open_project(str(_forest(make_project(tmp_path / "a.tsproj", LABELS))))
    page = window.show_step("Deploy")
    page.target_combo.setCurrentIndex(page.target_combo.findData("host"))
    with qtbot.waitSignal(page.deploy_finished, timeout=300_000):
        page.start_deploy()
    assert page.last_error == ""
    for size in ((1024, 640), (1600, 1000)):
        window.resize(*size)
        _settle()
        for bar in (page.flash_bar, page.ram_bar):
            text = bar.text()
            assert text not in ("", "-")
            assert QFontMetrics(bar.font()).horizontalAdvance(text) <= bar.contentsRect().width() - 8, (size, text)
            assert "budget" in bar.toolTip() or "not measured" in bar.toolTip()
