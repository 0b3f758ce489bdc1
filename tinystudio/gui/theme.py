"""One visual language for the whole app: a light and a dark palette (the system's colour scheme picks one),
spacing and typography in one style sheet, and plots whose background, axes and text follow the palette.

Widgets take colours from here (``current().text`` and friends, ``SERIES``) instead of writing their own,
so that every page reads well in both schemes."""

from __future__ import annotations

import gc
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import pyqtgraph as pg
import shiboken6
from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QLabel, QWidget

THEME_ENV = "TINYSTUDIO_THEME"
"""``light`` or ``dark`` overrides the system's scheme (``auto``, the default, follows it)."""

SPACING = 8  # px between related controls; pages use multiples of it
MARGIN = 12  # px around a page's content
BASE_POINT_SIZE = 10
TONE_PROPERTY = "tone"
"""Dynamic property naming the theme role (``ok``, ``warning``, ``error``, ``muted``) a label's text takes."""


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
    grid: str  # plot grid lines and reference lines
    series: tuple[str, ...]  # line and point colours, each readable on plot_background

    def role(self, name: str) -> str:
        """The colour of a named role (``text``, ``muted``, ``ok``, ``warning``, ``error``, ``accent``...)."""
        return str(getattr(self, name))

    def series_colour(self, index: int) -> str:
        return self.series[index % len(self.series)]

    @property
    def dark(self) -> bool:
        return self.name == "dark"


LIGHT = Theme(
    name="light", window="#f4f5f7", base="#ffffff", alt_base="#f0f2f5", text="#1d2330", muted="#5b6270",
    accent="#2563eb", accent_text="#ffffff", border="#d0d5dd", ok="#15803d", warning="#b45309", error="#b91c1c",
    plot_background="#ffffff", plot_foreground="#333a45", grid="#5f6673",
    series=("#1f6fb4", "#c62828", "#2b7a3b", "#c2570c", "#7e57c2", "#8c564b", "#c2255c", "#0b7285"),
)
DARK = Theme(
    name="dark", window="#1e2127", base="#262a31", alt_base="#2c3139", text="#e6e9ef", muted="#9aa3b2",
    accent="#2f6fdf", accent_text="#ffffff", border="#3a404b", ok="#4ade80", warning="#fbbf24", error="#f87171",
    plot_background="#1b1e23", plot_foreground="#c9ced8", grid="#9aa3b2",
    series=("#5aa9ff", "#ff6b6b", "#4ade80", "#ffa94d", "#b197fc", "#d2a679", "#f783ac", "#3bc9db"),
)

_current = LIGHT


def current() -> Theme:
    """The theme in use (light until ``apply_theme`` ran)."""
    return _current


class _Notifier(QObject):
    changed = Signal(object)  # the Theme now in use


_notifier: _Notifier | None = None


def notifier() -> _Notifier:
    """Emits ``changed(theme)`` after ``apply_theme``: widgets that draw with theme colours redraw then."""
    global _notifier
    if _notifier is None:
        _notifier = _Notifier()
    return _notifier


def on_change(owner: QObject, redraw: Callable[[], None]) -> None:
    """Call ``redraw`` whenever the theme changes, for as long as ``owner`` lives."""
    slot = _OwnedSlot(owner, redraw)
    notifier().changed.connect(slot.fire)


class _OwnedSlot(QObject):
    """A slot that lives as long as its owner widget, so a closed page is never called back."""

    def __init__(self, owner: QObject, redraw: Callable[[], None]) -> None:
        super().__init__(owner)
        self._redraw = redraw

    def fire(self, _theme: object) -> None:
        self._redraw()


def span(text: str, role: str) -> str:
    """``text`` (already escaped HTML) in the current theme's ``role`` colour, for rich-text labels that
    re-render on ``notifier().changed``."""
    return f"<span style='color:{_current.role(role)}'>{text}</span>"


def set_tone(label: QLabel, role: str | None) -> None:
    """Colour the whole of ``label``'s text with a theme role (None: the normal text colour); the colour
    follows later theme changes by itself."""
    label.setProperty(TONE_PROPERTY, role or "")
    label.setStyleSheet(f"color: {_current.role(role)};" if role else "")


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Keep Python's garbage collector from running inside: Qt hands back bare pointers to widgets and plot
    items, and a collection triggered while they are being wrapped can delete one the list still points at
    (a crash, not an error)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _live_widgets(root: QWidget | None) -> list[QWidget]:
    """Every widget that exists under ``root`` (else in the whole app); call with the collector paused."""
    app = QApplication.instance()
    if root is not None:
        widgets = [root, *root.findChildren(QWidget)]
    elif isinstance(app, QApplication):
        widgets = list(app.allWidgets())
    else:
        widgets = []
    return [w for w in widgets if shiboken6.isValid(w)]


_TEXT_ROLES = ("text", "muted", "ok", "warning", "error", "accent")


def _retone(old: Theme, theme: Theme) -> None:
    """Labels coloured with ``set_tone`` or ``span`` take the new theme's colour for the same role."""
    swaps = {f"color:{old.role(r)}": f"color:{theme.role(r)}" for r in _TEXT_ROLES}
    with _collector_paused():
        for widget in _live_widgets(None):
            role = widget.property(TONE_PROPERTY)
            if isinstance(role, str) and role:
                widget.setStyleSheet(f"color: {theme.role(role)};")
            if isinstance(widget, QLabel) and "color:" in widget.text():
                text = widget.text()
                for before, after in swaps.items():
                    text = text.replace(before, after)
                if text != widget.text():
                    widget.setText(text)


def relative_luminance(colour: QColor | str) -> float:
    """WCAG 2 relative luminance of an sRGB colour."""
    c = QColor(colour)
    channels = []
    for v in (c.redF(), c.greenF(), c.blueF()):
        channels.append(v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4)
    return 0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2]


def contrast_ratio(a: QColor | str, b: QColor | str) -> float:
    """WCAG 2 contrast ratio between two colours (1 to 21; 4.5 is the minimum for body text)."""
    la, lb = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def readable_on(background: QColor | str) -> str:
    """Black or white, whichever reads better on ``background`` (text over heatmap cells)."""
    return "#000000" if contrast_ratio("#000000", background) >= contrast_ratio("#ffffff", background) else "#ffffff"


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
    with _collector_paused():
        for widget in _live_widgets(root):
            if isinstance(widget, pg.GraphicsView):
                widget.setBackground(theme.plot_background)
                for item in widget.scene().items():
                    if isinstance(item, pg.AxisItem):
                        item.setPen(theme.plot_foreground)
                        item.setTextPen(theme.plot_foreground)
                    elif isinstance(item, pg.PlotItem) and item.titleLabel.text:
                        item.titleLabel.setText(item.titleLabel.text, color=theme.plot_foreground)
                    elif isinstance(item, pg.LegendItem):
                        style_legend(item, theme)


def style_legend(legend: pg.LegendItem, theme: Theme | None = None) -> None:
    """A legend box in the plot's own colours (its names readable on both backgrounds)."""
    theme = theme or _current
    fill = QColor(theme.plot_background)
    fill.setAlpha(230)
    legend.setBrush(pg.mkBrush(fill))
    legend.setPen(pg.mkPen(theme.border))
    legend.setLabelTextColor(theme.plot_foreground)
    for _sample, label in legend.items:
        label.setText(label.text, color=theme.plot_foreground)


def apply_theme(app: QApplication, theme: Theme | None = None) -> Theme:
    """Give ``app`` the Fusion style with ``theme`` (default: ``choose_theme()``) and make plots follow;
    returns the theme applied. Called again when the system's scheme changes."""
    global _current
    theme = theme or choose_theme()
    old, _current = _current, theme
    gc.collect()  # now, while no Qt loop over the widgets is running
    with _collector_paused():  # Qt walks every widget below, calling back into Python
        app.setStyle("Fusion")
        app.setPalette(palette(theme))
        font = app.font()
        font.setPointSize(max(font.pointSize(), BASE_POINT_SIZE))
        app.setFont(font)
        app.setStyleSheet(style_sheet(theme))
        apply_plot_theme(theme)
        restyle_plots(None, theme)
        _retone(old, theme)
        notifier().changed.emit(theme)
    return theme


def follow_system(app: QApplication) -> None:
    """Re-apply the theme whenever the platform's colour scheme changes (unless overridden)."""
    hints = QGuiApplication.styleHints()
    changed = getattr(hints, "colorSchemeChanged", None)
    if changed is not None:
        changed.connect(lambda _scheme: apply_theme(app))

