"""A deployed tree model (random forest) is scored on the host by the tree itself: the deploy summary, the
report and the Deploy page name that "host", not "host int8", which exists only for a quantized network."""

from __future__ import annotations

from pathlib import Path

from cli_helpers import run_cli
from tinystudio.core.store import Project


def test_the_deploy_summary_of_a_forest_says_host_not_host_int8(forest_copy: Path, tmp_path: Path):
    code, out, err = run_cli("deploy", str(forest_copy), "--target", "host")
    assert code == 0, err
    line = next(t for t in out.splitlines() if t.startswith("on-device accuracy"))
    assert "(host " in line and "int8" not in line, line
    report = tmp_path / "report.html"
    code, _out, err = run_cli("report", str(forest_copy), "--out", str(report))
    assert code == 0, err
    html = report.read_text()
    assert "On-device accuracy" in html and "host int8" not in html


def test_the_deploy_page_names_the_forest_host_not_host_int8(forest_copy: Path, qtbot):
    from tinystudio.gui.context import AppContext
    from tinystudio.gui.pages.deploy_page import DeployPage

    code, _out, err = run_cli("deploy", str(forest_copy), "--target", "host")
    assert code == 0, err
    context = AppContext()
    page = DeployPage(context)
    qtbot.addWidget(page)
    context.set_project(Project.open(forest_copy))
    try:
        assert context.project is not None
        row = context.project.device_results()[-1]
        page.show_result(row["results"], row["id"])
        text = page.accuracy_label.text()
        assert "(host:" in text and "int8" not in text, text
        assert "int8" not in page.model_combo.currentText()
    finally:
        context.close()
