"""Help > User guide: the short guide shipped in resources/guide.md, shown as formatted text."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from tinystudio.app.logs import log_file
from tinystudio.core.paths import resources_dir


def guide_markdown() -> str:
    """The guide's text, with the log file's real place filled in."""
    path = resources_dir() / "guide.md"
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        text = "# TinyStudio\n\nThe user guide is missing from this installation."
    return text.replace("{log_file}", str(log_file()))


class GuideDialog(QDialog):
    """A non-modal window with the guide, so it can stay open beside the main window."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("TinyStudio user guide")
        self.resize(720, 640)
        layout = QVBoxLayout(self)
        self.browser = QTextBrowser()
        self.browser.setOpenExternalLinks(True)
        self.browser.setMarkdown(guide_markdown())
        layout.addWidget(self.browser, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
