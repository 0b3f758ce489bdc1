"""What the desktop app remembers between runs (QSettings): the window's size and place, the step shown,
every splitter's position, and the last serial port, baud rate, deploy board and BENCH repetitions.
Recent projects live in AppContext. Saved when the window closes, restored when it opens.

A splitter's pane sizes are stored under the splitter's own name (its object name), never its place among
the page's splitters: a splitter added to or removed from a page in a later version must not hand its
neighbours each other's sizes. Sizes whose count differs from the splitter's panes are left out."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtWidgets import QComboBox, QMainWindow, QSpinBox, QSplitter, QWidget

from tinystudio.app.device_figures import check_bench_runs
from tinystudio.core.errors import UserError

GEOMETRY = "window/geometry"
STATE = "window/state"
STEP = "window/step"
SPLITTERS = "splitters"


@dataclass(frozen=True)
class Choice:
    """A combo box on a page whose choice is remembered: by its item data (``by_data``) or its text."""

    key: str
    page: str
    attribute: str
    by_data: bool


CHOICES: tuple[Choice, ...] = (
    Choice("device/port", "Device", "port_box", by_data=True),
    Choice("device/baud", "Device", "baud_box", by_data=False),
    Choice("deploy/board", "Deploy", "target_combo", by_data=True),
)


@dataclass(frozen=True)
class Number:
    """A spin box on a page whose value is remembered; ``check`` is the use case's own rule, so a stored
    value the use case would refuse is left out rather than shown."""

    key: str
    page: str
    attribute: str
    check: Callable[[object], int]


NUMBERS: tuple[Number, ...] = (
    Number("deploy/bench_runs", "Deploy", "bench_spin", check_bench_runs),
)


def _slug(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", title.lower()).strip("_")


def page_splitters(page: QWidget) -> dict[str, QSplitter]:
    """The page's remembered splitters by name (their object names); an unnamed splitter is not remembered."""
    return {s.objectName(): s for s in page.findChildren(QSplitter) if s.objectName()}


def splitter_key(title: str, name: str) -> str:
    """Where the sizes of the splitter ``name`` on the page ``title`` are stored."""
    return f"{SPLITTERS}/{_slug(title)}/{name}"


def saved_sizes(value: object, count: int) -> list[int] | None:
    """``value`` as stored sizes of a splitter with ``count`` panes: ``count`` whole numbers, not negative,
    some above 0; None for anything else (a layout with other panes, a hand-edited or damaged value)."""
    parts = value.split(",") if isinstance(value, str) else value
    if not isinstance(parts, list | tuple) or len(parts) != count:
        return None
    try:
        sizes = [int(str(p).strip()) for p in parts]
    except ValueError:
        return None
    return sizes if all(s >= 0 for s in sizes) and any(sizes) else None


def _forget_numbered_splitters(settings: QSettings) -> None:
    """Drop the sizes older versions stored by a splitter's place on its page ("splitters/train/0"): they
    cannot be told apart once a page's splitters change."""
    for key in settings.allKeys():
        parts = key.split("/")
        if len(parts) == 3 and parts[0] == SPLITTERS and parts[2].isdigit():
            settings.remove(key)


def _combo(pages: dict[str, QWidget], choice: Choice) -> QComboBox | None:
    page = pages.get(choice.page)
    combo = getattr(page, choice.attribute, None) if page is not None else None
    return combo if isinstance(combo, QComboBox) else None


def _spin(pages: dict[str, QWidget], number: Number) -> QSpinBox | None:
    page = pages.get(number.page)
    spin = getattr(page, number.attribute, None) if page is not None else None
    return spin if isinstance(spin, QSpinBox) else None


def save(settings: QSettings, window: QMainWindow, pages: dict[str, QWidget], step: int) -> None:
    """Remember the window, the current step, the splitters and the remembered choices."""
    settings.setValue(GEOMETRY, window.saveGeometry())
    settings.setValue(STATE, window.saveState())
    settings.setValue(STEP, step)
    _forget_numbered_splitters(settings)
    for title, page in pages.items():
        for name, splitter in page_splitters(page).items():
            if not any(size > 0 for size in splitter.sizes()):
                continue  # never laid out (its step was not shown): keep the position saved before
            settings.setValue(splitter_key(title, name), splitter.sizes())
    for choice in CHOICES:
        combo = _combo(pages, choice)
        if combo is None or (combo.currentIndex() < 0 and not combo.isEditable()):
            continue
        value = combo.currentData() if choice.by_data else combo.currentText()
        if value not in (None, ""):
            settings.setValue(choice.key, str(value))
    for number in NUMBERS:
        spin = _spin(pages, number)
        if spin is not None:
            settings.setValue(number.key, spin.value())
    settings.sync()


def restore_window(settings: QSettings, window: QMainWindow) -> bool:
    """Put the window back where it was; False when nothing was saved (first run)."""
    geometry = settings.value(GEOMETRY)
    if not isinstance(geometry, QByteArray | bytes) or not geometry:
        return False
    window.restoreGeometry(QByteArray(geometry))
    state = settings.value(STATE)
    if isinstance(state, QByteArray | bytes) and state:
        window.restoreState(QByteArray(state))
    return True


def saved_step(settings: QSettings, steps: int) -> int:
    """The step shown last time (0 when unknown or out of range)."""
    try:
        step = int(settings.value(STEP, 0))
    except (TypeError, ValueError):
        return 0
    return step if 0 <= step < steps else 0


def restore_splitters(settings: QSettings, pages: dict[str, QWidget]) -> None:
    """Give each named splitter the sizes stored under its name, when they fit its panes."""
    for title, page in pages.items():
        for name, splitter in page_splitters(page).items():
            sizes = saved_sizes(settings.value(splitter_key(title, name)), splitter.count())
            if sizes is not None:
                splitter.setSizes(sizes)


def restore_choices(settings: QSettings, pages: dict[str, QWidget]) -> None:
    """Select the remembered port (when it is plugged in), baud rate and board."""
    for choice in CHOICES:
        combo = _combo(pages, choice)
        value = settings.value(choice.key)
        if combo is None or value in (None, ""):
            continue
        index = combo.findData(str(value)) if choice.by_data else combo.findText(str(value))
        if index >= 0:
            combo.setCurrentIndex(index)
        elif not choice.by_data and combo.isEditable():
            combo.setCurrentText(str(value))


def restore_numbers(settings: QSettings, pages: dict[str, QWidget]) -> None:
    """Put back the remembered numbers (BENCH repetitions) that the use case still accepts."""
    for number in NUMBERS:
        spin = _spin(pages, number)
        value = settings.value(number.key)
        if spin is None or value in (None, ""):
            continue
        try:
            spin.setValue(number.check(int(str(value))))
        except (ValueError, UserError):
            continue  # a hand-edited or damaged setting: keep the default
