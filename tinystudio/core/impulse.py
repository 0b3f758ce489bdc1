"""The impulse: how windows are cut, which DSP block turns them into features, and which model learns them.

One versioned, JSON-round-trippable dataclass, so a training run, the CLI, the GUI and the device build
all describe the same pipeline with the same numbers.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any

from tinystudio.core.errors import UserError
from tinystudio.core.limits import MAX_WINDOW_MS, finite_positive, positive_int

IMPULSE_VERSION = 1
SHORT_POLICIES = ("pad", "drop")
MAX_EPOCHS = 100_000
MAX_BATCH_SIZE = 1 << 20
MAX_LEARNING_RATE = 10.0
MAX_AUGMENT_STRENGTH = 3.0
LR_SCHEDULES = ("constant", "cosine")


@dataclass
class WindowConfig:
    """Window length and stride in milliseconds; ``short_policy`` says what happens to shorter recordings.

    ``pad``: a recording shorter than one window gives one window, zero-padded at the end.
    ``drop``: such a recording gives no window.
    """

    window_ms: float = 1000.0
    stride_ms: float = 500.0
    short_policy: str = "pad"


@dataclass
class DspConfig:
    """A DSP block by registry name plus its parameters (missing ones take the block's defaults)."""

    block: str = "spectral"
    params: dict[str, Any] = field(default_factory=dict)


@dataclass
class ModelConfig:
    """A model preset by name plus its architecture parameters and training hyperparameters.

    ``class_weights``: ``"auto"`` (inverse class frequency), ``"none"``, or a mapping label -> weight.
    ``early_stopping``: patience in epochs on the validation loss; 0 disables it.
    ``augment``: add augmented copies of the train windows (noise, gain, small rotations and time shifts
    for motion; noise mixing and time shifts for audio) before the DSP block; ``augment_strength`` scales
    every perturbation (1 = the defaults). Validation and test windows are never augmented.
    ``lr_schedule``: ``constant`` or ``cosine`` (cosine decay to a tenth over the epochs), with
    ``warmup_epochs`` of linear warm-up first (at most half the epochs).
    """

    preset: str = "dense"
    params: dict[str, Any] = field(default_factory=dict)
    epochs: int = 30
    learning_rate: float = 0.005
    batch_size: int = 32
    class_weights: str | dict[str, float] = "auto"
    early_stopping: int = 0
    seed: int = 1
    augment: bool = False
    augment_strength: float = 1.0
    lr_schedule: str = "constant"
    warmup_epochs: int = 0


@dataclass
class ImpulseConfig:
    """The whole pipeline description (see module docstring)."""

    window: WindowConfig = field(default_factory=WindowConfig)
    dsp: DspConfig = field(default_factory=DspConfig)
    model: ModelConfig = field(default_factory=ModelConfig)
    version: int = IMPULSE_VERSION

    def validate(self) -> ImpulseConfig:
        """Raise UserError with one clear line when a value is out of range; return self."""
        w, m = self.window, self.model
        finite_positive("window length (ms)", w.window_ms, MAX_WINDOW_MS)
        finite_positive("window stride (ms)", w.stride_ms, MAX_WINDOW_MS)
        if w.short_policy not in SHORT_POLICIES:
            raise UserError(f"short-recording policy must be one of {', '.join(SHORT_POLICIES)}")
        positive_int("epochs", m.epochs, MAX_EPOCHS)
        finite_positive("learning rate", m.learning_rate, MAX_LEARNING_RATE)
        positive_int("batch size", m.batch_size, MAX_BATCH_SIZE)
        if m.early_stopping < 0:
            raise UserError("early-stopping patience cannot be negative")
        if isinstance(m.class_weights, str) and m.class_weights not in ("auto", "none"):
            raise UserError("class weights must be 'auto', 'none' or a mapping of label to weight")
        if not 0.0 <= float(m.augment_strength) <= MAX_AUGMENT_STRENGTH:
            raise UserError(f"augmentation strength must be between 0 and {MAX_AUGMENT_STRENGTH:g}")
        if m.lr_schedule not in LR_SCHEDULES:
            raise UserError(f"learning-rate schedule must be one of {', '.join(LR_SCHEDULES)}")
        if int(m.warmup_epochs) < 0:
            raise UserError("warm-up epochs cannot be negative")
        return self

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), sort_keys=True)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ImpulseConfig:
        """Build from a dict written by ``to_dict`` (any older version is migrated here)."""
        version = int(data.get("version", IMPULSE_VERSION))
        if version > IMPULSE_VERSION:
            raise UserError(f"impulse version {version} is newer than this TinyStudio understands")
        try:
            return cls(
                window=WindowConfig(**data.get("window", {})),
                dsp=DspConfig(**data.get("dsp", {})),
                model=ModelConfig(**data.get("model", {})),
                version=IMPULSE_VERSION,
            )
        except TypeError as exc:
            raise UserError(f"invalid impulse configuration: {exc}") from None

    @classmethod
    def from_json(cls, text: str) -> ImpulseConfig:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise UserError(f"impulse configuration is not valid JSON: {exc}") from None
        if not isinstance(data, dict):
            raise UserError("impulse configuration must be a JSON object")
        return cls.from_dict(data)


AUDIO_RATE_HZ = 4000.0


def _pow2_floor(n: float) -> int:
    p = 1
    while p * 2 <= n:
        p *= 2
    return p


def suggest_impulse(rate_hz: float, axes: int, typical_seconds: float) -> ImpulseConfig:
    """Sensible defaults from the data: audio (one axis, >= 4 kHz) gets MFCC + depthwise CNN on 1 s
    windows; motion/vibration gets spectral features + dense network on windows of at least 2 s and
    32 frames (never longer than a typical recording), stride a quarter window."""
    if axes == 1 and rate_hz >= AUDIO_RATE_HZ:
        window = min(1000.0, max(typical_seconds * 1000.0, 100.0))
        return ImpulseConfig(
            WindowConfig(window, float(max(10.0, round(window / 2))), "pad"),
            DspConfig("mfcc", {}),
            ModelConfig("dscnn", epochs=40, learning_rate=0.005, augment=True, lr_schedule="cosine"),
        )
    window = max(2000.0, 32 * 1000.0 / rate_hz)
    if typical_seconds > 0:
        window = min(window, typical_seconds * 1000.0)
    window = max(round(window / 100.0) * 100.0, round(1000.0 / rate_hz, 3))
    frames = max(1, int(round(window * rate_hz / 1000.0)))
    fft = min(64, max(8, _pow2_floor(frames / 2)))
    return ImpulseConfig(
        WindowConfig(window, float(max(round(window / 4.0), round(1000.0 / rate_hz, 3))), "pad"),
        DspConfig("spectral", {"fft_length": fft}),
        ModelConfig("dense", epochs=30, learning_rate=0.005, augment=True, lr_schedule="cosine"),
    )
