"""Magnitude pruning: fine-tune a run's model while the smallest weights of its dense and convolution
layers are forced to zero on a schedule reaching the target sparsity, so the int8 model's weights are
that share of zeros (ready for sparse storage or compression of the flash image)."""

from __future__ import annotations

from typing import Any

from tinystudio.core.compress.fitting import steps_per_epoch
from tinystudio.core.compress.variant import Job, compression_method
from tinystudio.core.errors import UserError

FINE_TUNE_LR_FACTOR = 0.5
RAMP_SHARE = 0.6  # sparsity ramps up over the first 60% of the steps; the rest recovers accuracy
PRUNABLE = ("Dense", "Conv2D", "DepthwiseConv2D")


def pruning_schedule(total_steps: int, per_epoch: int, sparsity: float) -> dict[str, int | float]:
    """Begin, end and frequency (in steps) of a polynomial ramp that ends exactly on a pruning step.

    tfmot prunes only when (step - begin) is a multiple of ``frequency`` and at most ``end``; its default
    frequency of 100 steps never fires on small datasets, so it is derived from the step count here.
    """
    frequency = max(1, per_epoch // 2)
    ramp = max(frequency, int(total_steps * RAMP_SHARE) // frequency * frequency)
    ramp = min(ramp, max(0, total_steps - 1) // frequency * frequency) or 0
    return {"begin_step": 0, "end_step": ramp, "frequency": frequency, "final_sparsity": sparsity}


@compression_method
def prune(job: Job) -> int:
    """Prune the job's run model to ``options.sparsity`` while fine-tuning; returns the int8 variant id."""
    opts, m = job.opts, job.model_cfg
    keras = job.load_tf()
    import tensorflow_model_optimization as tfmot

    sparsity_api = tfmot.sparsity.keras
    epochs = opts.epochs_for("prune")
    per_epoch = steps_per_epoch(len(job.rd.x["train"]), m.batch_size)
    plan = pruning_schedule(epochs * per_epoch, per_epoch, opts.sparsity)
    schedule = sparsity_api.PolynomialDecay(
        initial_sparsity=0.0, final_sparsity=float(plan["final_sparsity"]), begin_step=int(plan["begin_step"]),
        end_step=int(plan["end_step"]), frequency=int(plan["frequency"]))
    base = job.trained_model()
    pruned_layers = [layer.name for layer in base.layers if type(layer).__name__ in PRUNABLE]
    if not pruned_layers:
        raise UserError("the model has no dense or convolution layer to prune")

    def wrap(layer: Any) -> Any:
        if type(layer).__name__ in PRUNABLE:
            return sparsity_api.prune_low_magnitude(layer, pruning_schedule=schedule)
        return layer

    model = keras.models.clone_model(base, clone_function=wrap)  # wrappers hold the trained layers themselves
    lr = opts.learning_rate or m.learning_rate * FINE_TUNE_LR_FACTOR
    losses = job.fine_tune(keras, model, lr, "pruning", callbacks=[sparsity_api.UpdatePruningStep()])
    stripped = sparsity_api.strip_pruning(model)
    extra = {"target_sparsity": opts.sparsity, "pruned_layers": pruned_layers, "pruning_schedule": plan,
             "fine_tune_loss": losses}
    return job.store(stripped, extra_metrics=extra)

