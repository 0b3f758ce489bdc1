"""Spectral features and window statistics of the same window, side by side, for tree models.

A forest splits on whichever feature separates the classes, so it gains from both views of a window: the
spectral block's moments and band powers (rhythm, energy) and the statistics block's order statistics
(posture, range). The block runs both blocks unchanged, so its features are theirs bit for bit, on the host
and on the board (the firmware calls both C mirrors one after the other).
"""

from __future__ import annotations

import numpy as np

from tinystudio.core.dsp.base import DspBlock
from tinystudio.core.dsp.spectral import SCALE_AND_FILTER, SpectralBlock
from tinystudio.core.dsp.statistics import StatisticsBlock


def _own(block: type[DspBlock], params: dict) -> dict:
    return {k: v for k, v in params.items() if k in block.PARAMS}


class SpectralStatisticsBlock(DspBlock):
    """Output, flat: the spectral block's features of the window (axes * (5 + N/2)), then the statistics
    block's (axes * 9, or axes * 4 without percentiles); scale and filter apply to both."""

    name = "spectral-statistics"
    version = 1
    title = "Spectral features + window statistics"
    PARAMS = {**SCALE_AND_FILTER,
              **{k: v for k, v in SpectralBlock.PARAMS.items() if k not in SCALE_AND_FILTER},
              **{k: v for k, v in StatisticsBlock.PARAMS.items() if k not in SCALE_AND_FILTER}}

    def _setup(self) -> None:
        frames = self.window_frames
        self.spectral = SpectralBlock(_own(SpectralBlock, self.params), self.rate_hz, frames, self.axes)
        self.statistics = StatisticsBlock(_own(StatisticsBlock, self.params), self.rate_hz, frames, self.axes)

    @property
    def output_shape(self) -> tuple[int, ...]:
        return (self.spectral.output_shape[0] + self.statistics.output_shape[0],)

    def ops(self) -> int:
        return self.spectral.ops() + self.statistics.ops()

    def transform(self, windows: np.ndarray) -> np.ndarray:
        return np.concatenate([self.spectral.transform(windows), self.statistics.transform(windows)], axis=1)
