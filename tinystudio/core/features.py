"""From a project and an impulse to model-ready arrays: windows, DSP features and their standardisation.

The standardisation (per-channel mean and scale fitted on the train split) is part of the pipeline the
device mirrors: x_model = (x_dsp - mean[c]) / std[c], c the last axis of the DSP output.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from tinystudio.core.dsp import DspBlock, make_block
from tinystudio.core.errors import UserError
from tinystudio.core.impulse import ImpulseConfig
from tinystudio.core.progress import CancelToken, Progress, no_progress
from tinystudio.core.windows import SPLIT_NAMES, WindowedProject, window_project

if TYPE_CHECKING:
    from tinystudio.core.store import Project

MIN_STD = 1e-6
"""A channel whose train values spread less than this is constant (a dead sensor axis, an unused input)."""
BATCH_VALUES = 1_000_000  # input values per DSP batch: bounds the FFT temporaries to tens of MB


@dataclass
class Normalization:
    """Per-channel (last axis) mean and standard deviation, float32."""

    mean: np.ndarray
    std: np.ndarray

    @classmethod
    def fit(cls, x: np.ndarray) -> Normalization:
        flat = x.reshape(-1, x.shape[-1]).astype(np.float64)
        mean = flat.mean(axis=0) if len(flat) else np.zeros(x.shape[-1])
        std = flat.std(axis=0) if len(flat) else np.ones(x.shape[-1])
        # a constant channel is 0 after the mean whatever it is divided by: by 1, as scikit-learn does. Divided
        # by MIN_STD, its scale of 1e6 beside the others' ~1 left nothing of them in the int8 model's one
        # scale for the standardisation, and TFLite Micro aborted on it
        return cls(mean.astype(np.float32), np.where(std < MIN_STD, 1.0, std).astype(np.float32))

    def apply(self, x: np.ndarray) -> np.ndarray:
        return ((x - self.mean) / self.std).astype(np.float32)

    def to_dict(self) -> dict[str, Any]:
        return {"mean": self.mean.tolist(), "std": self.std.tolist()}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Normalization:
        return cls(np.asarray(data["mean"], np.float32), np.asarray(data["std"], np.float32))


@dataclass
class PreparedData:
    """Standardised features ``x`` and label indices ``y`` per split, plus what produced them."""

    windows: WindowedProject
    block: DspBlock
    normalization: Normalization
    x: dict[str, np.ndarray]
    y: dict[str, np.ndarray]
    features: dict[str, np.ndarray] | None = None
    """The DSP output per split before standardisation (what the board's DSP block computes)."""

    @property
    def labels(self) -> list[str]:
        return self.windows.labels


def dsp_transform(block: DspBlock, windows: np.ndarray, cancel: CancelToken | None = None) -> np.ndarray:
    """Run ``block`` over many windows in batches (bounded memory, cancellable between batches).

    Raises UserError when the features overflow float32 (recordings of huge values): nan features made the
    int8 conversion crash the process and a network train on nothing."""
    out = np.zeros((len(windows), *block.output_shape), dtype=np.float32)
    batch = max(1, min(512, BATCH_VALUES // max(1, block.window_frames * block.axes)))
    with np.errstate(over="ignore", invalid="ignore"):  # checked once below, not warned per batch
        for start in range(0, len(windows), batch):
            if cancel is not None:
                cancel.raise_if_cancelled()
            out[start : start + batch] = block.transform(windows[start : start + batch])
    if not np.isfinite(out).all():
        peak = float(np.abs(windows).max()) if len(windows) else 0.0
        raise UserError(f"the {block.name} features overflow (the windows reach {peak:.3g}, too large for float32 "
                        "arithmetic): scale the recordings down, e.g. to the sensor's units")
    return out


def prepare_data(
    project: Project,
    impulse: ImpulseConfig,
    progress: Progress | None = None,
    cancel: CancelToken | None = None,
    normalization: Normalization | None = None,
) -> PreparedData:
    """Window the project, run the DSP block and standardise (fitted on train unless given)."""
    progress = progress or no_progress
    impulse.validate()
    progress(0.0, "cutting windows")
    windows = window_project(project, impulse.window)
    block = make_block(impulse.dsp.block, impulse.dsp.params, windows.rate_hz, windows.window_frames,
                       len(windows.axis_names))
    feats: dict[str, np.ndarray] = {}
    for i, name in enumerate(SPLIT_NAMES):
        progress(0.2 + 0.25 * i, f"computing {block.name} features ({name})")
        feats[name] = dsp_transform(block, windows.splits[name].x, cancel)
    norm = normalization or Normalization.fit(feats["train"])
    x = {name: norm.apply(f) for name, f in feats.items()}
    y = {name: windows.splits[name].y for name in SPLIT_NAMES}
    progress(1.0, "features ready")
    return PreparedData(windows, block, norm, x, y, feats)


def suggest_for_project(project: Project) -> ImpulseConfig:
    """``suggest_impulse`` from the project's labelled samples (median length, common rate and axes)."""
    from tinystudio.core.impulse import suggest_impulse

    infos = [s for s in project.samples() if s.label] or project.samples()
    if not infos:
        return ImpulseConfig()
    rates = sorted(float(s.rate_hz) for s in infos)
    axes = sorted(int(s.axes) for s in infos)
    secs = sorted(s.frames / s.rate_hz for s in infos if s.rate_hz > 0)
    mid = len(infos) // 2
    return suggest_impulse(rates[mid], axes[mid], secs[len(secs) // 2] if secs else 0.0)
