"""Quantization-aware training: fine-tune a run's model with simulated int8 arithmetic (tfmot) so the
int8 model keeps the float model's accuracy, then convert it like any other variant."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tinystudio.core.compress.fitting import fit
from tinystudio.core.compress.options import CompressOptions
from tinystudio.core.compress.variant import begin, store_int8_variant
from tinystudio.core.errors import UserError
from tinystudio.core.progress import CancelToken, Progress

if TYPE_CHECKING:
    from tinystudio.core.store import Project

FINE_TUNE_LR_FACTOR = 0.2  # fine-tuning starts from trained weights: a fifth of the run's learning rate


def qat(
    project: Project,
    run_id: int,
    options: CompressOptions | dict[str, Any] | None = None,
    progress: Progress | None = None,
    cancel: CancelToken | None = None,
) -> int:
    """Quantization-aware fine-tuning of run ``run_id``; returns the stored int8 variant id."""
    from tinystudio.core.training import load_run_model

    job = begin(project, run_id, options, progress, cancel)
    opts, progress, cancel, started, rd = job.opts, job.progress, job.cancel, job.started, job.rd
    m = job.model_cfg
    keras = job.load_tf()
    import tensorflow_model_optimization as tfmot

    base = load_run_model(project, run_id)
    try:
        model = tfmot.quantization.keras.quantize_model(base)
    except (ValueError, RuntimeError) as exc:
        raise UserError(f"this model cannot be quantization-aware trained: {exc}") from None
    lr = opts.learning_rate or m.learning_rate * FINE_TUNE_LR_FACTOR
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=lr),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    epochs = opts.epochs_for("qat")
    losses = fit(keras, model, rd.x["train"], rd.y["train"], epochs, m.batch_size,
                 lambda f, msg: progress(0.1 + 0.6 * f, msg), cancel, "quantization-aware training")
    return store_int8_variant(project, run_id, rd, model, "qat", opts.for_method("qat"),
                              lambda f, msg: progress(0.7 + 0.3 * f, msg), cancel,
                              extra_metrics={"fine_tune_loss": losses}, started=started)
