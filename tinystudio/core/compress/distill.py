"""Knowledge distillation: train a smaller student preset on the same DSP features, learning from the
true labels and from the run's model (the teacher) softened by a temperature, then convert it to int8."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from tinystudio.core.compress.variant import Job, compression_method
from tinystudio.core.errors import UserError
from tinystudio.core.models import ModelSpec, model_spec

EPS = 1e-7
# Small starting points for each student preset; shrunk further until smaller than the teacher.
STUDENT_PARAMS: dict[str, dict[str, Any]] = {
    "dense": {"hidden": [8], "dropout": 0.0, "l2": 0.0, "input_noise": 0.0, "label_smoothing": 0.0},
    "cnn1d": {"filters": [4, 8], "kernel": 3, "pool": 2, "dropout": 0.1},
    "dscnn": {"filters": 8, "blocks": 1, "dropout": 0.1},
}


def _shrink(params: dict[str, Any]) -> dict[str, Any] | None:
    """Halve the layer widths (None when every width is already at its minimum)."""
    out = dict(params)
    changed = False
    for key in ("hidden", "filters"):
        if key not in out:
            continue
        value = out[key]
        if isinstance(value, list):
            new = [max(2, v // 2) for v in value]
        else:
            new = max(2, int(value) // 2)
        changed |= new != value
        out[key] = new
    return out if changed else None


def student_spec(preset: str, teacher_params: int, input_shape: tuple[int, ...], classes: int,
                 ) -> tuple[ModelSpec, dict[str, Any]]:
    """The student architecture: the preset's small setting, halved until it has fewer parameters than the
    teacher (UserError when even the smallest is not smaller)."""
    params: dict[str, Any] | None = dict(STUDENT_PARAMS[preset])
    while params is not None:
        spec = model_spec(preset, params, input_shape, classes)
        if spec.summary()["params"] < teacher_params:
            return spec, params
        params = _shrink(params)
    raise UserError(f"no '{preset}' student is smaller than the teacher ({teacher_params} parameters): "
                    "pick another student model")


def soft_targets(teacher_probs: np.ndarray, temperature: float) -> np.ndarray:
    """The teacher's class probabilities softened: softmax(log p / T)."""
    logits = np.log(np.clip(teacher_probs.astype(np.float64), EPS, 1.0)) / temperature
    logits -= logits.max(axis=1, keepdims=True)
    e = np.exp(logits)
    return (e / e.sum(axis=1, keepdims=True)).astype(np.float32)


def distillation_loss(classes: int, temperature: float, alpha: float) -> Any:
    """Keras loss on y_true = [one-hot labels | soft teacher targets]:
    alpha * cross-entropy(labels) + (1 - alpha) * T^2 * KL(teacher_T || student_T)."""
    import tensorflow as tf

    t = float(temperature)

    def loss(y_true: Any, y_pred: Any) -> Any:
        hard, soft = y_true[:, :classes], y_true[:, classes:]
        p = tf.clip_by_value(y_pred, EPS, 1.0)
        ce = -tf.reduce_sum(hard * tf.math.log(p), axis=1)
        student_t = tf.nn.softmax(tf.math.log(p) / t, axis=1)
        kl = tf.reduce_sum(soft * (tf.math.log(tf.clip_by_value(soft, EPS, 1.0))
                                   - tf.math.log(tf.clip_by_value(student_t, EPS, 1.0))), axis=1)
        return alpha * ce + (1.0 - alpha) * t * t * kl

    return loss


@compression_method
def distill(job: Job) -> int:
    """Distil the job's run model into a smaller ``options.student``; returns the int8 variant id."""
    from tinystudio.core.models.keras_builder import build_keras

    opts, rd, m = job.opts, job.rd, job.model_cfg
    classes = len(rd.labels)
    seed = opts.seed if opts.seed is not None else m.seed
    keras = job.load_tf()
    teacher = job.trained_model()
    teacher_params = int(teacher.count_params())
    input_shape = tuple(int(d) for d in rd.x["train"].shape[1:])
    spec, params = student_spec(opts.student, teacher_params, input_shape, classes)
    probs = teacher.predict(rd.x["train"], batch_size=256, verbose=0)
    hard = np.eye(classes, dtype=np.float32)[rd.y["train"]]
    targets = np.concatenate([hard, soft_targets(probs, opts.temperature)], axis=1)
    student = build_keras(spec, seed)
    losses = job.fine_tune(keras, student, opts.learning_rate or m.learning_rate, "distillation", targets=targets,
                           loss=distillation_loss(classes, opts.temperature, opts.alpha))
    if not all(math.isfinite(v) for v in losses):
        raise UserError("distillation diverged (loss is not finite): try a lower learning rate")
    extra = {"student": {"preset": opts.student, "params": params, **spec.summary()},
             "teacher_params": teacher_params, "fine_tune_loss": losses}
    config_options = {**opts.for_method("distill"), "student_params": params}
    return job.store(student, options=config_options, extra_metrics=extra)
