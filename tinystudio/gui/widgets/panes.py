"""Page layout helpers: resizable panes side by side or stacked, and a page with its title over its body."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QSplitter, QVBoxLayout, QWidget


def column(*widgets: QWidget) -> QWidget:
    """``widgets`` stacked top to bottom without margins; the last one takes the extra height."""
    holder = QWidget()
    layout = QVBoxLayout(holder)
    layout.setContentsMargins(0, 0, 0, 0)
    for i, w in enumerate(widgets):
        layout.addWidget(w, 1 if i == len(widgets) - 1 else 0)
    return holder


def panes(orientation: Qt.Orientation, *widgets: QWidget, name: str, grow: int | None = None) -> QSplitter:
    """A splitter holding ``widgets`` in order; the one at index ``grow`` takes the extra room. ``name`` is
    its object name, unique on its page: the window remembers the splitter's sizes under it."""
    splitter = QSplitter(orientation)
    splitter.setObjectName(name)
    splitter.setChildrenCollapsible(False)  # a pane dragged too far stays readable instead of vanishing
    for w in widgets:
        splitter.addWidget(w)
    if grow is not None:
        splitter.setStretchFactor(grow, 1)
    return splitter


def titled(page: QWidget, title: str, body: QWidget) -> QVBoxLayout:
    """Lay ``page`` out as a heading over ``body``; returns the layout for anything added below."""
    layout = QVBoxLayout(page)
    layout.addWidget(QLabel(f"<h2>{title}</h2>"))
    layout.addWidget(body, 1)
    return layout
