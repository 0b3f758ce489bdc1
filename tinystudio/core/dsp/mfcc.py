"""MFCC block: cepstral coefficients of audio (DCT of log mel energies), a compact (frames, coeffs) picture."""

from __future__ import annotations

import numpy as np

from tinystudio.core.dsp.base import DspBlock, ParamSpec, as_batch
from tinystudio.core.dsp.mel import FRAME_PARAMS, Framer, db
from tinystudio.core.errors import UserError


def dct_matrix(n_coeffs: int, n_mels: int) -> np.ndarray:
    """Orthonormal DCT-II rows: D[j, m] = s_j * cos(pi * j * (m + 0.5) / M), s_0 = sqrt(1/M),
    s_j = sqrt(2/M) for j > 0; computed in double, rounded to float32. Shape (n_coeffs, M)."""
    m = np.arange(n_mels, dtype=np.float64)
    j = np.arange(n_coeffs, dtype=np.float64)[:, None]
    d = np.cos(np.pi * j * (m[None, :] + 0.5) / n_mels) * np.sqrt(2.0 / n_mels)
    d[0] = np.sqrt(1.0 / n_mels)
    return d.astype(np.float32)


class MfccBlock(DspBlock):
    """Mel energies E (see ``mel.Framer``) of the first axis, L = 10*log10(E + 1e-10) (``mel.db``), then
    c_j = sum_m D[j, m] * L_m per frame, summed over m = 0.. in float32, with the orthonormal DCT-II
    ``dct_matrix``; shape (n_frames, n_coeffs)."""

    name = "mfcc"
    version = 1
    title = "MFCC (audio)"
    PARAMS = {
        **FRAME_PARAMS,
        "n_coeffs": ParamSpec(13, "Number of cepstral coefficients (at most the mel bands)", minimum=1,
                              maximum=256),
    }

    def _setup(self) -> None:
        self._framer = Framer(self.params, self.rate_hz, self.window_frames)
        if self.params["n_coeffs"] > self._framer.n_mels:
            raise UserError("MFCC coefficients cannot exceed the number of mel bands")
        self._dct = dct_matrix(self.params["n_coeffs"], self._framer.n_mels)

    @property
    def output_shape(self) -> tuple[int, ...]:
        return (self._framer.n_frames, self.params["n_coeffs"])

    def ops(self) -> int:
        f, m = self._framer.n_frames, self._framer.n_mels
        return self._framer.ops() + f * (3 * m + 2 * m * self.params["n_coeffs"])

    def transform(self, windows: np.ndarray) -> np.ndarray:
        x = as_batch(windows, self.axes)
        logs = db(self._framer.mel_energies(x))
        out = np.zeros((*logs.shape[:-1], self._dct.shape[0]), np.float32)
        for m in range(logs.shape[-1]):
            out = out + self._dct[:, m] * logs[..., m, None]
        return out
