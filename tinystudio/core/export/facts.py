"""What an exported model must carry besides its weights: labels, axes, rate, window, the DSP block, the
input and output quantization and one real window to try it on; and the impulse as JSON."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import numpy as np

from tinystudio.core.dsp import DspBlock
from tinystudio.core.features import Normalization


@dataclass(frozen=True)
class ImpulseFacts:
    """One variant's impulse, as the exports describe it."""

    name: str  # the project's name, for titles and the Arduino library
    variant_id: int
    labels: list[str]
    axis_names: list[str]
    rate_hz: float
    window_frames: int
    stride_frames: int
    block: DspBlock
    input_quant: tuple[float, int]
    output_quant: tuple[float, int]
    example: np.ndarray  # one raw float32 window (frames, axes) of the test split
    example_label: str
    standardisation: Normalization | None = None  # an int8 network's, before its input quantization (None: folded)

    @property
    def window_ms(self) -> float:
        return 1000.0 * self.window_frames / self.rate_hz

    @property
    def stride_ms(self) -> float:
        return 1000.0 * self.stride_frames / self.rate_hz

    @property
    def features(self) -> int:
        return int(np.prod(self.block.output_shape))

    def labels_txt(self) -> str:
        """labels.txt beside an exported model: one label per line, in the order of the scores."""
        return "".join(f"{name}\n" for name in self.labels)

    def impulse_dict(self, model: dict[str, Any] | None = None) -> dict[str, Any]:
        """The JSON description next to an exported model: enough to feed it the way TinyStudio does.
        ``model``: a tree model's description (its file and scores), which replaces the int8 network's
        normalization and quantization."""
        described: dict[str, Any] = {
            "format": "tinystudio-impulse",
            "version": 1,
            "project": self.name,
            "variant_id": self.variant_id,
            "labels": list(self.labels),
            "axes": list(self.axis_names),
            "rate_hz": self.rate_hz,
            "window": {"frames": self.window_frames, "stride_frames": self.stride_frames,
                       "window_ms": self.window_ms, "stride_ms": self.stride_ms},
            "raw_input": {"dtype": "float32", "shape": [self.window_frames, self.block.axes],
                          "order": "frame by frame, axes in the order above"},
            "dsp": {"block": self.block.name, "version": self.block.version, "params": dict(self.block.params),
                    "output_shape": [int(d) for d in self.block.output_shape]},
        }
        if model is not None:
            return {**described, "model": model}
        s, z = self.input_quant
        os_, oz = self.output_quant
        norm = self.standardisation
        normalization: dict[str, Any] = {"folded_into_model": True,
                                         "note": "the model takes the DSP block's output as it is"}
        if norm is not None:
            normalization = {
                "folded_into_model": False, "before_quantization": True, "channels": int(norm.mean.size),
                "mean": [float(v) for v in norm.mean], "std": [float(v) for v in norm.std],
                "rule": "z[i] = (f[i] - mean[i % channels]) / std[i % channels], in float32, before the input "
                        "quantization (the .tflite records it in its metadata as well)"}
        value = "z" if norm is not None else "f"
        return {
            **described,
            "normalization": normalization,
            "quantization": {
                "input": {"scale": s, "zero_point": z,
                          "rule": f"q = clamp(round_half_away_from_zero({value} / scale) + zero_point, -128, 127)"},
                "output": {"scale": os_, "zero_point": oz, "rule": "score = (q - zero_point) * scale"},
            },
        }

    def impulse_json(self, model: dict[str, Any] | None = None) -> str:
        return json.dumps(self.impulse_dict(model), indent=2) + "\n"
