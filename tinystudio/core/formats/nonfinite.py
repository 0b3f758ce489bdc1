"""Values that are not finite (nan, inf, or a number that overflows float32 such as 1e999) never enter a
project silently: a reader refuses the file naming the row and column, or, when the user asked for it,
leaves those rows out and counts them."""

from __future__ import annotations

import numpy as np

from tinystudio.core.errors import UserError

SKIP_KEY = "non-finite"
"""Key of the rows left out in an import's skipped counts."""
HINT = "; import with --drop-nonfinite to leave such rows out"
"""How a refusal ends; a front end with its own control for this may replace it."""


def bad_rows(values: np.ndarray) -> np.ndarray:
    """A boolean mask of the rows of a (rows, columns) array holding any nan or inf."""
    return ~np.isfinite(values).all(axis=1)


def to_float32(values: np.ndarray) -> np.ndarray:
    """Cast to float32; values beyond its range become inf (and are then caught), without a warning."""
    with np.errstate(over="ignore", invalid="ignore"):
        return np.asarray(values).astype(np.float32)


def refusal(where: str, column: str, text: str) -> UserError:
    """The one-line refusal for a non-finite value at ``where`` (file and row) in ``column``."""
    return UserError(f"{where}, column {column!r}: {text[:40]!r} is not a finite number{HINT}")


EXACT_LIMIT = float(1 << 24)
"""Beyond this a float32 sample no longer holds every whole number: larger values are rounded."""


def rounded(source: np.ndarray, kept: np.ndarray) -> tuple[int, float]:
    """How many finite values beyond EXACT_LIMIT changed on the way to float32, and the largest change."""
    with np.errstate(invalid="ignore", over="ignore"):
        big = np.isfinite(source) & np.isfinite(kept) & (np.abs(source) > EXACT_LIMIT)
        if not big.any():
            return 0, 0.0
        change = np.abs(source[big] - kept[big].astype(np.float64))
    return int(np.count_nonzero(change)), float(change.max(initial=0.0))


def rounding_note(count: int, largest: float) -> str:
    return (f"{count} value(s) beyond {EXACT_LIMIT:,.0f} do not fit a sample's float32 exactly and were rounded "
            f"(by up to {largest:g}); a clock or counter among the axes loses most")
