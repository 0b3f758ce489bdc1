"""An error naming a long file path (one unbroken word of 400 characters) never widens the window past a
1024 px laptop screen: every status and error line breaks such a word where its line ends, on every page."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from PySide6.QtWidgets import QApplication, QLabel

from tests.gui.conftest import close_main_window
from tests.gui.test_walk import people_project
from tinystudio.gui.context import AppContext
from tinystudio.gui.main_window import MainWindow
from tinystudio.gui.widgets.tune_panel import TunePanel

pytestmark = pytest.mark.usefixtures("light_app_theme")

LONG_PATH = "/media/field-kit/" + "recordings_of_the_night_shift_" * 13 + "pump7.csv"


@pytest.fixture
def window(qtbot, tmp_path) -> Iterator[MainWindow]:
    win = MainWindow(AppContext())
    qtbot.addWidget(win)
    win.resize(1024, 640)
    win.show()
    win.open_project(str(people_project(tmp_path / "people.tsproj", split=True)))
    yield win
    close_main_window(win)


def _errors(window: MainWindow) -> list[tuple[str, Callable[[], None], Callable[[], QLabel]]]:
    """Each page's error line set the way the page sets it when its action fails, and the label showing it."""
    pages = window.pages
    device, data, train = pages["Device"], pages["Data"], pages["Impulse / Train"]
    compress, deploy = pages["Compress"], pages["Deploy"]
    tune = next(train.results_tabs.widget(i) for i in range(train.results_tabs.count())
                if isinstance(train.results_tabs.widget(i), TunePanel))
    message = f"cannot read {LONG_PATH}: permission denied"
    return [
        ("Device", lambda: device._say(message, error=True), lambda: device.message_label),
        ("Data", lambda: data._on_failed(message), lambda: data.message),
        ("Impulse / Train", lambda: train._on_error(message), lambda: train.status),
        ("Impulse / Train", lambda: (train.results_tabs.setCurrentWidget(tune), tune._on_error(message)),
         lambda: tune.status),
        ("Impulse / Train", lambda: (train.results_tabs.setCurrentWidget(train.crossval),
                                     train.crossval.clear(message)), lambda: train.crossval.summary),
        ("Compress", lambda: compress._on_error(message), lambda: compress.status),
        ("Deploy", lambda: deploy._on_error(message), lambda: deploy.status),
        ("Deploy", lambda: (deploy.tabs.setCurrentWidget(deploy.live), deploy.live._on_error(message)),
         lambda: deploy.live.status),
    ]


def test_a_400_character_path_in_an_error_keeps_the_window_on_a_1024_px_screen(window):
    assert len(LONG_PATH) >= 400
    for title, fail, label in _errors(window):
        window.show_step(title)
        fail()
        for _ in range(4):
            QApplication.processEvents()
        shown = label()
        assert LONG_PATH in shown.text(), title
        assert shown.isVisibleTo(window), title
        assert window.width() <= 1024, f"{title}: the window grew to {window.width()} px"
        assert window.height() <= 640, f"{title}: the window grew to {window.height()} px high"
        assert shown.width() < 1024 and shown.height() >= shown.heightForWidth(shown.width()), \
            f"{title}: the error's lines are cut off"
