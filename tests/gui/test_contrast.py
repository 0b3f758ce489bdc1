"""Every step reads in both colour schemes: with a trained project open, each visible label's text, each
confusion-matrix count and each plot's axes and chart labels keep a WCAG contrast ratio of at least 4.5
(3.0 for headings and plot axes) against what is really drawn behind them; and a live switch of the
scheme re-colours what was already drawn."""

from __future__ import annotations

import re
from collections import Counter

import pyqtgraph as pg
import pytest
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QApplication, QLabel, QWidget

from tinystudio.gui import theme
from tinystudio.gui.context import AppContext
from tinystudio.gui.main_window import STEPS, MainWindow
from tinystudio.gui.widgets.confusion_matrix import ConfusionMatrixWidget

BODY, LARGE = 4.5, 3.0
COLOUR_IN_HTML = re.compile(r"color\s*[:=]\s*['\"]?(#[0-9a-fA-F]{3,8}|[a-zA-Z]+)")


@pytest.fixture
def restore_theme(qapp):
    style, palette, font, sheet = qapp.style().name(), qapp.palette(), qapp.font(), qapp.styleSheet()
    yield qapp
    theme.apply_plot_theme(theme.LIGHT)
    theme._current = theme.LIGHT
    qapp.setStyleSheet(sheet)
    qapp.setFont(font)
    qapp.setPalette(palette)
    qapp.setStyle(style)


def _background(shot: QImage, label: QLabel, window: QWidget) -> QColor:
    """The colour drawn most often inside the label's rectangle (text covers only a small part of it)."""
    origin = label.mapTo(window, label.rect().topLeft())
    seen: Counter[int] = Counter()
    for y in range(max(0, origin.y()), min(shot.height(), origin.y() + label.height()), 2):
        for x in range(max(0, origin.x()), min(shot.width(), origin.x() + label.width()), 2):
            seen[shot.pixel(x, y)] += 1
    return QColor.fromRgb(seen.most_common(1)[0][0]) if seen else label.palette().color(label.backgroundRole())


def _text_colours(label: QLabel) -> list[QColor]:
    colours = [label.palette().color(label.foregroundRole())]
    colours += [QColor(c) for c in COLOUR_IN_HTML.findall(label.text() + label.styleSheet())]
    return [c for c in colours if c.isValid()]


def _needed(label: QLabel) -> float:
    font = label.font()
    large = font.pointSizeF() >= 18 or (font.bold() and font.pointSizeF() >= 14)
    return LARGE if large or re.search(r"<h[1-3]", label.text()) else BODY


def _problems(window: MainWindow, step: str) -> list[str]:
    problems: list[str] = []
    shot = window.grab().toImage()
    for label in window.findChildren(QLabel):
        if not label.isVisibleTo(window) or not label.text().strip() or label.width() < 4 or label.height() < 4:
            continue
        back = _background(shot, label, window)
        for colour in _text_colours(label):
            ratio = theme.contrast_ratio(colour, back)
            if ratio < _needed(label):
                problems.append(f"{step}: label {label.text()[:50]!r} {colour.name()} on {back.name()}: {ratio:.2f}")
    for matrix in window.findChildren(ConfusionMatrixWidget):
        counts = matrix.counts
        for k, item in enumerate(matrix._texts):
            i, j = divmod(k, len(matrix.labels))
            row = counts[i].sum()
            cell = matrix.cell_colour(float(counts[i, j] / row) if row else 0.0)
            ratio = theme.contrast_ratio(item.color, cell)
            if ratio < BODY:
                problems.append(f"{step}: matrix cell {i},{j} text {item.color.name()} on {cell.name()}: {ratio:.2f}")
    for view in window.findChildren(pg.GraphicsView):
        if not view.isVisibleTo(window):
            continue
        back = view.backgroundBrush().color()
        for item in view.scene().items():
            if not item.isVisible():
                continue
            if isinstance(item, pg.AxisItem):
                for what, pen in (("axis", item.pen()), ("axis text", item.textPen())):
                    ratio = theme.contrast_ratio(pen.color(), back)
                    if ratio < LARGE:
                        problems.append(f"{step}: {what} {pen.color().name()} on {back.name()}: {ratio:.2f}")
            elif isinstance(item, pg.TextItem) and not isinstance(item.parentItem(), pg.ImageItem):
                if any(item is t for m in window.findChildren(ConfusionMatrixWidget) for t in m._texts):
                    continue
                ratio = theme.contrast_ratio(item.color, back)
                if ratio < BODY:
                    problems.append(f"{step}: chart text {item.toPlainText()[:30]!r} {item.color.name()} "
                                    f"on {back.name()}: {ratio:.2f}")
            elif isinstance(item, pg.LabelItem) and item.text:
                colour = QColor(item.opts.get("color") or pg.getConfigOption("foreground"))
                legend = item.parentItem()
                behind = back
                if isinstance(legend, pg.LegendItem) or isinstance(getattr(legend, "parentItem", lambda: None)(),
                                                                   pg.LegendItem):
                    box = legend if isinstance(legend, pg.LegendItem) else legend.parentItem()
                    behind = box.opts["brush"].color() if box.opts["brush"].color().alpha() > 128 else back
                ratio = theme.contrast_ratio(colour, behind)
                if ratio < BODY:
                    problems.append(f"{step}: plot text {item.text[:30]!r} {colour.name()} on {behind.name()}: "
                                    f"{ratio:.2f}")
    return problems


def _visit_every_step(window: MainWindow) -> list[str]:
    problems: list[str] = []
    for title, _, _ in STEPS:
        window.show_step(title)
        for _ in range(3):
            QApplication.processEvents()
        problems += _problems(window, title)
    return problems


@pytest.mark.slow
@pytest.mark.parametrize("scheme", ["dark", "light"])
def test_every_step_reads_in_both_schemes(qtbot, restore_theme, trained_copy, scheme):
    theme.apply_theme(restore_theme, theme.DARK if scheme == "dark" else theme.LIGHT)
    window = MainWindow(AppContext())
    qtbot.addWidget(window)
    try:
        assert window.open_project(str(trained_copy))
        window.resize(1280, 800)
        window.show()
        QApplication.processEvents()
        assert _visit_every_step(window) == []
        # the system's scheme changes while the window is open: what was drawn follows it
        other = theme.LIGHT if scheme == "dark" else theme.DARK
        theme.apply_theme(restore_theme, other)
        QApplication.processEvents()
        assert _visit_every_step(window) == []
    finally:
        for page in window.pages.values():
            shutdown = getattr(page, "shutdown", None)
            if callable(shutdown):
                shutdown()
        window.context.close()
