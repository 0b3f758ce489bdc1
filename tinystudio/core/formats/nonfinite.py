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
