"""DSP blocks turning one window into features, by registry name: raw, spectral, statistics, spectral-statistics
(both side by side), mfe, mfcc.

Every block is pure float32 numpy with its exact math in its docstring, for the C mirror on the device.
"""

from __future__ import annotations

from typing import Any

from tinystudio.core.dsp.base import DspBlock, ParamSpec
from tinystudio.core.dsp.mfcc import MfccBlock
from tinystudio.core.dsp.mfe import MfeBlock
from tinystudio.core.dsp.raw import RawBlock
from tinystudio.core.dsp.spectral import SpectralBlock
from tinystudio.core.dsp.spectral_statistics import SpectralStatisticsBlock
from tinystudio.core.dsp.statistics import StatisticsBlock
from tinystudio.core.errors import UserError

BLOCKS: dict[str, type[DspBlock]] = {
    b.name: b for b in (RawBlock, SpectralBlock, StatisticsBlock, SpectralStatisticsBlock, MfeBlock, MfccBlock)
}

__all__ = ["BLOCKS", "DspBlock", "ParamSpec", "make_block"]


def make_block(name: str, params: dict[str, Any] | None, rate_hz: float, window_frames: int, axes: int) -> DspBlock:
    """Instantiate block ``name`` for windows of ``window_frames`` x ``axes`` at ``rate_hz``."""
    try:
        cls = BLOCKS[name]
    except KeyError:
        raise UserError(f"unknown DSP block '{name}' (choose from {', '.join(BLOCKS)})") from None
    return cls(params, rate_hz, window_frames, axes)
