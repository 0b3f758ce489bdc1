"""The header over every step: which project is open, which board the Deploy step targets, and whether a
board is streaming on the Device step, so the user always knows what the figures below belong to."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QPainter, QPaintEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QSizePolicy, QWidget

from tinystudio.gui.theme import current


class _Fact(QLabel):
    """A one-line label that ends in "…" when it has less room than its text (full text in the tooltip);
    its bold caption comes first."""

    def __init__(self, caption: str) -> None:
        super().__init__()
        self.caption = caption
        self.value = ""
        self.colour: str | None = None
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)

    def set_value(self, value: str, colour: str | None = None) -> None:
        self.value, self.colour = value, colour
        self.setText(f"{self.caption} {value}")  # for sizeHint, accessibility and tests
        self.update()

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(40, super().minimumSizeHint().height())

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        painter = QPainter(self)
        bold = self.font()
        bold.setBold(True)
        painter.setFont(bold)
        rect = self.contentsRect()
        caption = f"{self.caption} " if self.caption else ""
        used = painter.fontMetrics().horizontalAdvance(caption)
        painter.drawText(rect, int(Qt.AlignmentFlag.AlignVCenter), caption)
        painter.setFont(self.font())
        if self.colour:
            painter.setPen(self.colour)
        room = max(0, rect.width() - used)
        text = painter.fontMetrics().elidedText(self.value, Qt.TextElideMode.ElideRight, room)
        painter.drawText(rect.adjusted(used, 0, 0, 0), int(Qt.AlignmentFlag.AlignVCenter), text)


class StatusHeader(QFrame):
    """Three short facts in one line; each label's tooltip has the long form."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("StatusHeader")
        self.project = _Fact("Project:")
        self.board = _Fact("Board:")
        self.connection = _Fact("")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 2, 8, 2)
        layout.addWidget(self.project, 3)
        layout.addWidget(self.board, 3)
        layout.addWidget(self.connection, 3)
        self.show_facts(None, None, None)

    def show_facts(self, project: str | None, board: str | None, connection: str | None) -> None:
        """``project`` file name, ``board`` title, ``connection`` (None: not connected)."""
        theme = current()
        self.project.set_value(project or "none open")
        self.project.setToolTip(project or "Open or create a project in the File menu")
        self.board.set_value(board.split(" (")[0] if board else "-")  # the counter note is in the tooltip
        self.board.setToolTip(f"The Deploy step builds for {board}" if board else "")
        if connection:
            self.connection.set_value(f"● streaming from {connection}", theme.ok)
        else:
            self.connection.set_value("○ no board connected", theme.muted)
        self.connection.setToolTip("Live signals on the Device step" if connection else
                                   "Connect a board (or the simulated board) on the Device step")
