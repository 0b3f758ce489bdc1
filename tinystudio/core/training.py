"""Training a model preset on a project's features, reproducibly, and storing the result as a run.

TensorFlow (through tf_keras, the pipeline's one Keras flavour) is imported only when training starts.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from tinystudio.core.augment import COPIES, augment_windows, is_audio
from tinystudio.core.errors import Cancelled, UserError
from tinystudio.core.evaluate import Evaluation, evaluate
from tinystudio.core.features import PreparedData, dsp_transform, prepare_data
from tinystudio.core.impulse import ImpulseConfig
from tinystudio.core.models import is_classical, model_spec
from tinystudio.core.models.keras_builder import (
    build_keras,
    cancellable_callback,
    import_keras,
    quiet_native_stderr,
    seeded_keras,
)
from tinystudio.core.models.presets import resolve_model_params
from tinystudio.core.progress import CancelToken, Progress, no_progress

if TYPE_CHECKING:
    from tinystudio.core.store import Project

RUN_KIND = "train"


@dataclass
class EpochStats:
    """Losses and accuracies after one epoch (validation ones are None without a validation split)."""

    epoch: int
    epochs: int
    loss: float
    accuracy: float
    val_loss: float | None
    val_accuracy: float | None


@dataclass
class TrainResult:
    run_id: int
    config: dict[str, Any]
    metrics: dict[str, Any]
    curves: dict[str, list[float]]
    validation: Evaluation | None
    test: Evaluation | None
    int8: Any = None  # the int8 check (core.compress.auto_int8.Int8Check) when the front end asked for one


def class_weights(y: np.ndarray, classes: int, setting: str | dict[str, float], labels: list[str]) -> dict[int, float]:
    """Per-class loss weights: ``auto`` = n / (classes * n_c) (balanced), ``none`` = 1, or user values."""
    if isinstance(setting, dict):
        return {i: float(setting.get(name, 1.0)) for i, name in enumerate(labels)}
    if setting == "none":
        return {i: 1.0 for i in range(classes)}
    counts = np.bincount(y, minlength=classes)
    return {i: (len(y) / (classes * c) if c else 1.0) for i, c in enumerate(counts)}


def augmented_train(data: PreparedData, impulse: ImpulseConfig,
                    cancel: CancelToken | None = None) -> tuple[np.ndarray, np.ndarray, dict[str, Any]]:
    """The standardised train features and labels with augmented copies of the raw train windows added
    (through the same DSP block and standardisation), and what was done, for the run's config.

    Validation and test are left as they are; without ``augment`` the train split is returned unchanged.
    """
    m, w = impulse.model, data.windows
    train = w.splits["train"]
    if not m.augment or m.augment_strength <= 0:
        return data.x["train"], data.y["train"], {"enabled": False}
    raw, labels = augment_windows(train.x, train.y, rate_hz=w.rate_hz, axis_names=list(w.axis_names),
                                  seed=m.seed, strength=m.augment_strength)
    extra = data.normalization.apply(dsp_transform(data.block, raw, cancel))
    info = {"enabled": True, "strength": float(m.augment_strength), "copies": COPIES,
            "kind": "audio" if is_audio(w.rate_hz, len(w.axis_names)) else "motion", "windows_added": len(raw)}
    return np.concatenate([data.x["train"], extra]), np.concatenate([data.y["train"], labels]), info


def with_input_noise(keras: Any, model: Any, stddev: float, seed: int) -> Any:
    """What ``fit`` trains: ``model`` behind a gaussian-noise layer on its (standardised) inputs when
    ``stddev`` > 0, else ``model`` itself. The two share their weights, so the model stored and deployed
    is ``model``, without the layer (noise is a training-time regulariser only)."""
    if stddev <= 0:
        return model
    inputs = keras.Input(shape=model.input_shape[1:], name="training_features")
    noisy = keras.layers.GaussianNoise(stddev, seed=seed, name="input_noise")(inputs)
    return keras.Model(inputs, model(noisy), name="tinystudio_training")


def one_hot(classes: int) -> Callable[[np.ndarray], np.ndarray]:
    """Label indices -> one-hot float32 rows (what a loss with label smoothing takes)."""
    return lambda y: np.eye(classes, dtype=np.float32)[np.asarray(y, dtype=np.int64)]


def learning_rate_at(epoch: int, base: float, epochs: int, schedule: str, warmup: int) -> float:
    """The learning rate of ``epoch`` (0-based): linear warm-up over ``warmup`` epochs (at most half),
    then constant or cosine decay to a tenth of ``base`` at the last epoch."""
    warmup = min(max(0, warmup), epochs // 2)
    if epoch < warmup:
        return base * (epoch + 1) / (warmup + 1)
    if schedule != "cosine":
        return base
    span = max(1, epochs - warmup - 1)
    t = min(1.0, (epoch - warmup) / span)
    return base * (0.1 + 0.9 * 0.5 * (1.0 + float(np.cos(np.pi * t))))


def model_to_bytes(model: Any) -> bytes:
    """The Keras model as the bytes of a .keras file (zip of config + weights; no pickle).

    The format is named explicitly: tf_keras otherwise decides from a thread-local flag that its own
    save/load restore to False in threads other than the one that imported it, silently writing HDF5.
    """
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "model.keras"
        model.save(str(path), save_format="keras_v3")
        return path.read_bytes()


def model_from_bytes(data: bytes) -> Any:
    """Load a model stored by ``model_to_bytes`` (tf_keras)."""
    keras = import_keras()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "model.keras"
        path.write_bytes(data)
        return keras.models.load_model(path, compile=False)


def float_tflite(model: Any) -> bytes:
    """A float32 .tflite export of a tf_keras model."""
    import_keras()
    import tensorflow as tf

    converter = tf.lite.TFLiteConverter.from_keras_model(model)
    with quiet_native_stderr():
        return bytes(converter.convert())


def predict(model: Any, x: np.ndarray) -> np.ndarray:
    """Predicted label indices for standardised features ``x``."""
    if len(x) == 0:
        return np.zeros(0, dtype=np.int64)
    return np.argmax(model.predict(x, batch_size=256, verbose=0), axis=1).astype(np.int64)


def train(
    project: Project,
    impulse: ImpulseConfig,
    progress: Progress | None = None,
    cancel: CancelToken | None = None,
    on_epoch: Callable[[EpochStats], None] | None = None,
    name: str = "",
) -> TrainResult:
    """Train ``impulse`` on the project's train split, evaluate validation and test, store a run (a tree
    preset also stores its variant at once: see core/classical/training.py).

    The same impulse (including its seed) on the same data gives the same metrics.
    """
    if is_classical(impulse.model.preset):  # trees: fitted by scikit-learn, stored with their variant
        from tinystudio.core.classical.training import train_classical

        return train_classical(project, impulse, progress, cancel, name)
    progress = progress or no_progress
    cancel = cancel or CancelToken()
    started = time.perf_counter()
    data = prepare_data(project, impulse, lambda f, m: progress(0.1 * f, m), cancel)
    m = impulse.model
    classes = len(data.labels)
    spec = model_spec(m.preset, m.params, data.block.output_shape, classes)
    if len(data.x["train"]) < 2:
        raise UserError("the train split needs at least two windows")
    progress(0.1, "loading TensorFlow")
    cancel.raise_if_cancelled()
    keras = seeded_keras(m.seed)
    model = build_keras(spec, m.seed)
    resolved = resolve_model_params(m.preset, m.params)
    fitted = with_input_noise(keras, model, float(resolved.get("input_noise") or 0.0), m.seed)
    smoothing = float(resolved.get("label_smoothing") or 0.0)
    targets = one_hot(classes) if smoothing > 0 else (lambda y: y)
    fitted.compile(optimizer=keras.optimizers.Adam(learning_rate=m.learning_rate),
                   loss=keras.losses.CategoricalCrossentropy(label_smoothing=smoothing) if smoothing > 0
                   else "sparse_categorical_crossentropy", metrics=["accuracy"])
    has_val = len(data.x["validation"]) > 0
    curves: dict[str, list[float]] = {"loss": [], "accuracy": [], "val_loss": [], "val_accuracy": []}

    class _Hooks(cancellable_callback(keras, cancel)):  # type: ignore[misc]
        def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
            logs = logs or {}
            stats = EpochStats(
                epoch + 1, m.epochs, float(logs.get("loss", np.nan)), float(logs.get("accuracy", np.nan)),
                float(logs["val_loss"]) if "val_loss" in logs else None,
                float(logs["val_accuracy"]) if "val_accuracy" in logs else None,
            )
            curves["loss"].append(stats.loss)
            curves["accuracy"].append(stats.accuracy)
            if stats.val_loss is not None:
                curves["val_loss"].append(stats.val_loss)
                curves["val_accuracy"].append(float(stats.val_accuracy or 0.0))
            val = f", val_acc {stats.val_accuracy:.3f}" if stats.val_accuracy is not None else ""
            progress(0.12 + 0.83 * (epoch + 1) / m.epochs,
                     f"epoch {epoch + 1}/{m.epochs}: loss {stats.loss:.4f}, acc {stats.accuracy:.3f}{val}")
            if on_epoch is not None:
                on_epoch(stats)
            if cancel.cancelled:
                self.cancelled = True
                self.model.stop_training = True

    hooks = _Hooks()
    callbacks: list[Any] = [hooks]
    if m.early_stopping > 0:
        callbacks.append(keras.callbacks.EarlyStopping(
            monitor="val_loss" if has_val else "loss", patience=m.early_stopping, restore_best_weights=True))
    if m.lr_schedule != "constant" or m.warmup_epochs > 0:
        callbacks.append(keras.callbacks.LearningRateScheduler(
            lambda epoch, lr: learning_rate_at(epoch, m.learning_rate, m.epochs, m.lr_schedule, m.warmup_epochs)))
    weights = class_weights(data.y["train"], classes, m.class_weights, data.labels)
    progress(0.11, "augmenting the train windows" if m.augment else "preparing the train split")
    x_train, y_train, augmentation = augmented_train(data, impulse, cancel)
    fitted.fit(
        x_train, targets(y_train),
        validation_data=(data.x["validation"], targets(data.y["validation"])) if has_val else None,
        epochs=m.epochs, batch_size=m.batch_size, shuffle=True, class_weight=weights,
        callbacks=callbacks, verbose=0,
    )
    if hooks.cancelled:
        raise Cancelled("training cancelled")
    progress(0.96, "evaluating")
    results: dict[str, Evaluation | None] = {}
    for split in ("train", "validation", "test"):
        x = data.x[split]
        results[split] = evaluate(data.y[split], predict(model, x), data.labels) if len(x) else None
    model_bytes = model_to_bytes(model)
    config = run_config(impulse, data, spec.summary(), [vars(layer) for layer in spec.layers], weights)
    config["augmentation"] = augmentation
    config["lr_schedule"] = {"schedule": m.lr_schedule, "warmup_epochs": min(m.warmup_epochs, m.epochs // 2),
                             "learning_rate": m.learning_rate}
    metrics = run_metrics(results, spec.summary(), data, len(curves["loss"]))
    metrics["timing"] = {"train_seconds": round(time.perf_counter() - started, 3)}
    run_id = project.add_run(RUN_KIND, config, metrics, curves, model_bytes, name=name)
    progress(1.0, f"run {run_id} stored")
    return TrainResult(run_id, config, metrics, curves, results["validation"], results["test"])


def run_config(impulse: ImpulseConfig, data: PreparedData, size: dict[str, int], layers: list[dict[str, Any]],
               weights: dict[int, float]) -> dict[str, Any]:
    """Everything needed to rebuild the pipeline on the host or the device."""
    w = data.windows
    return {
        "impulse": impulse.to_dict(),
        "labels": list(data.labels),
        "rate_hz": w.rate_hz,
        "axis_names": list(w.axis_names),
        "window_frames": w.window_frames,
        "stride_frames": w.stride_frames,
        "dsp": data.block.describe(),
        "normalization": data.normalization.to_dict(),
        "model": {"input_shape": list(data.block.output_shape), **size, "layers": layers},
        "class_weights": {data.labels[i]: v for i, v in weights.items()},
        "dataset": {s: {"windows": len(data.y[s]), "samples": int(len(set(w.splits[s].sample_ids.tolist())))}
                    for s in data.y},
    }


def run_metrics(results: dict[str, Evaluation | None], size: dict[str, int], data: PreparedData,
                epochs_run: int) -> dict[str, Any]:
    out: dict[str, Any] = {
        "epochs_run": epochs_run,
        "params": size["params"],
        "macs": size["macs"],
        "dsp_ops": int(data.block.ops()),
    }
    for split, ev in results.items():
        out[split] = ev.to_dict() if ev else None
        out[f"{split}_accuracy"] = ev.accuracy if ev else None
    return out


def load_run_model(project: Project, run_id: int) -> Any:
    """The trained tf_keras model of a stored training run."""
    run = project.run(run_id)
    if not run.model:
        raise UserError(f"run {run_id} has no stored model")
    return model_from_bytes(run.model)

