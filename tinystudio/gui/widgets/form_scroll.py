"""Settings forms on small screens: a scroll area that scrolls a form up and down but never sideways, and
asks its splitter or layout for the width the form needs, so fields are never squeezed or cut off."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QSize, Qt
from PySide6.QtWidgets import QComboBox, QFormLayout, QFrame, QScrollArea, QWidget

COMBO_CHARACTERS = 14
"""A combo box in a form asks for this many characters; its tooltip and popup show the whole text."""


class FormScrollArea(QScrollArea):
    """Vertical-only scroll area whose minimum width is the form's minimum width plus the scroll bar."""

    def __init__(self, form: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setWidget(form)
        form.installEventFilter(self)
        self._hold_width()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if watched is self.widget() and event.type() == QEvent.Type.LayoutRequest:
            self._hold_width()  # rows were added or removed: the width the form needs may differ
        return super().eventFilter(watched, event)

    def _hold_width(self) -> None:
        """A hard minimum, not only a hint: a splitter restored from saved positions must not squeeze it."""
        self.setMinimumWidth(self.minimumSizeHint().width())
        self.updateGeometry()

    def _extra(self) -> int:
        return self.verticalScrollBar().sizeHint().width() + 2 * self.frameWidth()

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        form = self.widget()
        width = form.minimumSizeHint().width() if form is not None else 0
        return QSize(width + self._extra(), 80)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        form = self.widget()
        hint = form.sizeHint() if form is not None else QSize(0, 0)
        return QSize(hint.width() + self._extra(), hint.height())


def compact_combo(combo: QComboBox, characters: int = COMBO_CHARACTERS) -> QComboBox:
    """Let a combo box with long entries shrink to ``characters`` wide; the full text is in its tooltip."""
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(characters)
    if not combo.toolTip():  # a combo without its own explanation shows its whole current entry
        combo.currentTextChanged.connect(combo.setToolTip)
        combo.setToolTip(combo.currentText())
    return combo


def form_rows(form: QFormLayout) -> QFormLayout:
    """Label beside field on every row, fields taking the spare width. (Wrapping long rows would make the
    form report a minimum width its unwrapped rows do not fit in, so fields got squeezed.)"""
    form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
    form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
    return form
