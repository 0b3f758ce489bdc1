"""Quantization-aware training: fine-tune a run's model with simulated int8 arithmetic (tfmot) so the
int8 model keeps the float model's accuracy, then convert it like any other variant."""

from __future__ import annotations

from tinystudio.core.compress.variant import Job, compression_method
from tinystudio.core.errors import UserError

FINE_TUNE_LR_FACTOR = 0.2  # fine-tuning starts from trained weights: a fifth of the run's learning rate


@compression_method
def qat(job: Job) -> int:
    """Quantization-aware fine-tuning of the job's run; returns the stored int8 variant id."""
    keras = job.load_tf()
    import tensorflow_model_optimization as tfmot

    try:
        model = tfmot.quantization.keras.quantize_model(job.trained_model())
    except (ValueError, RuntimeError) as exc:
        raise UserError(f"this model cannot be quantization-aware trained: {exc}") from None
    lr = job.opts.learning_rate or job.model_cfg.learning_rate * FINE_TUNE_LR_FACTOR
    losses = job.fine_tune(keras, model, lr, "quantization-aware training")
    return job.store(model, extra_metrics={"fine_tune_loss": losses})
