"""Closing the window while a training runs asks first: "Keep running" leaves it alone; "Stop and quit"
cancels it through its cancel token, stores no half-trained run and then closes the window. A recording
is stopped the same way and keeps what was recorded."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from tinystudio.core.store import Project


def _click(qtbot, box, text: str) -> None:
    (button,) = [b for b in box.buttons() if b.text() == text]
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


@pytest.mark.slow
def test_close_during_training_asks_then_cancels_and_closes(qtbot, make_window, bm_split_project, tmp_path):
    path = tmp_path / "bm.tsproj"
    shutil.copy(bm_split_project, path)
    window = make_window()
    assert window.open_project(str(path))
    window.show()
    page = window.show_step("Impulse / Train")
    page.form.epochs.setValue(1000)
    qtbot.mouseClick(page.train_button, Qt.MouseButton.LeftButton)
    worker = page.worker
    assert worker is not None and window.busy_steps() == ["Impulse / Train"]

    window.close()
    box = window.close_box
    assert box is not None and box.isVisible() and "training is still running" in box.text()
    _click(qtbot, box, "Keep running")
    assert window.isVisible() and worker.isRunning() and not worker.token.cancelled

    window.close()
    _click(qtbot, window.close_box, "Stop and quit")
    assert worker.token.cancelled
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=120_000)
    assert not worker.isRunning() and page.worker is None
    assert "Cancelled" in page.status.text() or "cancelled" in page.status.text()
    assert window.context.project is None  # closed cleanly
    with Project.open(Path(path)) as project:
        assert project.runs(kind="train") == []


def test_close_while_idle_does_not_ask(qtbot, make_window):
    window = make_window()
    window.show()
    window.close()
    assert window.close_box is None and not window.isVisible()


def test_close_during_a_recording_keeps_what_was_recorded(qtbot, make_window, tmp_path):
    path = tmp_path / "rec.tsproj"
    window = make_window()
    assert window.new_project(str(path))
    window.show()
    device = window.show_step("Device")
    device.select_simulated()
    assert device.connect_port()
    qtbot.waitUntil(lambda: device.session.status().rate_hz is not None, timeout=20_000)
    device.fixed_check.setChecked(False)  # records until stopped
    device.label_box.setCurrentText("pendulum")
    device.record_button.click()
    # a second of signal recorded (on a busy machine the frames lag the wall clock)
    qtbot.waitUntil(lambda: (st := device.session.status()).recorded_frames >= (st.rate_hz or 1e9),
                    timeout=30_000)
    assert window.busy_steps() == ["Device"]

    window.close()
    assert "recording is still running" in window.close_box.text()
    _click(qtbot, window.close_box, "Stop and quit")
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=20_000)
    with Project.open(path) as project:
        (sample,) = project.samples()
        assert sample.label == "pendulum" and sample.duration_s >= 1.0
