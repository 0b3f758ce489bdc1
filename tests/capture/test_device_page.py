"""The Device page with a real project: pick the simulated board, record, see the sample."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from tinystudio.core.store import Project
from tinystudio.gui.context import AppContext
from tinystudio.gui.pages.device_page import DevicePage


@pytest.fixture
def page(qtbot, tmp_path):
    context = AppContext()
    context.set_project(Project.create(tmp_path / "gui.tsp"))
    page = DevicePage(context)
    qtbot.addWidget(page)
    yield page
    page.shutdown()
    context.close()


def test_simulated_board_is_offered_and_records_three_labels(page, qtbot):
    labels = [page.port_box.itemText(i) for i in range(page.port_box.count())]
    assert "Simulated board" in labels
    page.select_simulated()
    assert page.activity_box.isVisible() or not page.isVisible()
    assert page.connect_port()
    changed = []
    page.context.samples_changed.connect(lambda: changed.append(1))
    qtbot.waitUntil(lambda: page.session.status().rate_hz is not None, timeout=5000)
    page.fixed_check.setChecked(True)
    page.seconds_box.setValue(0.5)
    for activity in ("pendulum", "abduction", "upright_row"):
        page.activity_box.setCurrentText(activity)
        page.label_box.setCurrentText(activity)
        page.record_button.click()
        qtbot.waitUntil(lambda: not page.session.recording, timeout=5000)
        qtbot.wait(60)
    qtbot.waitUntil(lambda: len(changed) >= 3, timeout=3000)
    samples = page.context.project.samples()
    assert sorted(s.label for s in samples) == ["abduction", "pendulum", "upright_row"]
    assert all(s.frames > 0 and s.axes == 6 for s in samples)
    assert "pendulum: 1" in page.counts_label.text()
    assert "balanced" in page.balance_label.text()
    assert page.plot.frames_drawn > 0


def test_record_without_connecting_says_what_to_do(page):
    assert not page.start_recording()
    assert "connect" in page.message_label.text().lower()


def test_new_user_records_three_labels_and_sees_them_on_the_data_page(qtbot, tmp_path):
    from tinystudio.gui.main_window import MainWindow

    window = MainWindow()
    qtbot.addWidget(window)
    window.context.set_project(Project.create(tmp_path / "first.tsp"))
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    device = window.show_step("Device")
    assert isinstance(device, DevicePage)
    device.select_simulated()
    assert device.connect_port()
    qtbot.waitUntil(lambda: device.session.status().rate_hz is not None, timeout=5000)
    device.seconds_box.setValue(0.4)
    for activity in ("internal_rotation", "pendulum", "abduction"):
        device.activity_box.setCurrentText(activity)
        assert device.label_box.currentText() == activity  # the label follows the activity
        qtbot.keyClick(device, "r", modifier=Qt.KeyboardModifier.ControlModifier)
        qtbot.waitUntil(lambda: not device.session.recording, timeout=5000)
        qtbot.wait(50)
    qtbot.waitUntil(lambda: len(window.context.project.samples()) == 3, timeout=3000)
    data = window.show_step("Data")
    qtbot.waitUntil(lambda: data.model.rowCount() == 3, timeout=3000)
    assert sorted(r.label for r in data.model.rows) == ["abduction", "internal_rotation", "pendulum"]
    window.close()


def test_switching_project_mid_recording_keeps_the_sample_in_the_old_project(page, qtbot, tmp_path):
    page.select_simulated()
    assert page.connect_port()
    qtbot.waitUntil(lambda: page.session.status().rate_hz is not None, timeout=5000)
    page.fixed_check.setChecked(False)  # open-ended: only a stop (or the project closing) ends it
    page.label_box.setCurrentText("pendulum")
    page.record_button.click()
    qtbot.waitUntil(lambda: page.session.recording, timeout=3000)
    qtbot.wait(1500)
    old_path = page.context.project.path
    page.context.set_project(Project.create(tmp_path / "second.tsp"))
    assert page.context.project.samples() == []
    with Project.open(old_path) as old:
        (sample,) = old.samples()
        assert sample.label == "pendulum" and sample.frames > 0 and sample.status == "complete"


def test_start_up_without_hardware_streams_from_the_simulated_board(page, qtbot):
    if not page.selected_port().simulated:
        pytest.skip("a real board is plugged into this machine")
    assert page.connect_if_simulated()
    qtbot.waitUntil(lambda: page.session.status().rate_hz is not None, timeout=5000)
    status = page.session.status()
    assert status.state == "streaming" and status.layout.axes == 6
    # the simulated board sends its own clock, so its rate does not depend on how busy this machine is
    assert status.layout.timestamp is not None and status.rate_hz == pytest.approx(50.0)


def test_group_field_names_who_is_recorded(page, qtbot):
    """The simulated board fills in its wearer, who changes after each recording; a group the user types
    is stored with the sample and stays in the field for the next recordings."""
    page.select_simulated()
    assert page.connect_port()
    qtbot.waitUntil(lambda: page.session.status().rate_hz is not None, timeout=5000)
    page.fixed_check.setChecked(True)
    page.seconds_box.setValue(0.5)
    page.label_box.setCurrentText("pendulum")
    qtbot.waitUntil(lambda: page.group_edit.text().startswith("subject-"), timeout=3000)
    first = page.group_edit.text()
    page.record_button.click()
    qtbot.waitUntil(lambda: not page.session.recording, timeout=5000)
    qtbot.waitUntil(lambda: page.group_edit.text() not in ("", first), timeout=3000)
    second = page.group_edit.text()
    page.record_button.click()
    qtbot.waitUntil(lambda: not page.session.recording, timeout=5000)
    page.group_edit.setText("ann")
    for _ in range(2):
        page.record_button.click()
        qtbot.waitUntil(lambda: not page.session.recording, timeout=5000)
        qtbot.wait(100)
    assert page.group_edit.text() == "ann"
    qtbot.waitUntil(lambda: len(page.context.project.samples()) == 4, timeout=3000)
    groups = [s.group for s in sorted(page.context.project.samples(), key=lambda s: s.id)]
    assert groups == [first, second, "ann", "ann"]
