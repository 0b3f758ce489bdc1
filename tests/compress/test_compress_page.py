"""The Compress page: pressing Compress fills the comparison table and the chart, "Use for deploy" marks
the chosen variant for the Deploy step, and Cancel stores nothing."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from tinystudio.core.store import Project
from tinystudio.gui.context import AppContext
from tinystudio.gui.pages.compress_page import CompressPage

pytestmark = pytest.mark.slow


@pytest.fixture
def page(qtbot, trained_copy):
    context = AppContext()
    context.set_project(Project.open(trained_copy))
    widget = CompressPage(context)
    qtbot.addWidget(widget)
    widget.show()
    yield widget
    widget.shutdown()
    context.close()


def test_compress_fills_table_and_chart_and_marks_deploy_variant(qtbot, page, trained_run):
    assert page.run_combo.currentData() == trained_run.run_id
    assert page.table.rowCount() == 0 and page.chart.points == []
    for method, check in page.method_checks.items():
        check.setChecked(method in ("ptq", "prune"))
    page.epochs.setValue(4)
    page.sparsity.setValue(0.6)
    with qtbot.waitSignal(page.compress_finished, timeout=180000) as blocker:
        qtbot.mouseClick(page.compress_button, Qt.MouseButton.LeftButton)
    made = blocker.args[0]
    assert page.last_error == ""
    assert len(made) == 2
    assert page.table.rowCount() == 2
    methods = {page.table.item(i, 1).text() for i in range(2)}
    assert methods == {"ptq", "prune"}
    assert sorted(p[1] for p in page.chart.points) == ["prune", "ptq"]
    prune_row = next(i for i in range(2) if page.table.item(i, 1).text() == "prune")
    assert float(page.table.item(prune_row, 5).text().rstrip("%")) >= 55.0  # sparsity column
    # the newest variant is selected: mark the other one for deploy
    ptq_row = next(i for i in range(2) if page.table.item(i, 1).text() == "ptq")
    page.table.selectRow(ptq_row)
    assert page.use_button.isEnabled()
    with qtbot.waitSignal(page.deploy_variant_changed) as chosen:
        qtbot.mouseClick(page.use_button, Qt.MouseButton.LeftButton)
    ptq_id = chosen.args[0]
    assert page.context.project.get_setting("deploy_variant") == ptq_id
    assert page.table.item(ptq_row, page.table.columnCount() - 1).text() == "✓"
    assert any(p[0] == ptq_id for p in page.chart.points)
    # the Deploy step now offers the chosen variant first
    from tinystudio.gui.pages.deploy_page import DeployPage

    deploy = DeployPage(page.context)
    qtbot.addWidget(deploy)
    deploy.refresh_models()
    assert deploy.model_combo.currentData() == ("variant", ptq_id)


def test_cancel_stores_nothing(qtbot, page):
    for method, check in page.method_checks.items():
        check.setChecked(method == "qat")
    page.epochs.setValue(50)
    qtbot.mouseClick(page.compress_button, Qt.MouseButton.LeftButton)
    assert page.cancel_button.isEnabled() and not page.compress_button.isEnabled()
    qtbot.waitUntil(lambda: "epoch" in page.status.text(), timeout=60000)
    qtbot.mouseClick(page.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.worker is None, timeout=60000)
    assert "not stored" in page.status.text()
    assert page.context.project.variants() == []
    assert page.table.rowCount() == 0 and page.compress_button.isEnabled()


def test_without_methods_compress_is_disabled(page):
    for check in page.method_checks.values():
        check.setChecked(False)
    assert not page.compress_button.isEnabled()
    page.method_checks["distill"].setChecked(True)
    assert page.compress_button.isEnabled() and page.student.isEnabled()
    assert not page.sparsity.isEnabled()
