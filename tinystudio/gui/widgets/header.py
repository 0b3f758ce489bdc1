"""The header over every step: which project is open, which board the Deploy step targets, and whether a
board is streaming on the Device step, so the user always knows what the figures below belong to."""

from __future__ import annotations

from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QWidget

from tinystudio.gui.theme import current


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class StatusHeader(QFrame):
    """Three short facts in one line; each label's tooltip has the long form."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("StatusHeader")
        self.project = QLabel()
        self.board = QLabel()
        self.connection = QLabel()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 2, 8, 2)
        layout.addWidget(self.project, 2)
        layout.addWidget(self.board, 2)
        layout.addWidget(self.connection, 2)
        for label in (self.project, self.board, self.connection):
            label.setMinimumWidth(60)  # long names are cut, never widen the window (full text in tooltip)
        self.show_facts(None, None, None)

    def show_facts(self, project: str | None, board: str | None, connection: str | None) -> None:
        """``project`` file name, ``board`` title, ``connection`` (None: not connected)."""
        theme = current()
        self.project.setText(f"<b>Project:</b> {_escape(project) if project else 'none open'}")
        self.project.setToolTip(project or "Open or create a project in the File menu")
        short = board.split(" (")[0] if board else "-"  # the counter note stays in the tooltip
        self.board.setText(f"<b>Board:</b> {_escape(short)}")
        self.board.setToolTip(f"The Deploy step builds for {board}" if board else "")
        colour = theme.ok if connection else theme.muted
        state = f"streaming from {_escape(connection)}" if connection else "no board connected"
        self.connection.setText(f"<span style='color:{colour}'>●</span> {state}")
        self.connection.setToolTip("Live signals on the Device step" if connection else
                                   "Connect a board (or the simulated board) on the Device step")
