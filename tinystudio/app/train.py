"""Train: the impulse defaults that follow the data, the user's changes on top of them, the size and
feature preview of an impulse, and the training run itself (the impulse is remembered as the project's
current one). The Train page and ``tinystudio train`` start from the same defaults and store the same run."""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from tinystudio.core.dsp import BLOCKS, DspBlock, make_block
from tinystudio.core.errors import UserError
from tinystudio.core.features import suggest_for_project
from tinystudio.core.impulse import ImpulseConfig
from tinystudio.core.models import is_classical, model_spec
from tinystudio.core.models.presets import resolve_model_params
from tinystudio.core.progress import CancelToken, Progress
from tinystudio.core.store import Project
from tinystudio.core.training import RUN_KIND, EpochStats, TrainResult
from tinystudio.core.training import train as train_run
from tinystudio.core.windows import cut_windows, ms_to_frames

__all__ = ["MODEL_FOR_DSP", "RUN_KIND", "SETTING_KEY", "EpochStats", "TrainResult", "current_impulse",
           "default_impulse", "impulse_size", "preview_features", "train", "with_changes"]

SETTING_KEY = "impulse"
"""Project setting holding the impulse last trained or edited (what the Train page reopens with)."""
MODEL_FOR_DSP = {"raw": "cnn1d", "spectral": "dense", "mfe": "dscnn", "mfcc": "dscnn"}
"""The model preset that suits each DSP block's output, for a block chosen without a model."""


def default_impulse(project: Project) -> ImpulseConfig:
    """The impulse the data suggests (window from the recordings' length and rate, DSP and model from the
    kind of signal), with every parameter written out."""
    return complete(suggest_for_project(project))


def saved_impulse(project: Project) -> ImpulseConfig | None:
    """The impulse remembered in the project, or None when there is none (or it no longer reads)."""
    saved = project.get_setting(SETTING_KEY)
    if not saved:
        return None
    try:
        return ImpulseConfig.from_dict(saved)
    except UserError:
        return None


def current_impulse(project: Project) -> ImpulseConfig:
    """The remembered impulse, else the data's default."""
    return saved_impulse(project) or default_impulse(project)


def complete(impulse: ImpulseConfig) -> ImpulseConfig:
    """A copy with the DSP block's and the model preset's parameters all filled in with their defaults,
    so an impulse reads the same in a run whichever front end made it."""
    out = copy.deepcopy(impulse)
    block = BLOCKS.get(out.dsp.block)
    if block is None:
        raise UserError(f"unknown DSP block '{out.dsp.block}' (choose from {', '.join(BLOCKS)})")
    out.dsp.params = block.resolve_params(out.dsp.params)
    out.model.params = resolve_model_params(out.model.preset, out.model.params)
    return out


def with_changes(
    impulse: ImpulseConfig,
    *,
    window_ms: float | None = None,
    stride_ms: float | None = None,
    short: str | None = None,
    dsp: str | None = None,
    model: str | None = None,
    epochs: int | None = None,
    learning_rate: float | None = None,
    batch_size: int | None = None,
    early_stopping: int | None = None,
    seed: int | None = None,
) -> ImpulseConfig:
    """``impulse`` with the given settings changed (None keeps one), validated.

    A new window length without a stride takes a quarter window; a new DSP block starts from its own
    defaults and, without a model, takes the preset that suits it.
    """
    out = copy.deepcopy(impulse)
    w, d, m = out.window, out.dsp, out.model
    if window_ms is not None:
        w.window_ms = window_ms
        if stride_ms is None:
            w.stride_ms = max(1.0, round(window_ms / 4.0))
    if stride_ms is not None:
        w.stride_ms = stride_ms
    if short:
        w.short_policy = short
    if dsp and dsp != d.block:
        d.block, d.params = dsp, {}
        if not model:
            m.preset, m.params = MODEL_FOR_DSP[dsp], {}
    if model and model != m.preset:
        m.preset, m.params = model, {}
    for attr, value in (("epochs", epochs), ("learning_rate", learning_rate), ("batch_size", batch_size),
                        ("early_stopping", early_stopping), ("seed", seed)):
        if value is not None:
            setattr(m, attr, value)
    return complete(out.validate())


def train(
    project: Project,
    impulse: ImpulseConfig,
    *,
    name: str = "",
    on_epoch: Callable[[EpochStats], None] | None = None,
    progress: Progress | None = None,
    cancel: CancelToken | None = None,
) -> TrainResult:
    """Remember ``impulse`` as the project's current one, then train and store a run (TensorFlow loads here)."""
    impulse = complete(impulse.validate())
    project.set_setting(SETTING_KEY, impulse.to_dict())
    return train_run(project, impulse, progress=progress, cancel=cancel, on_epoch=on_epoch, name=name)


@dataclass
class DataShape:
    """What the labelled samples look like to an impulse: rate, axes and how many labels."""

    rate_hz: float
    axes: int
    classes: int


def data_shape(project: Project) -> DataShape | None:
    """Rate and axes of the first labelled sample and the label count; None without samples."""
    infos = [s for s in project.samples() if s.label] or project.samples()
    if not infos:
        return None
    return DataShape(float(infos[0].rate_hz), int(infos[0].axes), len({s.label for s in infos if s.label}))


@dataclass
class ImpulseSize:
    """What an impulse costs per window: frames in, DSP output and operations, model parameters and MACs."""

    shape: DataShape
    frames: int
    dsp_output: tuple[int, ...]
    dsp_ops: int
    params: int
    macs: int
    classical: bool = False
    """A tree ensemble: its size is known once it is fitted (params and MACs are 0 here)."""


def impulse_size(project: Project, impulse: ImpulseConfig) -> ImpulseSize | None:
    """The cost of ``impulse`` on the project's data (None without samples); a UserError when it cannot work."""
    shape = data_shape(project)
    if shape is None:
        return None
    impulse.validate()
    frames = ms_to_frames(impulse.window.window_ms, shape.rate_hz)
    block = make_block(impulse.dsp.block, impulse.dsp.params, shape.rate_hz, frames, shape.axes)
    if is_classical(impulse.model.preset):
        resolve_model_params(impulse.model.preset, impulse.model.params)  # a clear error for a bad value
        return ImpulseSize(shape, frames, tuple(block.output_shape), int(block.ops()), 0, 0, classical=True)
    size = model_spec(impulse.model.preset, impulse.model.params, block.output_shape, max(2, shape.classes)).summary()
    return ImpulseSize(shape, frames, tuple(block.output_shape), int(block.ops()), int(size["params"]),
                       int(size["macs"]))


def preview_features(project: Project, sample_id: int, impulse: ImpulseConfig) -> tuple[DspBlock, np.ndarray,
                                                                                         list[str]]:
    """The DSP block, its features of the sample's first window and the sample's axis names."""
    impulse.validate()
    info = project.sample_info(int(sample_id))
    frames = ms_to_frames(impulse.window.window_ms, info.rate_hz)
    windows = cut_windows(project.load_signal(info.id), frames, frames, "pad")
    block = make_block(impulse.dsp.block, impulse.dsp.params, info.rate_hz, frames, info.axes)
    return block, block(windows[0]), list(info.axis_names)


def run_summary(result: TrainResult) -> dict[str, Any]:
    """A finished run as the CLI's JSON object: ids, accuracies, per-class scores, matrix and sizes."""
    test, val = result.test, result.validation
    return {
        "run_id": result.run_id,
        "test_accuracy": test.accuracy if test else None,
        "validation_accuracy": val.accuracy if val else None,
        "per_class": {k: {x: v[x] for x in ("precision", "recall", "f1")} for k, v in test.per_class.items()}
        if test else {},
        "confusion_matrix": {"labels": test.labels if test else result.config["labels"],
                             "counts": test.confusion if test else []},
        "params": result.metrics["params"],
        "macs": result.metrics["macs"],
        "dsp_ops": result.metrics["dsp_ops"],
    }
