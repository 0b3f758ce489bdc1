"""The number of BENCH repetitions is the user's on the Deploy page as with `deploy --bench-runs`: the box's
value reaches the board and the result names it; the use case refuses a count outside 1-65535 by name."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from tinystudio.app.deploy import deploy_model
from tinystudio.core.errors import UserError
from tinystudio.core.store import Project
from tinystudio.gui.context import AppContext
from tinystudio.gui.pages.deploy_page import DeployPage

pytestmark = pytest.mark.slow


def test_bench_box_value_is_the_runs_the_result_shows(qtbot, project_copy, trained):
    context = AppContext()
    context.set_project(Project.open(project_copy))
    page = DeployPage(context)
    qtbot.addWidget(page)
    page.show()
    try:
        assert page.bench_spin.value() == 20  # the CLI's default
        assert (page.bench_spin.minimum(), page.bench_spin.maximum()) == (1, 65535)
        page.target_combo.setCurrentIndex(page.target_combo.findData("host"))
        page.bench_spin.setValue(7)
        with qtbot.waitSignal(page.deploy_finished, timeout=180000):
            qtbot.mouseClick(page.deploy_button, Qt.MouseButton.LeftButton)
        assert page.last_error == ""
        assert page.shown_result["latency"]["bench"]["runs"] == 7  # what the board ran
        assert "BENCH, 7 runs" in page.figures.percentiles.text()
    finally:
        if page.worker is not None:
            page.worker.cancel()
            page.worker.wait(30000)
        context.close()


@pytest.mark.parametrize("runs", [0, 65536, -3])
def test_deploy_refuses_a_bench_count_outside_the_range_before_building(project, trained, runs):
    with pytest.raises(UserError, match=f"BENCH runs: must be from 1 to 65535: {runs}$"):
        deploy_model(project, "host", variant_id=trained.variant_id, bench_runs=runs)
    assert project.device_results() == []
