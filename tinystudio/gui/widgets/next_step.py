"""The "next step" strip under the menu bar: one sentence on what is missing and a button that does it."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from tinystudio.app.guidance import NextStep


class NextStepBar(QFrame):
    """Shows a ``NextStep``; ``triggered(action)`` fires when its button is pressed."""

    triggered = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("NextStepBar")
        self.setStyleSheet("#NextStepBar { background: palette(alternate-base); border: 1px solid palette(mid);"
                           " border-radius: 4px; }")
        self.label = QLabel("")
        self.label.setWordWrap(True)
        self.button = QPushButton("")
        self.button.clicked.connect(lambda: self.triggered.emit(self.step.action or ""))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.addWidget(QLabel("<b>Next:</b>"))
        layout.addWidget(self.label, 1)
        layout.addWidget(self.button)
        self.step = NextStep(None, "Device", "")

    def show_step(self, step: NextStep) -> None:
        self.step = step
        self.label.setText(step.text)
        self.button.setText(step.button)
        self.button.setVisible(step.action is not None)
        self.button.setToolTip(f"Go to {step.step} and {step.button.lower()}" if step.action else "")
