"""Train: the impulse defaults that follow the data, the user's changes on top of them, the size and
feature preview of an impulse, and the training run itself (the impulse is remembered as the project's
current one). The Train page and ``tinystudio train`` start from the same defaults and store the same run."""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from tinystudio.app.formatting import fmt_percent
from tinystudio.core.compress.auto_int8 import MAX_INT8_LOSS, quantize_checked
from tinystudio.core.dsp import BLOCKS, DspBlock, make_block
from tinystudio.core.errors import Cancelled, UserError
from tinystudio.core.features import suggest_for_project
from tinystudio.core.impulse import ImpulseConfig
from tinystudio.core.models import is_classical, model_spec
from tinystudio.core.models.presets import resolve_model_params
from tinystudio.core.models.sizing import regularised_for_groups, size_for_data
from tinystudio.core.progress import CancelToken, Progress, no_progress
from tinystudio.core.store import Project
from tinystudio.core.training import RUN_KIND, EpochStats, TrainResult
from tinystudio.core.training import train as train_run
from tinystudio.core.windows import cut_windows, ms_to_frames, window_count

__all__ = ["MAX_INT8_LOSS", "MODEL_FOR_DSP", "RUN_KIND", "SETTING_KEY", "EpochStats", "TrainResult",
           "current_impulse", "default_impulse", "impulse_size", "int8_lines", "int8_summary", "preview_features",
           "size_to_data", "train", "with_changes"]

SETTING_KEY = "impulse"
"""Project setting holding the impulse last trained or edited (what the Train page reopens with)."""
MODEL_FOR_DSP = {"raw": "cnn1d", "spectral": "dense", "statistics": "dense", "spectral-statistics": "rf",
                 "mfe": "dscnn", "mfcc": "dscnn"}
"""The model preset that suits each DSP block's output, for a block chosen without a model."""


def default_impulse(project: Project) -> ImpulseConfig:
    """The impulse the data suggests (window from the recordings' length and rate, DSP and model from the
    kind of signal, the model's widths from the number of training windows and its regularisation from the
    number of people in the training split), with every parameter written out."""
    return size_to_data(project, complete(suggest_for_project(project)))


def train_window_count(project: Project, impulse: ImpulseConfig) -> int:
    """How many windows the train split gives ``impulse`` (70 % of all when nothing is split yet)."""
    labelled = [s for s in project.samples() if s.label]
    train_part = [s for s in labelled if s.split == "train"]
    infos = train_part or labelled
    w = impulse.window
    total = 0
    for s in infos:
        frames = ms_to_frames(w.window_ms, s.rate_hz)
        total += window_count(s.frames, frames, ms_to_frames(w.stride_ms, s.rate_hz), w.short_policy)
    return total if train_part else int(total * 0.7)


def train_group_count(project: Project) -> int:
    """How many groups (people, sessions) the train split holds, an ungrouped recording counting as one
    (all labelled recordings when nothing is split yet)."""
    labelled = [s for s in project.samples() if s.label]
    infos = [s for s in labelled if s.split == "train"] or labelled
    return len({s.group for s in infos if s.group}) + sum(1 for s in infos if not s.group)


def size_to_data(project: Project, impulse: ImpulseConfig) -> ImpulseConfig:
    """``impulse`` with its model preset's widths sized by the data (``core.models.sizing``), a
    learning-rate warm-up for the larger results and regularisation when the training split holds few
    people; unchanged without samples or when it cannot work."""
    shape = data_shape(project)
    if shape is None:
        return impulse
    out = copy.deepcopy(impulse)
    try:
        frames = ms_to_frames(out.window.window_ms, shape.rate_hz)
        block = make_block(out.dsp.block, out.dsp.params, shape.rate_hz, frames, shape.axes)
        sizing = size_for_data(out.model.preset, tuple(block.output_shape), shape.classes,
                               train_window_count(project, out))
    except UserError:
        return impulse
    out.model.params = regularised_for_groups(out.model.preset, sizing.params, train_group_count(project))
    out.model.warmup_epochs = sizing.warmup_epochs
    return complete(out)


def saved_impulse(project: Project) -> ImpulseConfig | None:
    """The impulse remembered in the project, or None when there is none (or it no longer reads)."""
    saved = project.get_setting(SETTING_KEY)
    if not saved or not isinstance(saved, dict):
        return None
    try:  # every value checked, so the Train page never shows (or trains) one it cannot hold
        return complete(ImpulseConfig.from_dict(saved).validate())
    except (UserError, TypeError, ValueError, AttributeError):
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
    augment: bool | None = None,
    augment_strength: float | None = None,
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
                        ("early_stopping", early_stopping), ("seed", seed), ("augment", augment),
                        ("augment_strength", augment_strength)):
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
    int8: bool = False,
    max_int8_loss: float = MAX_INT8_LOSS,
) -> TrainResult:
    """Remember ``impulse`` as the project's current one, then train and store a run (TensorFlow loads here).

    With ``int8`` the run is quantized right after (PTQ, and QAT when PTQ loses more than
    ``max_int8_loss``); the figures are in the result's ``int8``. A tree preset is never quantized: its
    variant (float32 features, integer scores) is stored with the run.
    """
    impulse = complete(impulse.validate())
    project.set_setting(SETTING_KEY, impulse.to_dict())
    int8 = int8 and not is_classical(impulse.model.preset)
    progress = progress or no_progress
    share = 0.8 if int8 else 1.0
    result = train_run(project, impulse, progress=lambda f, m: progress(share * f, m), cancel=cancel,
                       on_epoch=on_epoch, name=name)
    if int8:
        try:
            result.int8 = quantize_checked(project, result.run_id, max_loss=max_int8_loss, cancel=cancel,
                                           progress=lambda f, m: progress(share + (1 - share) * f, m))
        except Cancelled:
            pass  # the run is stored; the int8 variants finished before the cancel are kept
    return result


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
        "augmentation": result.config.get("augmentation"),
        "class_weights": result.config.get("class_weights"),
        **int8_summary(result),
    }


def int8_split(result: TrainResult) -> str:
    """The split the headline accuracies are read on: test, else validation."""
    return "test" if result.test is not None else "validation"


def int8_summary(result: TrainResult) -> dict[str, Any]:
    """float_accuracy, ptq_accuracy and qat_accuracy (None when QAT was not needed) on the headline split,
    and the whole check under ``int8``; empty when the run was not quantized."""
    check = result.int8
    if check is None:
        return {}
    head = check.headline(int8_split(result))
    return {"float_accuracy": head["float"], "ptq_accuracy": head["ptq"], "qat_accuracy": head["qat"],
            "int8": check.to_dict()}


def int8_lines(result: TrainResult, percent: bool = False) -> list[str]:
    """The int8 figures as lines for people (CLI output, the Train page's run summary); ``percent`` writes
    the accuracies as percentages (``66.7%``), as the Train page states its other accuracies."""
    check = result.int8
    if check is None:
        return []
    split = int8_split(result)
    head = check.headline(split)

    def pct(v: float | None) -> str:
        if v is None:
            return "n/a"
        return fmt_percent(v) if percent else f"{v:.3f}"

    lines = [f"{split} accuracy: float {pct(head['float'])}, int8 PTQ {pct(head['ptq'])} "
             f"(variant {check.ptq_variant})"
             + (f", int8 QAT {pct(head['qat'])} (variant {check.qat_variant})" if check.qat_variant else "")]
    lines += check.notes
    return lines
