"""The variant marked for deploy is one choice shared by both front ends: marked with `tinystudio variants
--use`, the Deploy page preselects it, `tinystudio deploy` deploys it, and the results stored by a CLI
deploy and a Deploy-page deploy name that same variant."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt

from cli_helpers import run_cli
from tinystudio.core.store import Project
from tinystudio.gui.context import AppContext
from tinystudio.gui.pages.deploy_page import DeployPage

pytestmark = pytest.mark.slow


@pytest.fixture
def two_variants(project_copy, trained) -> int:
    """A second, newer int8 variant of the trained run (same model bytes): without a mark, both front
    ends would take it. Returns its id."""
    with Project.open(project_copy) as project:
        original = next(v for v in project.variants() if v["id"] == trained.variant_id)
        return project.add_variant(trained.run_id, f"{original['name']} (copy)",
                                   project.variant_tflite(trained.variant_id), original["config"], original["metrics"])


def test_variant_marked_in_the_cli_is_what_cli_and_gui_deploy(qtbot, project_copy, trained, two_variants):
    marked = trained.variant_id
    assert marked != two_variants
    code, out, err = run_cli("variants", str(project_copy), "--use", str(marked))
    assert code == 0, err
    assert "* marked for deploy" in out

    context = AppContext()
    context.set_project(Project.open(project_copy))
    page = DeployPage(context)
    qtbot.addWidget(page)
    page.show()
    try:
        assert page.model_combo.itemData(0) == ("variant", two_variants)  # newest first in the list...
        assert page.model_combo.currentData() == ("variant", marked)  # ...but the marked one is preselected

        code, out, err = run_cli("deploy", str(project_copy), "--target", "host", "--json")
        assert code == 0, err
        cli_result = json.loads(out)
        assert cli_result["variant_id"] == marked

        page.refresh_models()
        page.target_combo.setCurrentIndex(page.target_combo.findData("host"))
        with qtbot.waitSignal(page.deploy_finished, timeout=300000) as finished:
            qtbot.mouseClick(page.deploy_button, Qt.MouseButton.LeftButton)
        assert page.last_error == ""
        stored = {row["id"]: row for row in context.project.device_results()}
        gui_row, cli_row = stored[finished.args[0]], stored[cli_result["result_id"]]
        assert gui_row["variant_id"] == cli_row["variant_id"] == marked
        assert gui_row["results"]["variant_id"] == cli_row["results"]["variant_id"] == marked
    finally:
        if page.worker is not None:
            page.worker.cancel()
            page.worker.wait(30000)
        context.close()


def test_naming_a_variant_still_overrides_the_mark(project_copy, trained, two_variants):
    assert run_cli("variants", str(project_copy), "--use", str(trained.variant_id))[0] == 0
    code, out, err = run_cli("deploy", str(project_copy), "--target", "host", "--variant", str(two_variants), "--json")
    assert code == 0, err
    assert json.loads(out)["variant_id"] == two_variants


def test_marking_a_missing_variant_is_one_clear_line(project_copy, trained):
    code, out, err = run_cli("variants", str(project_copy), "--use", "999")
    assert code == 1 and out == ""
    assert err.strip() == "tinystudio: error: no model variant with id 999"
