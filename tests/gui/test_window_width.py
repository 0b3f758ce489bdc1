"""Nothing a page shows after an action widens the window past a 1024x640 laptop screen: a long sentence
wraps inside its pane instead of pushing the window (and the header and buttons) off the screen's edge."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication

from tests.gui.conftest import make_project

pytestmark = pytest.mark.usefixtures("light_app_theme")


@pytest.fixture
def window(laptop_window):
    return laptop_window


def _settle() -> None:
    for _ in range(4):
        QApplication.processEvents()


def test_a_split_warning_wraps_instead_of_widening_the_window(window, tmp_path):
    """Three labels with three to five recordings each: the split warns that a label has none in test. The
    warning wraps in the Data step's summary; before, the label grew the window from 1024 to 1244 px, so
    the header, the label filter and the split table's right side went off the screen (and stayed so on
    every step)."""
    labels = ["pendulum"] * 3 + ["abduction"] * 5 + ["upright_row"] * 4
    window.open_project(str(make_project(tmp_path / "a.tsproj", labels)))
    page = window.show_step("Data")
    _settle()
    report = page.run_split()
    _settle()
    assert report is not None and report.warnings, "the fixture should make the split warn"
    assert report.warnings[0][:30] in page.summary.text()
    assert window.width() == 1024
    assert window.minimumSizeHint().width() <= 1024
    right = page.summary.mapTo(window, page.summary.rect().topRight()).x()
    assert right <= window.width()
    assert page.summary.height() >= page.summary.heightForWidth(page.summary.width())  # every line shown
