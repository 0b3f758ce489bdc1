"""The Deploy page: the emulated bench board is the default, one click builds, flashes and tests, and the
on-device confusion matrix, latency and memory appear; Cancel stores nothing."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from tinystudio.core.store import Project
from tinystudio.gui.context import AppContext
from tinystudio.gui.pages.deploy_page import DeployPage

pytestmark = pytest.mark.slow


@pytest.fixture
def page(qtbot, project_copy):
    context = AppContext()
    context.set_project(Project.open(project_copy))
    widget = DeployPage(context)
    qtbot.addWidget(widget)
    widget.show()
    yield widget
    if widget.worker is not None:
        widget.worker.cancel()
        widget.worker.wait(30000)
    context.close()


@pytest.mark.usefixtures("qemu_available")
def test_button_shows_on_device_matrix_latency_and_memory(qtbot, page, trained):
    assert page.target_combo.currentData() == "mps2-an386"
    assert page.model_combo.currentData() == ("variant", trained.variant_id)
    assert page.matrix.labels == []
    with qtbot.waitSignal(page.deploy_finished, timeout=120000):
        qtbot.mouseClick(page.deploy_button, Qt.MouseButton.LeftButton)
    assert page.last_error == ""
    assert page.matrix.labels == ["badminton", "running", "standing", "walking"]
    assert page.matrix.counts.sum() == page.shown_result["windows"] > 0
    assert "emulated instructions" in page.nn_latency.text()
    assert "emulated instructions" in page.dsp_latency.text()
    assert "of 1024.0 KB" in page.flash_bar.format()
    assert "mps2-an386" in page.board_label.text()
    assert "%" in page.agreement_label.text()
    assert "board DSP features equal the host's" in page.agreement_label.text()
    assert page.history.rowCount() == 1


def test_cancel_stores_nothing(qtbot, page, trained):
    page.target_combo.setCurrentIndex(page.target_combo.findData("host"))
    qtbot.mouseClick(page.deploy_button, Qt.MouseButton.LeftButton)
    assert page.cancel_button.isEnabled()
    qtbot.mouseClick(page.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.worker is None, timeout=60000)
    assert "nothing was stored" in page.status.text()
    assert page.context.project.device_results() == []
    assert page.history.rowCount() == 0 and page.deploy_button.isEnabled()



@pytest.mark.usefixtures("qemu_available")
def test_board_that_stops_shows_the_partial_result_and_deploy_again_completes(qtbot, page, trained, monkeypatch):
    from tinystudio.app import board_test
    from tinystudio.app import deploy as app_deploy
    from tinystudio.targets import board_spec
    from tinystudio.targets.qemu import QemuTarget

    links = []

    class Recorded(QemuTarget):
        def bulk_capacity(self, artifact=None):  # stream every window: the board is still busy when the test kills it
            return 0

        def launch(self, artifact, **kwargs):
            links.append(super().launch(artifact, **kwargs))
            return links[-1]

    real_answers = board_test._answers

    def answers_then_stop(link, *args, **kwargs):
        """The first board's emulator dies right after its fifth answer, while the test split streams through
        it (killed from the deploy's own thread: a test polling the page's status could miss a fast run)."""
        for count, answer in enumerate(real_answers(link, *args, **kwargs), 1):
            yield answer
            if count == 5 and link is links[0]:
                link.process.kill()
                link.process.wait()

    monkeypatch.setattr(app_deploy, "get_target", lambda name: Recorded(board_spec(name)))
    monkeypatch.setattr(board_test, "_answers", answers_then_stop)
    assert page.target_combo.currentData() == "mps2-an386"
    qtbot.mouseClick(page.deploy_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.worker is None, timeout=300000)
    assert links, page.status.text()
    assert page.last_error.startswith("the board stopped after ")
    assert "Traceback" not in page.last_error
    assert page.history.rowCount() == 1
    assert page.history.item(0, 4).text().startswith("partial: ")

    with qtbot.waitSignal(page.deploy_finished, timeout=300000):
        qtbot.mouseClick(page.deploy_button, Qt.MouseButton.LeftButton)
    assert page.last_error == ""
    assert page.history.rowCount() == 1  # the complete result replaced the partial one
    assert page.matrix.counts.sum() == page.shown_result["windows"]
    assert page.shown_result["timing"]["resumed_from_window"] > 5
