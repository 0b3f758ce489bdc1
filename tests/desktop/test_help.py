"""Help > User guide shows the guide shipped with the app, with this installation's log file in it."""

from __future__ import annotations

from tinystudio.app.logs import log_file
from tinystudio.gui.guide import GuideDialog


def test_user_guide_lists_the_steps_and_the_log_file(make_window):
    window = make_window()
    help_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Help")
    guide = next(a for a in help_menu.actions() if a.text() == "&User guide")
    guide.trigger()
    (dialog,) = window.findChildren(GuideDialog)
    assert dialog.isVisible()
    text = dialog.browser.toPlainText()
    for words in ("Device", "Data", "Impulse / Train", "Compress", "Deploy", "dialout", "apt-get install"):
        assert words in text
    assert str(log_file()) in text
