"""The contract every DSP block follows: documented, versioned parameters, output shape and cost.

Blocks are pure float32 numpy so the C runtime can mirror each one operation for operation: sums run from
the first term up (running sums, no pairwise sums or matrix products), logarithms use ``logf.logf`` (the
C code's own logf), no fused multiply-add. The board's features then equal the host's bit for bit;
tinystudio/core/codegen/dsp_config.py emits the tables both sides share.
"""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np

from tinystudio.core.errors import UserError


@dataclass(frozen=True)
class ParamSpec:
    """One block parameter: default value (its type is the parameter's type), help text and limits."""

    default: Any
    doc: str
    choices: tuple[Any, ...] | None = None
    minimum: float | None = None
    maximum: float | None = None


class DspBlock(ABC):
    """A feature extractor for one window of shape (window_frames, axes).

    Subclasses set ``name``, ``version`` and ``PARAMS`` and implement ``_setup``, ``output_shape``,
    ``ops`` and ``transform``.
    """

    name: ClassVar[str] = ""
    version: ClassVar[int] = 1
    title: ClassVar[str] = ""
    PARAMS: ClassVar[dict[str, ParamSpec]] = {}

    def __init__(self, params: dict[str, Any] | None, rate_hz: float, window_frames: int, axes: int) -> None:
        self.rate_hz = float(rate_hz)
        self.window_frames = int(window_frames)
        self.axes = int(axes)
        self.params = self.resolve_params(params or {})
        self._setup()

    @classmethod
    def resolve_params(cls, given: dict[str, Any]) -> dict[str, Any]:
        """Defaults merged with ``given``, each cast to its default's type and checked against limits."""
        unknown = sorted(set(given) - set(cls.PARAMS))
        if unknown:
            raise UserError(f"unknown parameter '{unknown[0]}' for DSP block '{cls.name}'")
        out: dict[str, Any] = {}
        for key, spec in cls.PARAMS.items():
            value = given.get(key, spec.default)
            try:
                if isinstance(spec.default, bool):
                    value = value if isinstance(value, bool) else str(value).lower() in ("1", "true", "yes")
                elif isinstance(spec.default, int):
                    value = int(value)
                elif isinstance(spec.default, float):
                    value = float(value)
                else:
                    value = str(value)
            except (TypeError, ValueError):
                raise UserError(f"DSP parameter '{key}' has an invalid value: {value!r}") from None
            if isinstance(value, float) and not math.isfinite(value):  # nan passes every limit below
                raise UserError(f"DSP parameter '{key}' must be a finite number, got {value}")
            if spec.choices is not None and value not in spec.choices:
                allowed = ", ".join(map(str, spec.choices))
                raise UserError(f"DSP parameter '{key}' must be one of {allowed}, got {value}")
            if spec.minimum is not None and value < spec.minimum:
                raise UserError(f"DSP parameter '{key}' must be at least {spec.minimum}, got {value}")
            if spec.maximum is not None and value > spec.maximum:
                raise UserError(f"DSP parameter '{key}' must be at most {spec.maximum}, got {value}")
            out[key] = value
        return out

    def _setup(self) -> None:  # noqa: B027 - optional hook
        """Precompute tables (filters, twiddles); raise UserError for impossible settings."""

    @property
    @abstractmethod
    def output_shape(self) -> tuple[int, ...]:
        """Shape of the features of one window."""

    @abstractmethod
    def ops(self) -> int:
        """Approximate floating-point operations (add, mul, div, sqrt, log, cos) for one window."""

    @abstractmethod
    def transform(self, windows: np.ndarray) -> np.ndarray:
        """Features of a batch: (n, window_frames, axes) -> (n, *output_shape), float32."""

    def __call__(self, window: np.ndarray) -> np.ndarray:
        """Features of one window (window_frames, axes)."""
        return self.transform(np.asarray(window, dtype=np.float32)[None])[0]

    def describe(self) -> dict[str, Any]:
        """JSON-able summary for runs and the device build."""
        return {
            "block": self.name,
            "version": self.version,
            "params": dict(self.params),
            "output_shape": list(self.output_shape),
            "ops": int(self.ops()),
        }


def as_batch(windows: np.ndarray, axes: int) -> np.ndarray:
    """Check and convert a batch of windows to float32 (n, frames, axes)."""
    x = np.asarray(windows, dtype=np.float32)
    if x.ndim != 3 or x.shape[2] != axes:
        raise UserError(f"DSP input must have shape (n, frames, {axes}), got {x.shape}")
    return x
