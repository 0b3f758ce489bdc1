"""int8 that keeps the float model's accuracy: quantize a freshly trained run (post-training quantization,
the one PTQ path) and, when that loses more than ``max_loss`` on validation or test, run
quantization-aware training by itself. Both variants are stored as normal variants and every figure
(float, PTQ and QAT accuracy per split) is reported, so the user sees what quantization cost."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from tinystudio.core.progress import CancelToken, Progress, no_progress

if TYPE_CHECKING:
    from tinystudio.core.store import Project

MAX_INT8_LOSS = 0.01  # one accuracy point
SPLITS = ("validation", "test")


@dataclass
class Int8Check:
    """Accuracies per split ({"validation": a, "test": b}, None where a split is empty) of the float run,
    its PTQ variant and, when PTQ lost more than ``max_loss``, its QAT variant."""

    max_loss: float
    float_accuracy: dict[str, float | None]
    ptq_accuracy: dict[str, float | None]
    ptq_variant: int
    qat_accuracy: dict[str, float | None] | None = None
    qat_variant: int | None = None
    best_variant: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def ptq_loss(self) -> float:
        """The largest drop from float to PTQ over the splits that have windows (0 when none)."""
        return _loss(self.float_accuracy, self.ptq_accuracy)

    @property
    def qat_loss(self) -> float | None:
        return None if self.qat_accuracy is None else _loss(self.float_accuracy, self.qat_accuracy)

    def headline(self, split: str) -> dict[str, float | None]:
        """{"float": a, "ptq": b, "qat": c or None} on ``split``."""
        return {"float": self.float_accuracy.get(split), "ptq": self.ptq_accuracy.get(split),
                "qat": None if self.qat_accuracy is None else self.qat_accuracy.get(split)}

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "ptq_loss": self.ptq_loss, "qat_loss": self.qat_loss}


def _loss(ref: dict[str, float | None], got: dict[str, float | None]) -> float:
    drops = [float(ref[s]) - float(got[s]) for s in SPLITS  # type: ignore[arg-type]
             if ref.get(s) is not None and got.get(s) is not None]
    return max(drops, default=0.0)


def _figures(project: Project, variant_id: int, prefix: str = "") -> dict[str, float | None]:
    metrics = next(v for v in project.variants() if v["id"] == variant_id)["metrics"]
    return {s: metrics.get(f"{prefix}{s}_accuracy") for s in SPLITS}


def quantize_checked(
    project: Project,
    run_id: int,
    *,
    max_loss: float = MAX_INT8_LOSS,
    qat_epochs: int | None = None,
    progress: Progress | None = None,
    cancel: CancelToken | None = None,
) -> Int8Check:
    """PTQ of run ``run_id``; QAT as well when PTQ loses more than ``max_loss`` (a share, 0.01 = 1 point).

    The better of the two (the PTQ one on a tie) is ``best_variant``; a cancel keeps what was stored.
    """
    from tinystudio.core.compress import CompressOptions, compress

    progress = progress or no_progress
    cancel = cancel or CancelToken()
    ptq_id = compress(project, run_id, "ptq", None, lambda f, m: progress(0.3 * f, f"int8: {m}"), cancel)
    check = Int8Check(max_loss, _figures(project, ptq_id, "float_"), _figures(project, ptq_id), ptq_id,
                      best_variant=ptq_id)
    if check.ptq_loss <= max_loss + 1e-12:
        progress(1.0, f"int8 within {max_loss * 100:g} point(s) of float")
        return check
    check.notes.append(f"post-training quantization lost {check.ptq_loss * 100:.1f} points: "
                       "running quantization-aware training")
    progress(0.3, check.notes[-1])
    qat_id = compress(project, run_id, "qat", CompressOptions(epochs=qat_epochs),
                      lambda f, m: progress(0.3 + 0.7 * f, f"quantization-aware training: {m}"), cancel)
    check.qat_variant, check.qat_accuracy = qat_id, _figures(project, qat_id)
    if (check.qat_loss or 0.0) < check.ptq_loss:
        check.best_variant = qat_id
    if (check.qat_loss or 0.0) > max_loss:
        check.notes.append(f"quantization-aware training still loses {check.qat_loss * 100:.1f} points")  # type: ignore[operator]
    progress(1.0, "int8 variants stored")
    return check
