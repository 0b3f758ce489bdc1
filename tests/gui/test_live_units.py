"""The Live on board signal strip names the sensor units of the stream it draws, as the Data step's waveform
does: its axis says "signal [g, dps]" and the key names each curve with its unit."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PySide6.QtWidgets import QApplication

from cli_helpers import run_cli
from tinystudio.core.store import Project

pytestmark = pytest.mark.usefixtures("light_app_theme")

AXES = ["accX", "accY", "accZ", "gyrX", "gyrY", "gyrZ"]
UNITS = ["g", "g", "g", "dps", "dps", "dps"]


def _imu_project(path: Path) -> Path:
    rng = np.random.default_rng(0)
    sides = {"anna": "train", "bob": "train", "carl": "validation", "dora": "test"}
    with Project.create(path) as project:
        for person, side in sides.items():
            for k, label in enumerate(("pendulum", "abduction", "forward_elevation")):
                t = np.arange(300)[:, None] / 50.0
                signal = np.sin(2 * np.pi * (k + 1) * t + np.arange(6)) + 0.2 * rng.standard_normal((300, 6))
                project.add_sample(signal.astype(np.float32), 50.0, AXES, label, units=UNITS, group=person,
                                   split=side)
    return path


@pytest.mark.slow
def test_live_signal_axis_names_the_boards_units(qtbot, laptop_window, tmp_path):
    path = _imu_project(tmp_path / "imu.tsproj")
    code, _out, err = run_cli("train", str(path), "--model", "rf")  # a forest: trained in a second
    assert code == 0, err
    window = laptop_window  # the main window at 1024x640
    page = window.show_step("Deploy")
    live = page.live
    try:
        window.open_project(str(path))
        page.target_combo.setCurrentIndex(page.target_combo.findData("host"))
        page.tabs.setCurrentWidget(live)
        assert live.signal_title.toPlainText() == "signal"  # nothing drawn: no units claimed
        live.start()
        qtbot.waitUntil(lambda: bool(live._signal_curves) or live.worker is None, timeout=120_000)
        assert live.last_error == ""
        QApplication.processEvents()
        assert live.signal_title.toPlainText() == "signal [g, dps]"
        key = live.legend_label.text()
        assert "accX [g]" in key and "gyrZ [dps]" in key
    finally:
        live.stop()
        qtbot.waitUntil(lambda: live.worker is None, timeout=60_000)
