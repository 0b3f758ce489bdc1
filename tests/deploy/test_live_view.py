"""The Deploy page's "Live on board" tab: Start runs the real board process, the board's predictions appear
as a coloured band in each class's colour with the scores and DSP/NN time; Save last… stores a sample;
choosing another model stops the run; the view is usable at laptop sizes (screenshots)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from tinystudio.core.store import Project
from tinystudio.gui.context import AppContext
from tinystudio.gui.pages.deploy_page import DeployPage
from tinystudio.gui.theme import current

pytestmark = pytest.mark.slow
SHOTS = os.environ.get("TINYSTUDIO_SCREENSHOTS")  # a folder to keep the screenshots in, for looking at them


@pytest.fixture
def page(qtbot, project_copy):
    context = AppContext()
    context.set_project(Project.open(project_copy))
    widget = DeployPage(context)
    qtbot.addWidget(widget)
    widget.show()
    yield widget
    widget.live.shutdown()
    if widget.worker is not None:
        widget.worker.cancel()
        widget.worker.wait(30000)
    qtbot.waitUntil(lambda: widget.live.worker is None, timeout=30000)  # its end is handled before the page goes
    context.close()


def _start_on(qtbot, page, target: str, windows: int) -> None:
    page.target_combo.setCurrentIndex(page.target_combo.findData(target))
    page.tabs.setCurrentWidget(page.live)
    qtbot.mouseClick(page.live.start_button, Qt.MouseButton.LeftButton)
    assert page.live.running and not page.deploy_button.isEnabled()
    qtbot.waitUntil(lambda: len(page.live.band_colours()) >= windows or page.live.worker is None, timeout=120000)
    assert page.live.last_error == ""


def test_live_tab_shows_the_board_predictions_and_saves_the_last_seconds(qtbot, page, tmp_path):
    _start_on(qtbot, page, "host", 3)
    live = page.live
    history = live.shared.history
    plan = live.shared.plan
    assert plan is not None and history is not None
    windows = history.windows()
    colours = live.band_colours()
    assert len(colours) >= 3
    # each window's band is drawn in its predicted class's colour, the same as that class's score curve
    drawn = [w for w in windows if w.end_s >= windows[-1].end_s - 20.0][-len(colours):]
    assert colours == [current().series_colour(w.top) for w in drawn]
    assert [w.top for w in windows] == [w.host_top for w in windows]
    text = live.window_label.text()
    assert "DSP" in text and "NN" in text and windows[-1].label in text
    assert "test recordings" in live.source_label.text()
    for size in ((1024, 640), (1280, 800)):
        page.resize(*size)
        qtbot.wait(250)
        shot = page.grab()
        assert shot.width() == size[0] and shot.height() == size[1]
        if SHOTS:
            shot.save(str(Path(SHOTS) / f"live-{size[0]}x{size[1]}.png"))
        assert live.view.height() >= 200  # the plots keep room to read at a laptop's size
    qtbot.mouseClick(live.stop_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: live.worker is None, timeout=30000)
    assert "Stopped:" in live.status.text() and page.deploy_button.isEnabled()
    assert live.save_button.isEnabled()
    sample_id = live.save(2.0, "running")
    assert sample_id is not None
    info = next(s for s in page.context.project.samples() if s.id == sample_id)
    assert info.label == "running" and info.frames == round(2.0 * plan.rate_hz)
    assert f"sample {sample_id}" in live.status.text()


def test_choosing_another_model_or_project_stops_live(qtbot, page, trained, project_copy):
    _start_on(qtbot, page, "host", 1)
    page.target_combo.setCurrentIndex(page.target_combo.findData("mps2-an386"))  # disabled for users while live:
    qtbot.waitUntil(lambda: page.live.worker is None, timeout=30000)        # a programmatic change still stops
    assert "Stopped:" in page.live.status.text()
    page.target_combo.setCurrentIndex(page.target_combo.findData("host"))
    _start_on(qtbot, page, "host", 1)
    page.context.set_project(Project.open(project_copy))
    qtbot.waitUntil(lambda: page.live.worker is None, timeout=30000)
    assert page.live.band_colours() == [] and page.live.shared.history is None
