"""The search space: window length, DSP block and its parameters, model family and size, compression.

Each model family is one ``Family`` entry: which DSP blocks it suits, how it draws its size from an Optuna
trial, whether it is a neural network (so int8 quantization and QAT apply), and a lower bound of its flash
bytes known before training (a trial whose bound is over the budget is pruned without training). Adding a
family is one entry in ``FAMILIES``; fitting and scoring go through the Train step's own functions (see
``trial.py``), which already know every preset.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tinystudio.core.dsp import BLOCKS, make_block
from tinystudio.core.errors import UserError
from tinystudio.core.impulse import ImpulseConfig
from tinystudio.core.models import PRESETS, model_spec
from tinystudio.core.models.presets import FOREST_SPLITS, resolve_model_params
from tinystudio.core.models.sizing import scaled
from tinystudio.core.windows import ms_to_frames

Suggest = Callable[[Any], dict[str, Any]]
"""Draws a family's model parameters from an Optuna trial (``trial.suggest_*``)."""


@dataclass(frozen=True)
class DataFacts:
    """What the space is cut to: the data's rate, axes and labels, and the impulse the data suggests."""

    rate_hz: float
    axes: int
    classes: int
    base: ImpulseConfig
    longest_window_ms: float

    @property
    def audio(self) -> bool:
        return self.base.dsp.block in ("mfcc", "mfe")


def _flash_floor_nn(facts: DataFacts, impulse: ImpulseConfig) -> int:
    """int8 weights alone: one byte per parameter (biases are 4 bytes, so this is a lower bound)."""
    frames = ms_to_frames(impulse.window.window_ms, facts.rate_hz)
    block = make_block(impulse.dsp.block, impulse.dsp.params, facts.rate_hz, frames, facts.axes)
    spec = model_spec(impulse.model.preset, impulse.model.params, block.output_shape, max(2, facts.classes))
    return int(spec.summary()["params"])


def _no_floor(facts: DataFacts, impulse: ImpulseConfig) -> int:
    return 0


@dataclass(frozen=True)
class Family:
    """One model family of the search (see module docstring)."""

    name: str
    preset: str
    dsp_blocks: tuple[str, ...]
    suggest: Suggest
    neural: bool
    flash_floor: Callable[[DataFacts, ImpulseConfig], int]


SCALES = (0.5, 0.75, 1.0, 1.5, 2.0, 3.0, 4.0)
"""Width factors over a preset's default widths (hidden units, filters): the factors the data sizing picks
from (``core.models.sizing``) and one wider, so a preset sized by the data is a point of the space."""
DROPOUTS = (0.0, 0.1, 0.2, 0.3)


def _widths(preset: str, factor: float) -> dict[str, Any]:
    return scaled(resolve_model_params(preset, None), factor)


L2S = (0.0, 0.001, 0.01)
INPUT_NOISES = (0.0, 0.1, 0.3)
SMOOTHINGS = (0.0, 0.1)


def _dense(t: Any) -> dict[str, Any]:
    hidden = _widths("dense", t.suggest_categorical("dense_scale", list(SCALES)))["hidden"]
    depth = t.suggest_int("dense_layers", 1, len(hidden))
    return {"hidden": hidden[:depth], "dropout": t.suggest_categorical("dense_dropout", list(DROPOUTS)),
            "l2": t.suggest_categorical("dense_l2", list(L2S)),
            "input_noise": t.suggest_categorical("dense_noise", list(INPUT_NOISES)),
            "label_smoothing": t.suggest_categorical("dense_smoothing", list(SMOOTHINGS))}


def _cnn1d(t: Any) -> dict[str, Any]:
    return {"filters": _widths("cnn1d", t.suggest_categorical("cnn_scale", list(SCALES)))["filters"],
            "kernel": t.suggest_categorical("cnn_kernel", [3, 5])}


def _dscnn(t: Any) -> dict[str, Any]:
    return {"filters": _widths("dscnn", t.suggest_categorical("dscnn_scale", list(SCALES)))["filters"],
            "blocks": t.suggest_int("dscnn_blocks", 1, 3)}


RF_TREES = (10, 30, 60, 100)
RF_DEPTHS = (8, 12, 16)
RF_SPLITS = FOREST_SPLITS
RF_LEAVES = (1, 5)
"""Least windows per leaf: 1 grows each tree out, 5 keeps extremely randomised trees (which see every window)
from growing with the data: 100 of them took 1 MB of flash on ten people's recordings with 1."""
STRONG_FOREST = {"rf_trees": 100, "rf_depth": 16, "rf_split": "best", "rf_leaf": 1}
"""A forest the size of the usual random-forest baseline (100 trees)."""
BASELINE_FOREST = {"dsp": "statistics", "family_statistics": "rf", **STRONG_FOREST}
"""The usual random-forest baseline itself (window statistics into 100 trees): run early on motion data, so
the tuned result starts from what that baseline reaches."""
REFERENCE_FOREST = {**BASELINE_FOREST, "rf_split": "random", "rf_leaf": 5}
"""The reference of motion searches (``reference_trial``): the baseline's features and size with extremely
randomised trees of at least 5 windows a leaf, which scored above the baseline leaving one person out with
four people and with ten (``models.presets.FOREST_SPLITS``). With few people a search's scores cannot tell
most points apart, so the point trained by default is this one unless another beats it convincingly
(``outcome.recommended_index``)."""


def _rf(t: Any) -> dict[str, Any]:
    return {"trees": t.suggest_categorical("rf_trees", list(RF_TREES)),
            "max_depth": t.suggest_categorical("rf_depth", list(RF_DEPTHS)),
            "split": t.suggest_categorical("rf_split", list(RF_SPLITS)),
            "min_samples_leaf": t.suggest_categorical("rf_leaf", list(RF_LEAVES))}


def _gbt(t: Any) -> dict[str, Any]:
    return {"trees": t.suggest_categorical("gbt_trees", [10, 30, 60]),
            "max_depth": t.suggest_categorical("gbt_depth", [2, 3])}


FAMILIES: dict[str, Family] = {
    f.name: f for f in (
        Family("dense", "dense", ("spectral", "statistics", "spectral-statistics", "raw", "mfe", "mfcc"), _dense,
               True, _flash_floor_nn),
        Family("cnn1d", "cnn1d", ("raw", "spectral"), _cnn1d, True, _flash_floor_nn),
        Family("dscnn", "dscnn", ("mfe", "mfcc"), _dscnn, True, _flash_floor_nn),
        Family("rf", "rf", ("spectral", "statistics", "spectral-statistics", "raw", "mfe", "mfcc"), _rf, False,
               _no_floor),
        Family("gbt", "gbt", ("spectral", "statistics", "spectral-statistics", "raw", "mfe", "mfcc"), _gbt, False,
               _no_floor),
    ) if f.preset in PRESETS
}
"""Every family whose preset this build knows."""
DEFAULT_FAMILIES = tuple(name for name in FAMILIES if name != "gbt")
"""What the search tries unless told otherwise: gradient-boosted trees train slowly (one tree per class and
stage) and in the tune benchmark lost to the forests with ten people (they won with four), so they are
searched only when asked for."""

MOTION_BLOCKS = ("spectral", "statistics", "raw", "spectral-statistics")
"""Motion DSP blocks the search draws from (the last: spectral features and window statistics side by side)."""
AUDIO_BLOCKS = ("mfcc", "mfe")
COMPRESSIONS = ("ptq", "qat")
WINDOW_FACTORS = (0.5, 0.75, 1.0, 1.25, 1.5, 2.0)
FFT_LENGTHS = (8, 16, 32, 64)
MEL_BANDS = (20, 32, 40)


def check_families(names: list[str] | None) -> list[str]:
    """The families to search (``DEFAULT_FAMILIES`` unless named); a UserError naming an unknown one."""
    if not names:
        return list(DEFAULT_FAMILIES)
    unknown = [n for n in names if n not in FAMILIES]
    if unknown:
        raise UserError(f"unknown model family '{unknown[0]}' (choose from {', '.join(FAMILIES)})")
    return list(dict.fromkeys(names))


def window_choices(facts: DataFacts) -> list[float]:
    """Window lengths around the suggested one (itself always included), no longer than the longest
    recording, at least 4 frames."""
    base = facts.base.window.window_ms
    floor = 4000.0 / facts.rate_hz
    out = {round(base * f, 3) for f in WINDOW_FACTORS if floor <= base * f <= facts.longest_window_ms}
    return sorted(out | {round(base, 3)})


def suggest(trial: Any, facts: DataFacts, families: list[str], compressions: tuple[str, ...] = COMPRESSIONS
            ) -> dict[str, Any]:
    """One point of the space drawn from an Optuna trial, as plain JSON-able parameters."""
    window = trial.suggest_categorical("window_ms", window_choices(facts))
    blocks = AUDIO_BLOCKS if facts.audio else MOTION_BLOCKS
    dsp = trial.suggest_categorical("dsp", list(blocks))
    dsp_params: dict[str, Any] = {}
    if dsp in ("spectral", "spectral-statistics"):
        frames = max(8, ms_to_frames(window, facts.rate_hz))
        wanted = trial.suggest_categorical("fft_length", list(FFT_LENGTHS))  # one choice set for every window
        dsp_params["fft_length"] = min(wanted, 1 << (frames.bit_length() - 1))
    elif dsp in AUDIO_BLOCKS:
        dsp_params["n_mels"] = trial.suggest_categorical("n_mels", list(MEL_BANDS))
    fitting = [f for f in families if dsp in FAMILIES[f].dsp_blocks]
    if not fitting:
        fitting = families
    family = FAMILIES[trial.suggest_categorical(f"family_{dsp}", fitting)]
    model_params = family.suggest(trial)
    compression = trial.suggest_categorical("compression", list(compressions)) if family.neural else "none"
    return {"window_ms": float(window), "dsp": dsp, "dsp_params": dsp_params, "family": family.name,
            "model_params": model_params, "compression": compression}


PRESET_DSP = {"dense": "spectral", "cnn1d": "raw", "dscnn": "mfcc", "rf": "spectral", "gbt": "spectral"}
"""The DSP block each preset is offered with (audio data: the audio block the data suggests)."""


def _scale_of(preset: str, params: dict[str, Any], key: str) -> float:
    """The factor in ``SCALES`` whose widths are (nearest to) ``params[key]``."""
    first = _as_first(params.get(key))
    return min(SCALES, key=lambda f: abs(_as_first(_widths(preset, f)[key]) - first))


def _as_first(value: Any) -> int:
    return int(value[0]) if isinstance(value, list) else int(value or 0)


def preset_trials(facts: DataFacts, families: list[str], compressions: tuple[str, ...] = COMPRESSIONS
                  ) -> list[dict[str, Any]]:
    """The presets as Optuna parameters, to run first (``study.enqueue_trial``): each family's preset on
    the suggested window with its DSP block, the suggested impulse's own model (sized by the data) where
    it is that family's preset, int8 by post-training quantization; then, with the forest family, on motion
    data the usual baseline itself (``BASELINE_FOREST``: window statistics into 100 trees) and the search's
    reference (``REFERENCE_FOREST``: the same with extremely randomised trees), and a forest of
    that size on the forest preset's own block (``STRONG_FOREST``: on spectral features it matched or beat
    the baseline in the tune benchmark, where the preset's 10 trees did not). The search then starts from
    what the Train step's defaults and the baseline already reach."""
    base = facts.base
    blocks = AUDIO_BLOCKS if facts.audio else MOTION_BLOCKS
    compression = "ptq" if "ptq" in compressions else compressions[0]
    out: list[dict[str, Any]] = []
    for name in families:
        family = FAMILIES[name]
        dsp = PRESET_DSP[name] if not facts.audio else base.dsp.block
        if dsp not in blocks or dsp not in family.dsp_blocks:
            continue
        point: dict[str, Any] = {"window_ms": round(base.window.window_ms, 3), "dsp": dsp, f"family_{dsp}": name}
        if dsp == "spectral":
            own = base.dsp.params.get("fft_length") if base.dsp.block == "spectral" else None
            point["fft_length"] = int(own) if own in FFT_LENGTHS else 16
        elif dsp in AUDIO_BLOCKS:
            own = base.dsp.params.get("n_mels") if base.dsp.block == dsp else None
            point["n_mels"] = int(own) if own in MEL_BANDS else 32
        params = base.model.params if base.model.preset == family.preset else resolve_model_params(family.preset, None)
        if name == "dense":
            point.update(dense_scale=_scale_of("dense", params, "hidden"), dense_layers=min(2, len(params["hidden"])),
                         dense_dropout=min(DROPOUTS, key=lambda d: abs(d - float(params["dropout"]))),
                         dense_l2=min(L2S, key=lambda v: abs(v - float(params["l2"]))),
                         dense_noise=min(INPUT_NOISES, key=lambda v: abs(v - float(params["input_noise"]))),
                         dense_smoothing=min(SMOOTHINGS, key=lambda v: abs(v - float(params["label_smoothing"]))))
        elif name == "cnn1d":
            point.update(cnn_scale=_scale_of("cnn1d", params, "filters"), cnn_kernel=int(params["kernel"]))
        elif name == "dscnn":
            point.update(dscnn_scale=_scale_of("dscnn", params, "filters"), dscnn_blocks=int(params["blocks"]))
        elif name == "rf":
            point.update(rf_trees=10, rf_depth=8, rf_split="best", rf_leaf=1)
        elif name == "gbt":
            point.update(gbt_trees=30, gbt_depth=3)
        if family.neural:
            point["compression"] = compression
        out.append(point)
    forests = [p for p in out if p.get(f"family_{p['dsp']}") == "rf"]
    if forests and "statistics" in blocks:
        window = {k: v for k, v in forests[0].items() if not k.startswith("family_") and k != "fft_length"}
        out.append({**window, **BASELINE_FOREST})
        out.append({**window, **REFERENCE_FOREST})
    if forests:
        out.append({**forests[0], **STRONG_FOREST})
    return out


def reference_trial(presets: list[dict[str, Any]]) -> int | None:
    """The trial number (its place among ``presets``, which run first) of the search's reference point:
    ``REFERENCE_FOREST`` on motion data searched with forests, else None (the best preset is the reference)."""
    return next((i for i, p in enumerate(presets)
                 if all(p.get(k) == v for k, v in REFERENCE_FOREST.items())), None)


def impulse_for(params: dict[str, Any], facts_base: ImpulseConfig, epochs: int, seed: int = 1) -> ImpulseConfig:
    """The impulse a point describes (training settings from ``facts_base``, ``epochs`` and ``seed``)."""
    impulse = copy.deepcopy(facts_base)
    impulse.window.window_ms = float(params["window_ms"])
    impulse.window.stride_ms = float(max(1.0, round(params["window_ms"] / 4.0)))
    impulse.dsp.block, impulse.dsp.params = params["dsp"], dict(params["dsp_params"])
    family = FAMILIES.get(params["family"])
    if family is None:
        raise UserError(f"model family '{params['family']}' is not part of this TinyStudio")
    impulse.model.preset, impulse.model.params = family.preset, copy.deepcopy(params["model_params"])
    impulse.model.epochs, impulse.model.seed = int(epochs), int(seed)
    impulse.dsp.params = BLOCKS[impulse.dsp.block].resolve_params(impulse.dsp.params)
    impulse.model.params = resolve_model_params(impulse.model.preset, impulse.model.params)
    return impulse.validate()


def flash_floor(params: dict[str, Any], facts: DataFacts, impulse: ImpulseConfig) -> int:
    """Bytes of flash the point needs at least, known before training."""
    return FAMILIES[params["family"]].flash_floor(facts, impulse)
