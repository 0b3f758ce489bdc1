"""Raw block: the window itself, scaled, for models that learn their own features (e.g. a 1D CNN)."""

from __future__ import annotations

import numpy as np

from tinystudio.core.dsp.base import DspBlock, ParamSpec, as_batch


class RawBlock(DspBlock):
    """out[t, a] = x[t, a] * scale, float32; shape (window_frames, axes); ops = frames * axes."""

    name = "raw"
    version = 1
    title = "Raw data"
    PARAMS = {"scale": ParamSpec(1.0, "Multiply every value by this factor")}

    @property
    def output_shape(self) -> tuple[int, ...]:
        return (self.window_frames, self.axes)

    def ops(self) -> int:
        return self.window_frames * self.axes

    def transform(self, windows: np.ndarray) -> np.ndarray:
        x = as_batch(windows, self.axes)
        return (x * np.float32(self.params["scale"])).astype(np.float32)
