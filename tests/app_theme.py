"""The app's light theme for the GUI tests that ask for it (``light_app_theme``), applied once and kept while
such tests follow each other: applying it restyles every widget and collects garbage, about half a second a
test. Before any test that does not ask for it, the app's look from before comes back, so no test runs under a
theme it did not ask for, whatever the order."""

from __future__ import annotations

from typing import Any

_saved: tuple[Any, ...] | None = None
"""The app's look (style, palette, font, style sheet) before the theme was applied; None: not applied."""
_applied: tuple[Any, ...] | None = None
"""The app's look right after the theme was applied."""


def _look(app: Any) -> tuple[Any, ...]:
    from PySide6.QtGui import QFont, QPalette

    return app.style().name(), QPalette(app.palette()), QFont(app.font()), app.styleSheet()


def _restore(app: Any, look: tuple[Any, ...]) -> None:
    style, palette, font, sheet = look
    app.setStyleSheet(sheet)
    app.setFont(font)
    app.setPalette(palette)
    app.setStyle(style)


def use(app: Any) -> None:
    """The light theme on ``app``: applied now unless it is still exactly as it was applied last."""
    global _saved, _applied
    from tinystudio.gui import theme

    if _applied is not None and theme.current() is theme.LIGHT and _look(app) == _applied:
        return
    if _saved is None:
        _saved = _look(app)
    else:  # a test changed the look: start again from the app's own, as a fresh application would
        _restore(app, _saved)
    theme.apply_theme(app, theme.LIGHT)
    _applied = _look(app)


def undo() -> None:
    """The app's look from before the theme, if the theme is on."""
    global _saved, _applied
    if _saved is None:
        return
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if app is not None:
        _restore(app, _saved)
    _saved = _applied = None
