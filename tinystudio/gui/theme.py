"""One visual language for the whole app: a light and a dark palette (the system's colour scheme picks one),
spacing and typography in one style sheet, and plots whose background, axes and text follow the palette.

Widgets take colours from here (``current().text`` and friends, ``SERIES``) instead of writing their own,
so that every page reads well in both schemes."""

from __future__ import annotations

import os
from dataclasses import dataclass

import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QWidget

THEME_ENV = "TINYSTUDIO_THEME"
"""``light`` or ``dark`` overrides the system's scheme (``auto``, the default, follows it)."""

SPACING = 8  # px between related controls; pages use multiples of it
MARGIN = 12  # px around a page's content
BASE_POINT_SIZE = 10
SERIES = ("#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf")
"""Line colours for signal axes and chart series, readable on both backgrounds."""


@dataclass(frozen=True)
class Theme:
    """The colours of one scheme."""

    name: str
    window: str
    base: str  # text fields, tables, plot background
    alt_base: str
    text: str
    muted: str  # secondary text, empty-plot hints
    accent: str  # selection, the current step, primary buttons
    accent_text: str
    border: str
    ok: str
    warning: str
    error: str
    plot_background: str
    plot_foreground: str

    @property
    def dark(self) -> bool:
        return self.name == "dark"


LIGHT = Theme(
    name="light", window="#f4f5f7", base="#ffffff", alt_base="#f0f2f5", text="#1d2330", muted="#6b7280",
    accent="#2563eb", accent_text="#ffffff", border="#d0d5dd", ok="#15803d", warning="#b45309", error="#b91c1c",
    plot_background="#ffffff", plot_foreground="#333a45",
)
DARK = Theme(
    name="dark", window="#1e2127", base="#262a31", alt_base="#2c3139", text="#e6e9ef", muted="#9aa3b2",
    accent="#4f8cff", accent_text="#ffffff", border="#3a404b", ok="#4ade80", warning="#fbbf24", error="#f87171",
    plot_background="#1b1e23", plot_foreground="#c9ced8",
)

_current = LIGHT


def current() -> Theme:
    """The theme in use (light until ``apply_theme`` ran)."""
    return _current


def system_prefers_dark() -> bool:
    """True when the platform's colour scheme is dark (Qt 6.5+ reports it; unknown counts as light)."""
    app = QGuiApplication.instance()
    if app is None:
        return False
    hints = QGuiApplication.styleHints()
    scheme = getattr(hints, "colorScheme", None)
    return scheme is not None and scheme() == Qt.ColorScheme.Dark


def choose_theme() -> Theme:
    """The theme asked for in ``TINYSTUDIO_THEME``, else the system's scheme."""
    wanted = os.environ.get(THEME_ENV, "auto").strip().lower()
    if wanted == "dark":
        return DARK
    if wanted == "light":
        return LIGHT
    return DARK if system_prefers_dark() else LIGHT


def palette(theme: Theme) -> QPalette:
    """A QPalette for the Fusion style with ``theme``'s colours (disabled text muted)."""
    p = QPalette()
    roles = {
        QPalette.ColorRole.Window: theme.window,
        QPalette.ColorRole.WindowText: theme.text,
        QPalette.ColorRole.Base: theme.base,
        QPalette.ColorRole.AlternateBase: theme.alt_base,
        QPalette.ColorRole.Text: theme.text,
        QPalette.ColorRole.Button: theme.alt_base,
        QPalette.ColorRole.ButtonText: theme.text,
        QPalette.ColorRole.ToolTipBase: theme.base,
        QPalette.ColorRole.ToolTipText: theme.text,
        QPalette.ColorRole.PlaceholderText: theme.muted,
        QPalette.ColorRole.Highlight: theme.accent,
        QPalette.ColorRole.HighlightedText: theme.accent_text,
        QPalette.ColorRole.Link: theme.accent,
        QPalette.ColorRole.BrightText: theme.error,
        QPalette.ColorRole.Mid: theme.border,
    }
    for role, colour in roles.items():
        p.setColor(role, QColor(colour))
    for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text, QPalette.ColorRole.ButtonText):
        p.setColor(QPalette.ColorGroup.Disabled, role, QColor(theme.muted))
    return p


def style_sheet(theme: Theme) -> str:
    """Spacing and typography shared by every page: headings, the step list, group boxes, buttons."""
    return f"""
QListWidget#steps {{ font-size: 11pt; border: none; outline: 0; background: {theme.alt_base};
                     padding-top: {SPACING}px; }}
QListWidget#steps::item {{ padding: {SPACING + 2}px {SPACING}px; border-radius: 6px; margin: 2px {SPACING}px; }}
QListWidget#steps::item:selected {{ background: {theme.accent}; color: {theme.accent_text}; }}
QGroupBox {{ font-weight: 600; border: 1px solid {theme.border}; border-radius: 6px;
             margin-top: {SPACING + 4}px; padding: {SPACING}px {SPACING}px {SPACING // 2}px {SPACING}px; }}
QGroupBox::title {{ subcontrol-origin: margin; left: {SPACING}px; padding: 0 4px; }}
QPushButton {{ padding: 5px 14px; border-radius: 5px; border: 1px solid {theme.border};
               background: {theme.alt_base}; }}
QPushButton:hover {{ border-color: {theme.accent}; }}
QPushButton:default {{ background: {theme.accent}; color: {theme.accent_text}; border-color: {theme.accent}; }}
QPushButton:disabled {{ color: {theme.muted}; }}
QProgressBar {{ border: 1px solid {theme.border}; border-radius: 4px; text-align: center; min-height: 16px; }}
QProgressBar::chunk {{ background: {theme.accent}; border-radius: 3px; }}
QStatusBar {{ color: {theme.muted}; }}
QToolTip {{ color: {theme.text}; background: {theme.base}; border: 1px solid {theme.border}; }}
"""


def apply_plot_theme(theme: Theme | None = None) -> None:
    """Set pyqtgraph's defaults (for plots made from now on) to ``theme``'s background and axes."""
    theme = theme or _current
    pg.setConfigOptions(background=theme.plot_background, foreground=theme.plot_foreground, antialias=True)


def restyle_plots(root: QWidget | None = None, theme: Theme | None = None) -> None:
    """Give the plots that exist (under ``root``, else in the whole app) the theme's background and axis
    colours, whatever background they were made with."""
    theme = theme or _current
    app = QApplication.instance()
    if root is not None:
        widgets = list(root.findChildren(pg.GraphicsView))
    elif isinstance(app, QApplication):
        widgets = app.allWidgets()
    else:
        return
    for widget in widgets:
        if isinstance(widget, pg.GraphicsView):
            widget.setBackground(theme.plot_background)
            for item in widget.scene().items():
                if isinstance(item, pg.AxisItem):
                    item.setPen(theme.plot_foreground)
                    item.setTextPen(theme.plot_foreground)


def apply_theme(app: QApplication, theme: Theme | None = None) -> Theme:
    """Give ``app`` the Fusion style with ``theme`` (default: ``choose_theme()``) and make plots follow;
    returns the theme applied. Called again when the system's scheme changes."""
    global _current
    theme = theme or choose_theme()
    _current = theme
    app.setStyle("Fusion")
    app.setPalette(palette(theme))
    font = app.font()
    font.setPointSize(max(font.pointSize(), BASE_POINT_SIZE))
    app.setFont(font)
    app.setStyleSheet(style_sheet(theme))
    apply_plot_theme(theme)
    restyle_plots(None, theme)
    return theme


def follow_system(app: QApplication) -> None:
    """Re-apply the theme whenever the platform's colour scheme changes (unless overridden)."""
    hints = QGuiApplication.styleHints()
    changed = getattr(hints, "colorSchemeChanged", None)
    if changed is not None:
        changed.connect(lambda _scheme: apply_theme(app))

