"""Presets sized by the data: the widths of a preset scaled so its parameter count stays within a budget
set by the number of training windows (a small set gets a small model that cannot memorise it, a large
set a wider one), with a learning-rate warm-up for the larger results, and regularisation for a training
split of few people (``regularised_for_groups``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tinystudio.core.errors import UserError
from tinystudio.core.models.presets import resolve_model_params
from tinystudio.core.models.spec import ModelSpec

FACTORS = (0.5, 0.75, 1.0, 1.5, 2.0, 3.0)
PARAMS_PER_WINDOW = 4  # parameter budget per training window
WARMUP_PARAMS = 10_000  # models at least this large start with a learning-rate warm-up
WARMUP_EPOCHS = 3
WIDTH_KEYS = ("hidden", "filters")
FEW_GROUPS = 5
"""A training split of at most this many groups (people, sessions; an ungrouped recording is its own) is few."""
FEW_GROUP_REGULARISATION: dict[str, dict[str, float]] = {"dense": {"l2": 0.001, "label_smoothing": 0.1}}
"""The training-only regularisation a preset gets from few groups. In leave-one-person-out evaluation on
motion data the dense preset gained with four people and lost with ten, so it stays off otherwise."""


@dataclass
class Sizing:
    """The chosen widths, the factor applied to the preset's defaults and the resulting size."""

    params: dict[str, Any]
    factor: float
    model_params: int
    budget: int
    warmup_epochs: int


def scaled(params: dict[str, Any], factor: float) -> dict[str, Any]:
    """``params`` with every width (hidden units, filters) multiplied by ``factor`` (at least 2)."""
    out = dict(params)
    for key in WIDTH_KEYS:
        if key not in out:
            continue
        value = out[key]
        if isinstance(value, list):
            out[key] = [max(2, int(round(v * factor))) for v in value]
        else:
            out[key] = max(2, int(round(int(value) * factor)))
    return out


def size_for_data(preset: str, input_shape: tuple[int, ...], classes: int, train_windows: int) -> Sizing:
    """The widest of the preset's scaled defaults within ``PARAMS_PER_WINDOW * train_windows`` parameters
    (never narrower than half the defaults)."""
    from tinystudio.core.models.presets import model_spec

    base = resolve_model_params(preset, None)
    budget = PARAMS_PER_WINDOW * max(0, int(train_windows))
    choice: tuple[float, dict[str, Any], int] | None = None
    for factor in FACTORS:
        params = scaled(base, factor)
        try:
            spec: ModelSpec = model_spec(preset, params, input_shape, max(2, classes))
        except UserError:
            continue
        size = spec.summary()["params"]
        if choice is None or size <= budget:
            choice = (factor, params, size)
        if size > budget:
            break
    if choice is None:
        raise UserError(f"model preset '{preset}' does not fit inputs of shape {tuple(input_shape)}")
    factor, params, size = choice
    return Sizing(params, factor, size, budget, WARMUP_EPOCHS if size >= WARMUP_PARAMS else 0)


def regularised_for_groups(preset: str, params: dict[str, Any], groups: int) -> dict[str, Any]:
    """``params`` with the preset's few-group regularisation (``FEW_GROUP_REGULARISATION``) when the
    training split holds at most ``FEW_GROUPS`` groups; unchanged otherwise or for a preset without it."""
    extra = FEW_GROUP_REGULARISATION.get(preset)
    if not extra or groups > FEW_GROUPS:
        return dict(params)
    return {**params, **extra}
