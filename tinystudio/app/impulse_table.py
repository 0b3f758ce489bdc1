"""The impulse of a training run as rows a person reads: window length and stride in ms (and in samples at
the data's rate), the window's input shape and axes, the DSP block by title with each parameter in its
unit, the features and model input shape, and the model's settings. The report shows them for one result
and side by side for several, in place of the raw JSON of the run's configuration."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from tinystudio.app.formatting import MISSING
from tinystudio.core.dsp import BLOCKS

# The unit a DSP parameter's name ends in (the parameter registry's convention: cutoff_hz, frame_length_ms).
_UNITS = {"_hz": "Hz", "_ms": "ms", "_db": "dB"}
# Names that read better spelt out than turned into words.
_NAMES = {"fft_length": "FFT length", "n_mels": "mel bands", "n_coeffs": "cepstral coefficients",
          "log": "log10 of band powers", "low_hz": "lowest band edge", "high_hz": "highest band edge"}
_MODEL = (("preset", "model"), ("epochs", "epochs"), ("learning_rate", "learning rate"),
          ("lr_schedule", "learning-rate schedule"), ("warmup_epochs", "warm-up epochs"),
          ("batch_size", "batch size"), ("class_weights", "class weights"),
          ("early_stopping", "early-stopping patience"), ("augment", "augmentation"),
          ("augment_strength", "augmentation strength"), ("seed", "seed"))
_SHORT_POLICY = {"pad": "padded to one window", "drop": "dropped"}


def _number(value: float) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def _value(value: Any, unit: str = "") -> str:
    """A setting's value as text: yes/no for a switch, numbers without trailing zeros, then the unit."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return f"{_number(value)} {unit}".rstrip()
    if isinstance(value, dict):
        return ", ".join(f"{k} {_value(v)}" for k, v in value.items()) or MISSING
    if isinstance(value, list | tuple):
        return " x ".join(map(str, value)) or MISSING
    return str(value)


def param_row(name: str, value: Any) -> tuple[str, str]:
    """One DSP or model parameter: a readable name and its value with the unit its name carries."""
    suffix = next((s for s in _UNITS if name.endswith(s)), "")
    label = _NAMES.get(name) or (name[: -len(suffix)] if suffix else name)
    return label.replace("_", " "), _value(value, _UNITS.get(suffix, ""))


def _samples(frames: Any, rate: Any) -> str:
    if not isinstance(frames, int):
        return ""
    return f" ({frames} samples at {_number(float(rate))} Hz)" if isinstance(rate, int | float) else f" ({frames})"


def impulse_rows(config: dict[str, Any]) -> list[tuple[str, str]]:
    """The rows of a run's configuration (``project.run(id).config``); settings it lacks are left out."""
    impulse = config.get("impulse") or {}
    window = impulse.get("window") or {}
    rate = config.get("rate_hz")
    rows: list[tuple[str, str]] = []
    if "window_ms" in window:
        rows.append(("window length", _value(window["window_ms"], "ms") + _samples(config.get("window_frames"),
                                                                                 rate)))
    if "stride_ms" in window:
        stride = config.get("stride_frames")
        rows.append(("window stride", _value(window["stride_ms"], "ms")
                     + (f" ({stride} samples)" if isinstance(stride, int) else "")))
    if "short_policy" in window:
        rows.append(("shorter recordings", _SHORT_POLICY.get(window["short_policy"], str(window["short_policy"]))))
    axes = config.get("axis_names")
    if isinstance(config.get("window_frames"), int) and isinstance(axes, list):
        rows.append(("input shape", f"{config['window_frames']} x {len(axes)} ({', '.join(map(str, axes))})"))
    dsp = config.get("dsp") or impulse.get("dsp") or {}
    if dsp.get("block"):
        title = _block_title(str(dsp["block"]))
        rows.append(("DSP block", f"{title} ({dsp['block']})" if title else str(dsp["block"])))
        rows += [(f"DSP · {k}", v) for k, v in (param_row(n, p) for n, p in (dsp.get("params") or {}).items())]
    if dsp.get("output_shape"):
        rows.append(("features", _value(dsp["output_shape"])))
    model_shape = (config.get("model") or {}).get("input_shape")
    if model_shape:
        rows.append(("model input shape", _value(model_shape)))
    model = impulse.get("model") or {}
    rows += [(label, _value(model[key])) for key, label in _MODEL if key in model]
    rows += [(f"model · {k}", v) for k, v in (param_row(n, p) for n, p in (model.get("params") or {}).items())]
    return rows


def _block_title(name: str) -> str:
    block = BLOCKS.get(name)
    return getattr(block, "title", "") if block is not None else ""


def side_by_side(columns: Sequence[list[tuple[str, str]] | None]) -> list[list[str]]:
    """One row per setting found in any column (first seen first), a dash where a column lacks it or is
    None (its run is no longer in the project)."""
    order: list[str] = []
    for rows in columns:
        for name, _ in rows or []:
            if name not in order:
                order.append(name)
    lookup = [dict(rows or []) for rows in columns]
    return [[name, *(d.get(name, MISSING) for d in lookup)] for name in order]
