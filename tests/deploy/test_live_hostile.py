"""Live classification on a project whose data the simulated sensor cannot play (no labelled test recording
of the model's axes and rate): the board plays its built-in waves, the run says why, and neither
`tinystudio live --save-last` nor the Deploy page's save stores those waves as a labelled sample (before,
they landed in the project as training data under the user's label)."""

from __future__ import annotations

import pytest

from cli_helpers import run_cli
from tinystudio.app.live import LiveHistory, prepare_live, run_live, save_last
from tinystudio.core.errors import UserError
from tinystudio.core.progress import CancelToken
from tinystudio.core.store import Project

pytestmark = pytest.mark.slow


def _no_test_recordings(project: Project) -> None:
    ids = [s.id for s in project.samples() if s.split == "test"]
    project.set_split(ids, "train", manual=True)


def test_built_in_waves_are_never_saved_as_a_sample(project_copy):
    with Project.open(project_copy) as project:
        _no_test_recordings(project)
        before = len(project.samples())
    code, _out, err = run_cli("live", str(project_copy), "--target", "host", "--fast", "--seconds", "1",
                              "--save-last", "1", "--label", "walking")
    assert code != 0 and "built-in waves" in err and "no labelled test recording" in err
    with Project.open(project_copy) as project:
        assert len(project.samples()) == before
        # The page's path: a run on the waves, then Save as sample.
        plan = prepare_live(project, "host")
        assert plan.tape is None and "no labelled test recording of 6 axes" in plan.source
        history = LiveHistory(plan.rate_hz, len(plan.axis_names))
        cancel = CancelToken()
        run_live(plan, history, paced=False, check_host=False, cancel=cancel,
                 on_window=lambda w: cancel.cancel())
        assert history.total_frames > 0
        with pytest.raises(UserError, match="built-in waves"):
            save_last(project, plan, history, 1.0, "walking")
        assert len(project.samples()) == before


def test_save_last_says_how_much_it_saved_when_the_run_was_shorter(project_copy):
    # Paced at the sensor's 10 Hz, four seconds of live give a few seconds of signal, not the 60 asked for.
    code, out, err = run_cli("live", str(project_copy), "--target", "host", "--seconds", "4",
                             "--save-last", "60", "--label", "walking")
    assert code == 0, err
    with Project.open(project_copy) as project:
        info = max(project.samples(), key=lambda s: s.id)
    seconds = info.frames / info.rate_hz
    assert 0 < seconds < 60
    assert f"saved the last {seconds:g} s as sample {info.id} (walking)" in out


def test_the_live_tab_offers_to_save_no_more_than_the_run_keeps(qtbot, project_copy):
    # The tab offered "last 600 s" while a run keeps 30 s: asking for 600 silently saved 30.
    from tinystudio.gui.context import AppContext
    from tinystudio.gui.pages.deploy_page import DeployPage
    from tinystudio.gui.widgets.live_view import _Live

    context = AppContext()
    context.set_project(Project.open(project_copy))
    page = DeployPage(context)
    qtbot.addWidget(page)
    try:
        live = page.live
        project = context.project
        assert project is not None
        plan = prepare_live(project, "host")
        history = LiveHistory(plan.rate_hz, len(plan.axis_names))  # what the tab's run keeps
        cancel = CancelToken()
        run_live(plan, history, paced=False, check_host=False, cancel=cancel,
                 on_window=lambda w: cancel.cancel() if w.end_s > 2 * history.seconds else None)
        live.shared = _Live(plan, history)
        asked = live.save_seconds.maximum()
        sample_id = live.save(asked, "walking")
        assert sample_id is not None, live.status.text()
        info = next(s for s in project.samples() if s.id == sample_id)
        assert info.frames / info.rate_hz == pytest.approx(asked)
    finally:
        context.close()
