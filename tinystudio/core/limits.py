"""Checks for every size a user can type (rates, seconds, window and stride, crop bounds) and their sane maxima.

Core functions call these before they allocate anything, so the GUI and the command line refuse the same
values with the same one-line message; ``arg`` turns a check into an argparse type for the CLI.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable

from tinystudio.core.errors import UserError

MAX_RATE_HZ = 1_000_000.0
"""Highest sample rate accepted anywhere (ultrasound-class ADCs stay below it)."""
MIN_RATE_HZ = 1e-6
"""Lowest sample rate: one reading every 11.6 days."""
MAX_SIM_RATE_HZ = 10_000.0
"""The simulated board writes text lines into a pseudo-terminal; beyond this it only loses lines."""
MAX_SECONDS = 24 * 3600.0
"""Longest single capture, wait or time bound (a day)."""
MAX_WINDOW_MS = 3_600_000.0
"""Longest window or stride (an hour)."""


def _show(number: float) -> str:
    """Whole numbers in full (3600000, not 3.6e+06), the rest in short form."""
    return str(int(number)) if float(number).is_integer() and abs(number) < 1e15 else f"{number:g}"


def _number(name: str, value: object) -> float:
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError, OverflowError):
        raise UserError(f"{name} must be a number, got {str(value)[:40]!r}") from None
    if not math.isfinite(number):
        raise UserError(f"{name} must be a finite number, got {value}")
    return number


def finite(name: str, value: object, minimum: float | None = None, maximum: float | None = None) -> float:
    """``value`` as a float, refused when not a finite number or outside [minimum, maximum]."""
    number = _number(name, value)
    if minimum is not None and number < minimum:
        raise UserError(f"{name} must be at least {_show(minimum)}, got {_show(number)}")
    if maximum is not None and number > maximum:
        raise UserError(f"{name} must be at most {_show(maximum)}, got {_show(number)}")
    return number


def finite_positive(name: str, value: object, maximum: float) -> float:
    """A finite number in (0, maximum]."""
    number = _number(name, value)
    if not number > 0:
        raise UserError(f"{name} must be a positive number, got {_show(number)}")
    if number > maximum:
        raise UserError(f"{name} must be at most {_show(maximum)}, got {_show(number)}")
    return number


def sample_rate(name: str, value: object, maximum: float = MAX_RATE_HZ) -> float:
    """A sample rate in Hz between MIN_RATE_HZ and ``maximum``."""
    rate = finite_positive(name, value, maximum)
    if rate < MIN_RATE_HZ:
        raise UserError(f"{name} must be at least {_show(MIN_RATE_HZ)} Hz, got {_show(rate)}")
    return rate


def positive_int(name: str, value: object, maximum: int) -> int:
    """A whole number in [1, maximum]."""
    return whole_number(name, value, 1, maximum)


def whole_number(name: str, value: object, minimum: int, maximum: int) -> int:
    """A whole number in [minimum, maximum]."""
    try:
        number = int(str(value), 10) if isinstance(value, str) else int(value)  # type: ignore[call-overload]
    except (TypeError, ValueError, OverflowError):
        raise UserError(f"{name} must be a whole number, got {str(value)[:40]!r}") from None
    if not minimum <= number <= maximum:
        raise UserError(f"{name} must be between {minimum} and {maximum}, got {number}")
    return number


MAX_SEED = 2**32 - 1  # NumPy's and TensorFlow's seeds are unsigned 32-bit numbers


def seed(name: str, value: object) -> int:
    """A random seed: a whole number in [0, MAX_SEED] (others fail deep inside NumPy with a traceback)."""
    try:
        number = int(str(value), 10) if isinstance(value, str) else int(value)  # type: ignore[call-overload]
    except (TypeError, ValueError, OverflowError):
        raise UserError(f"{name} must be a whole number, got {str(value)[:40]!r}") from None
    if not 0 <= number <= MAX_SEED:
        raise UserError(f"{name} must be between 0 and {MAX_SEED}, got {number}")
    return number


def memory_budget() -> int:
    """Bytes one in-memory working set may take: half of this machine's RAM (4 GiB when unknown)."""
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") // 2
    except (ValueError, OSError, AttributeError):
        return 4 << 30


def arg(check: Callable[..., float | int], name: str, *bounds: float) -> Callable[[str], float | int]:
    """An argparse ``type`` running ``check(name, text, *bounds)``; its UserError becomes one CLI line."""

    def parse(text: str) -> float | int:
        return check(name, text, *bounds)

    parse.__name__ = name  # argparse names the type in its own messages
    return parse
