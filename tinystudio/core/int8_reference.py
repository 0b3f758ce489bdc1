"""Host-side ground truth for a full-integer int8 model: TensorFlow Lite Micro's own reference kernels,
plus the float-to-int8 input stage exactly as the firmware does it (the standardisation the model carries,
if any, then the quantization; so host and board agree).

TFLM (tflite_micro) loads lazily and needs no TensorFlow.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from tinystudio.core.errors import UserError
from tinystudio.core.input_standardisation import standardisation_of, standardise_flat
from tinystudio.core.model_trial import trial_run

ARENA_BYTES = 8 << 20


def quantize_input(features: np.ndarray, scale: float, zero_point: int) -> np.ndarray:
    """float32 features to int8 as tsr_quantize does: roundf(f / scale) (half away from zero) + zero point,
    saturated to [-128, 127]; NaN becomes the zero point."""
    r = (np.asarray(features, dtype=np.float32) / np.float32(scale)).astype(np.float64)
    r = np.where(np.isnan(r), 0.0, np.sign(r) * np.floor(np.abs(r) + 0.5))
    r = np.clip(r, -2.0e9, 2.0e9) + int(zero_point)
    return np.clip(r, -128, 127).astype(np.int8)


class Int8Reference:
    """One int8 .tflite on TFLM's reference interpreter: DSP features (standardised here when the model
    carries its standardisation) or quantized inputs in, int8 scores out."""

    def __init__(self, tflite: bytes) -> None:
        try:
            from tflite_micro.python.tflite_micro import runtime
        except ImportError as exc:  # pragma: no cover - part of the pinned environment
            raise UserError("the TFLite Micro reference (tflite-micro) is not installed") from exc
        trial_run(bytes(tflite), ARENA_BYTES)  # a model that crashes TFLM must not crash this process
        try:
            self._interp: Any = runtime.Interpreter.from_bytes(bytes(tflite), arena_size=ARENA_BYTES)
        except (RuntimeError, ValueError) as exc:
            raise UserError(f"TFLite Micro cannot load the model: {exc}") from None
        inp = self._interp.get_input_details(0)
        out = self._interp.get_output_details(0)
        if np.dtype(inp["dtype"]) != np.int8 or np.dtype(out["dtype"]) != np.int8:
            raise UserError("the model is not full-integer int8 (its input and output must be int8)")
        self.input_shape = tuple(int(d) for d in inp["shape"])
        self.output_shape = tuple(int(d) for d in out["shape"])
        q_in, q_out = inp["quantization_parameters"], out["quantization_parameters"]
        self.input_quant = (float(q_in["scales"][0]), int(q_in["zero_points"][0]))
        self.output_quant = (float(q_out["scales"][0]), int(q_out["zero_points"][0]))
        self.standardisation = standardisation_of(bytes(tflite))
        if self.standardisation is not None and self.input_size % self.standardisation.mean.size:
            raise UserError(f"the model's input standardisation has {self.standardisation.mean.size} channels, "
                            f"which do not divide its {self.input_size} inputs")

    @property
    def input_size(self) -> int:
        return int(np.prod(self.input_shape))

    def quantize(self, features: np.ndarray) -> np.ndarray:
        """The model's int8 input for DSP features (..., values): standardised first when the model says so."""
        if self.standardisation is not None:
            features = standardise_flat(self.standardisation, features)
        return quantize_input(features, *self.input_quant)

    def run(self, x: np.ndarray) -> np.ndarray:
        """int8 scores (flat) for one int8 input of the model's input size."""
        self._interp.set_input(np.asarray(x, dtype=np.int8).reshape(self.input_shape), 0)
        self._interp.invoke()
        return np.asarray(self._interp.get_output(0), dtype=np.int8).ravel().copy()

    def outputs(self, features: np.ndarray) -> np.ndarray:
        """int8 scores (n, classes) for float features (n, ...), each quantized as the board does."""
        n = len(features)
        flat = np.asarray(features, dtype=np.float32).reshape(n, -1)
        if n and flat.shape[1] != self.input_size:
            raise UserError(f"the features have {flat.shape[1]} values but the model takes {self.input_size}")
        out = np.zeros((n, int(np.prod(self.output_shape))), dtype=np.int8)
        for i in range(n):
            out[i] = self.run(self.quantize(flat[i]))
        return out

    def predict(self, features: np.ndarray) -> np.ndarray:
        """Predicted class indices for float features (n, ...)."""
        scores = self.outputs(features)
        return np.argmax(scores, axis=1).astype(np.int64) if len(scores) else np.zeros(0, dtype=np.int64)
