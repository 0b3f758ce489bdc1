"""At 1024x640 a search on the Train step's Tune tab never widens the window: its trial lines (a model's
settings joined by commas make one long word), its result line and its Pareto table fit the tab's column,
and the status line shows every word whole. A screenshot of the tab is written beside the test's files."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from tests.gui.test_tune_panel_view import _tune_tab
from tests.gui.test_walk import SMALL, people_project, window  # noqa: F401 - fixtures

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("light_app_theme")]

LONG_WORD = 40
"""Characters: a trial line's word this long is wider than a line of the tab at 1024x640."""


def _settle(rounds: int = 30) -> None:
    """Enough event rounds for a size change deep in the page to reach the window (it takes about ten)."""
    for _ in range(rounds):
        QApplication.processEvents()


def test_a_search_on_the_tune_tab_keeps_the_window_1024_wide(window, qtbot, tmp_path):  # noqa: F811
    window.open_project(str(people_project(tmp_path / "people.tsproj", split=True)))
    panel = _tune_tab(window)
    assert window.width() == SMALL[0]
    panel.board.setCurrentIndex(panel.board.findData("mps2-an386"))
    panel.trials.setValue(2)
    panel.epochs.setValue(1)
    for name, box in panel.families.items():  # the network's settings make the longest trial line
        box.setChecked(name == "dense")
    seen: dict[str, int] = {}  # each status line and the widest the window was while it was shown

    def idle() -> bool:
        text = panel.status.text()
        seen[text] = max(seen.get(text, 0), window.width())
        return panel.worker is None

    qtbot.mouseClick(panel.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(idle, timeout=300_000)
    for _ in range(30):
        _settle(1)
        idle()
    assert panel.result is not None, panel.status.text()
    assert panel.table.rowCount() >= 1
    long_lines = [t for t in seen if max(map(len, t.split())) >= LONG_WORD]
    assert long_lines, f"no trial line with a long word: {list(seen)}"  # the case the test is about
    widened = {t: w for t, w in seen.items() if w != SMALL[0]}
    assert not widened, f"the window widened: {widened}"
    assert window.width() == SMALL[0]
    panel.status.setText(long_lines[0])  # the long line again, now that the result has settled the tab
    _settle()
    assert window.width() == SMALL[0]
    assert panel.status.heightForWidth(panel.status.width()) <= panel.status.height()  # no line cut off
    panel.grab().save(str(tmp_path / "tune_tab_1024x640.png"))
