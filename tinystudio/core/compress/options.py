"""The knobs of the compression methods, validated in one place so the CLI, the GUI and tests agree on
defaults and on the one-line errors for values out of range."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from tinystudio.core.errors import UserError
from tinystudio.core.models import NN_PRESETS

METHODS = ("ptq", "qat", "prune", "distill")
METHOD_TITLES = {
    "ptq": "int8 post-training quantization",
    "qat": "quantization-aware training",
    "prune": "magnitude pruning",
    "distill": "distillation into a smaller student",
}
DEFAULT_EPOCHS = {"ptq": 0, "qat": 8, "prune": 15, "distill": 30}
MAX_SPARSITY = 0.95


@dataclass
class CompressOptions:
    """Options of every method; each method reads the ones it needs (``for_method`` lists them).

    ``epochs`` None means the method's default; ``learning_rate`` None means a fraction of the run's own
    (fine-tuning) or the run's own (distillation); ``seed`` None means the run's seed.
    """

    epochs: int | None = None
    sparsity: float = 0.5
    student: str = "dense"
    temperature: float = 4.0
    alpha: float = 0.3  # weight of the true labels in the distillation loss (the rest: the teacher)
    learning_rate: float | None = None
    seed: int | None = None

    @classmethod
    def coerce(cls, value: CompressOptions | dict[str, Any] | None) -> CompressOptions:
        if value is None:
            return cls()
        if isinstance(value, CompressOptions):
            return value
        unknown = sorted(set(value) - set(cls.__dataclass_fields__))
        if unknown:
            raise UserError(f"unknown compression option '{unknown[0]}'")
        return cls(**value)

    def validate(self) -> CompressOptions:
        if self.epochs is not None and self.epochs < 1:
            raise UserError(f"epochs must be at least 1, got {self.epochs}")
        if not 0.0 < self.sparsity <= MAX_SPARSITY:
            raise UserError(f"sparsity must be above 0 and at most {MAX_SPARSITY}, got {self.sparsity}")
        if self.student not in NN_PRESETS:
            raise UserError(f"unknown student model '{self.student}' (choose from {', '.join(NN_PRESETS)})")
        if not self.temperature > 0:
            raise UserError(f"distillation temperature must be positive, got {self.temperature}")
        if not 0.0 <= self.alpha <= 1.0:
            raise UserError(f"distillation alpha must be between 0 and 1, got {self.alpha}")
        if self.learning_rate is not None and not self.learning_rate > 0:
            raise UserError(f"learning rate must be positive, got {self.learning_rate}")
        return self

    def epochs_for(self, method: str) -> int:
        return int(self.epochs) if self.epochs is not None else DEFAULT_EPOCHS[method]

    def for_method(self, method: str) -> dict[str, Any]:
        """The options that shaped a variant of ``method`` (stored in its config)."""
        keys = {"ptq": (), "qat": ("epochs", "learning_rate", "seed"),
                "prune": ("epochs", "sparsity", "learning_rate", "seed"),
                "distill": ("epochs", "student", "temperature", "alpha", "learning_rate", "seed")}[method]
        values = asdict(self)
        out = {k: values[k] for k in keys}
        if "epochs" in out:
            out["epochs"] = self.epochs_for(method)
        return out


def check_method(method: str) -> str:
    if method not in METHODS:
        raise UserError(f"unknown compression method '{method}' (choose from {', '.join(METHODS)})")
    return method
