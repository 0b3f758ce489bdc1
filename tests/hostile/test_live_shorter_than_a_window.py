"""A live run on the host board that ends before one window of signal arrives says so, with the window's
length and how long to run, instead of a bare "0 windows in 0.2 s"."""

from __future__ import annotations

import re
from pathlib import Path

from cli_helpers import run_cli


def test_a_run_shorter_than_one_window_says_why_it_classified_nothing(forest_copy: Path):
    code, out, err = run_cli("live", str(forest_copy), "--target", "host", "--seconds", "0.2")
    assert code == 0, err
    assert "0 windows in" in out
    match = re.search(r"shorter than one window \((\d+(?:\.\d+)?) ms\), so nothing was classified: "
                      r"run it for at least (\d+) s", out)
    assert match, out
    assert float(match.group(2)) * 1000 > float(match.group(1))  # the advice covers a whole window


def test_the_deploy_page_says_why_a_short_live_run_classified_nothing(forest_copy: Path, qtbot):
    from tinystudio.app.live import LiveHistory, prepare_live, run_live
    from tinystudio.core.store import Project
    from tinystudio.gui.context import AppContext
    from tinystudio.gui.pages.deploy_page import DeployPage

    context = AppContext()
    page = DeployPage(context)
    qtbot.addWidget(page)
    context.set_project(Project.open(forest_copy))
    try:
        assert context.project is not None
        plan = prepare_live(context.project, "host")
        history = LiveHistory(plan.rate_hz, len(plan.axis_names))
        page.live.shared.plan, page.live.shared.history = plan, history
        summary = run_live(plan, history, seconds=0.2)  # the user pressed Stop at once
        page.live._on_done(summary)
        text = page.live.status.text()
        assert "0 windows" in text and "shorter than one window" in text and "run it for at least" in text, text
    finally:
        context.close()
