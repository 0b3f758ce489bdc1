"""MFE block: log mel filterbank energies of audio, a (frames, bands) picture for a small CNN."""

from __future__ import annotations

import numpy as np

from tinystudio.core.dsp.base import DspBlock, ParamSpec, as_batch
from tinystudio.core.dsp.mel import FRAME_PARAMS, Framer, db


class MfeBlock(DspBlock):
    """Mel energies E (see ``mel.Framer``) of the first axis, then
    out = max(0, (10*log10(E + 1e-10) - noise_floor_db) / -noise_floor_db), float32;
    shape (n_frames, n_mels)."""

    name = "mfe"
    version = 1
    title = "Mel filterbank energies (audio)"
    PARAMS = {
        **FRAME_PARAMS,
        "noise_floor_db": ParamSpec(-100.0, "Energies below this level (dB) become 0", maximum=-1.0),
    }

    def _setup(self) -> None:
        self._framer = Framer(self.params, self.rate_hz, self.window_frames)

    @property
    def output_shape(self) -> tuple[int, ...]:
        return (self._framer.n_frames, self._framer.n_mels)

    def ops(self) -> int:
        return self._framer.ops() + 5 * self._framer.n_frames * self._framer.n_mels

    def transform(self, windows: np.ndarray) -> np.ndarray:
        x = as_batch(windows, self.axes)
        floor = np.float32(self.params["noise_floor_db"])
        out = (db(self._framer.mel_energies(x)) - floor) / -floor
        return np.maximum(out, np.float32(0.0)).astype(np.float32)
