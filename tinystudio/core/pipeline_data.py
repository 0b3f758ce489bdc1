"""The data a trained run's pipeline sees, rebuilt from the run's stored configuration: raw windows per
split, the DSP block, its (unstandardised) features and label indices in the run's own label order.

Quantization draws its representative set from it and the on-device test streams its test windows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from tinystudio.core.dsp import DspBlock, make_block
from tinystudio.core.errors import UserError
from tinystudio.core.features import Normalization, dsp_transform
from tinystudio.core.impulse import ImpulseConfig
from tinystudio.core.progress import CancelToken
from tinystudio.core.windows import WindowedProject, WindowSet, window_project

if TYPE_CHECKING:
    from tinystudio.core.store import Project


@dataclass
class PipelineData:
    """Windows and DSP features of one run's pipeline on the project's current samples."""

    run_id: int
    labels: list[str]
    block: DspBlock
    normalization: Normalization
    windows: WindowedProject
    y: dict[str, np.ndarray]
    _features: dict[str, np.ndarray] = field(default_factory=dict)

    def raw(self, split: str) -> np.ndarray:
        """Raw float32 windows (n, frames, axes) of ``split``."""
        return self.windows.splits[split].x

    def features(self, split: str, cancel: CancelToken | None = None) -> np.ndarray:
        """DSP features of ``split`` before standardisation (what the board's DSP block computes)."""
        if split not in self._features:
            self._features[split] = dsp_transform(self.block, self.raw(split), cancel)
        return self._features[split]


def run_impulse(config: dict[str, Any]) -> ImpulseConfig:
    if "impulse" not in config:
        raise UserError("the run does not describe its impulse (train it again with this version)")
    return ImpulseConfig.from_dict(config["impulse"])


def pipeline_data(project: Project, run_id: int) -> PipelineData:
    """Cut the project's windows the way run ``run_id`` was trained; label indices follow the run.

    Windows of labels added since the run was trained are left out: the run's model cannot name them.
    Raises UserError when the project's data no longer fits the run (other rate or axes).
    """
    run = project.run(run_id)
    config = run.config
    impulse = run_impulse(config)
    labels = list(config.get("labels") or [])
    windows = window_project(project, impulse.window)
    if config.get("rate_hz") and abs(float(config["rate_hz"]) - windows.rate_hz) > 1e-6 * windows.rate_hz:
        raise UserError(f"run {run_id} was trained at {config['rate_hz']:g} Hz but the samples are at "
                        f"{windows.rate_hz:g} Hz")
    if config.get("window_frames") and int(config["window_frames"]) != windows.window_frames:
        raise UserError(f"run {run_id} expects windows of {config['window_frames']} frames")
    if not labels:
        raise UserError(f"run {run_id} does not list the labels it was trained on; train a new run")
    y: dict[str, np.ndarray] = {}
    remap = np.array([labels.index(n) if n in labels else -1 for n in windows.labels], dtype=np.int64)
    for split, ws in windows.splits.items():
        mapped = remap[ws.y] if len(ws.y) else ws.y
        known = mapped >= 0
        if not known.all():  # a label added since the run (a saved live stretch): the model cannot name it
            windows.splits[split] = WindowSet(ws.x[known], ws.y[known], ws.sample_ids[known])
            mapped = mapped[known]
        y[split] = mapped
    block = make_block(impulse.dsp.block, impulse.dsp.params, windows.rate_hz, windows.window_frames,
                       len(windows.axis_names))
    norm_cfg = config.get("normalization")
    if norm_cfg:
        normalization = Normalization.from_dict(norm_cfg)
    else:
        normalization = Normalization.fit(dsp_transform(block, windows.splits["train"].x))
    return PipelineData(run_id, labels, block, normalization, windows, y)
