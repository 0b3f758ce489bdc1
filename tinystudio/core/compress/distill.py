"""Knowledge distillation: train a smaller student preset on the same DSP features, learning from the
true labels and from the run's model (the teacher) softened by a temperature, then convert it to int8."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np

from tinystudio.core.compress.fitting import fit
from tinystudio.core.compress.options import CompressOptions
from tinystudio.core.compress.variant import begin, store_int8_variant
from tinystudio.core.errors import UserError
from tinystudio.core.models import ModelSpec, model_spec
from tinystudio.core.progress import CancelToken, Progress

if TYPE_CHECKING:
    from tinystudio.core.store import Project

EPS = 1e-7
# Small starting points for each student preset; shrunk further until smaller than the teacher.
STUDENT_PARAMS: dict[str, dict[str, Any]] = {
    "dense": {"hidden": [8], "dropout": 0.0},
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


def distill(
    project: Project,
    run_id: int,
    options: CompressOptions | dict[str, Any] | None = None,
    progress: Progress | None = None,
    cancel: CancelToken | None = None,
) -> int:
    """Distil run ``run_id``'s model into a smaller ``options.student``; returns the int8 variant id."""
    from tinystudio.core.models.keras_builder import build_keras
    from tinystudio.core.training import load_run_model

    job = begin(project, run_id, options, progress, cancel)
    opts, progress, cancel, started, rd = job.opts, job.progress, job.cancel, job.started, job.rd
    m = job.model_cfg
    classes = len(rd.labels)
    seed = opts.seed if opts.seed is not None else m.seed
    keras = job.load_tf()
    teacher = load_run_model(project, run_id)
    teacher_params = int(teacher.count_params())
    input_shape = tuple(int(d) for d in rd.x["train"].shape[1:])
    spec, params = student_spec(opts.student, teacher_params, input_shape, classes)
    probs = teacher.predict(rd.x["train"], batch_size=256, verbose=0)
    hard = np.eye(classes, dtype=np.float32)[rd.y["train"]]
    targets = np.concatenate([hard, soft_targets(probs, opts.temperature)], axis=1)
    student = build_keras(spec, seed)
    lr = opts.learning_rate or m.learning_rate
    student.compile(optimizer=keras.optimizers.Adam(learning_rate=lr),
                    loss=distillation_loss(classes, opts.temperature, opts.alpha))
    epochs = opts.epochs_for("distill")
    losses = fit(keras, student, rd.x["train"], targets, epochs, m.batch_size,
                 lambda f, msg: progress(0.1 + 0.6 * f, msg), cancel, "distillation")
    if not all(math.isfinite(v) for v in losses):
        raise UserError("distillation diverged (loss is not finite): try a lower learning rate")
    extra = {"student": {"preset": opts.student, "params": params, **spec.summary()},
             "teacher_params": teacher_params, "fine_tune_loss": losses}
    config_options = {**opts.for_method("distill"), "student_params": params}
    return store_int8_variant(project, run_id, rd, student, "distill", config_options,
                              lambda f, msg: progress(0.7 + 0.3 * f, msg), cancel, extra_metrics=extra,
                              started=started)
