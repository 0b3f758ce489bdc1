"""From a compressed Keras model of a run to a stored full-integer int8 variant: the same int8 conversion
(the run's standardisation recorded in the model, applied before its input quantization) as plain
quantization, then the figures every compression method reports (TFLM int8 accuracy on validation and
test, float accuracy, sizes, MACs) so variants compare like for like.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from tinystudio.core.compress.figures import model_figures
from tinystudio.core.compress.fitting import fit
from tinystudio.core.compress.int8 import (
    INPUT_DSP_FEATURES,
    INPUT_STANDARDISED_BEFORE_QUANTIZATION,
    convert_int8,
    representative_set,
)
from tinystudio.core.compress.options import CompressOptions
from tinystudio.core.errors import UserError
from tinystudio.core.evaluate import evaluate
from tinystudio.core.input_standardisation import with_standardisation
from tinystudio.core.int8_reference import Int8Reference
from tinystudio.core.models.keras_builder import seeded_keras
from tinystudio.core.pipeline_data import PipelineData, pipeline_data, run_impulse
from tinystudio.core.progress import CancelToken, Progress, no_progress

if TYPE_CHECKING:
    from tinystudio.core.store import Project, Run

SPLITS = ("train", "validation", "test")


@dataclass
class RunData:
    """A run's pipeline data: DSP features as the board computes them and standardised for the model."""

    data: PipelineData
    features: dict[str, np.ndarray]  # unstandardised (what the int8 model takes)
    x: dict[str, np.ndarray]  # standardised (what the float Keras model takes)
    y: dict[str, np.ndarray]

    @property
    def labels(self) -> list[str]:
        return self.data.labels


def load_run_data(project: Project, run_id: int, cancel: CancelToken) -> RunData:
    """Windows and features of run ``run_id``'s pipeline on the project's current samples."""
    data = pipeline_data(project, run_id)
    features = {s: data.features(s, cancel) for s in SPLITS}
    if len(features["train"]) < 2:
        raise UserError("the train split needs at least two windows to compress a model")
    x = {s: data.normalization.apply(f) for s, f in features.items()}
    return RunData(data, features, x, dict(data.y))


FIT_SHARE = (0.1, 0.7)
"""Where fine-tuning sits on a method's progress bar; conversion and measuring take the rest."""


@dataclass
class Job:
    """What every compression method starts from: its options and callbacks, the run's data and settings,
    and the steps they share (load TensorFlow and the trained model, fine-tune, store the int8 variant)."""

    project: Project
    run_id: int
    opts: CompressOptions
    progress: Progress
    cancel: CancelToken
    started: float
    rd: RunData
    run: Run
    model_cfg: Any  # the run's ModelConfig (seed, batch size, learning rate)
    method: str = ""  # set by ``compression_method``: names the variant and picks its options and epochs

    def load_tf(self) -> Any:
        """Import TensorFlow seeded for this job; returns the Keras module."""
        self.progress(0.05, "loading TensorFlow")
        return seeded_keras(self.opts.seed if self.opts.seed is not None else self.model_cfg.seed)

    def trained_model(self) -> Any:
        """The run's trained float model (tf_keras)."""
        from tinystudio.core.training import load_run_model

        return load_run_model(self.project, self.run_id)

    def fine_tune(self, keras: Any, model: Any, learning_rate: float, what: str, *, targets: Any = None,
                  loss: Any = "sparse_categorical_crossentropy", callbacks: list[Any] | None = None) -> list[float]:
        """Compile ``model`` with Adam at ``learning_rate`` and fit it on the train split (``targets``
        instead of its labels when given) for the method's epochs; the loss after each epoch."""
        metrics = ["accuracy"] if loss == "sparse_categorical_crossentropy" else None
        model.compile(optimizer=keras.optimizers.Adam(learning_rate=learning_rate), loss=loss, metrics=metrics)
        low, high = FIT_SHARE
        return fit(keras, model, self.rd.x["train"], self.rd.y["train"] if targets is None else targets,
                   self.opts.epochs_for(self.method), self.model_cfg.batch_size,
                   lambda f, msg: self.progress(low + (high - low) * f, msg), self.cancel, what,
                   callbacks=callbacks)

    def store(self, model: Any, *, options: dict[str, Any] | None = None, extra_metrics: dict[str, Any] | None = None,
              share_from: float = FIT_SHARE[1]) -> int:
        """Convert, measure and store ``model`` as this method's int8 variant; the variant id."""
        return store_int8_variant(
            self.project, self.run_id, self.rd, model, self.method,
            self.opts.for_method(self.method) if options is None else options,
            lambda f, msg: self.progress(share_from + (1 - share_from) * f, msg), self.cancel,
            extra_metrics=extra_metrics, started=self.started)


def begin(
    project: Project,
    run_id: int,
    options: CompressOptions | dict[str, Any] | None,
    progress: Progress | None,
    cancel: CancelToken | None,
) -> Job:
    """Validate the options and load run ``run_id``'s data, as each method does first."""
    opts = CompressOptions.coerce(options).validate()
    progress = progress or no_progress
    cancel = cancel or CancelToken()
    started = time.perf_counter()
    progress(0.0, "preparing data")
    rd = load_run_data(project, run_id, cancel)
    run = project.run(run_id)
    return Job(project, run_id, opts, progress, cancel, started, rd, run, run_impulse(run.config).model)


CompressMethod = Callable[
    ["Project", int, "CompressOptions | dict[str, Any] | None", "Progress | None", "CancelToken | None"], int]


def compression_method(body: Callable[[Job], int]) -> CompressMethod:
    """Turn ``body(job)`` into a method callable as ``method(project, run_id, options, progress, cancel)``:
    the options are checked and the run's data loaded (``begin``) before the body runs."""

    @functools.wraps(body)
    def method(
        project: Project,
        run_id: int,
        options: CompressOptions | dict[str, Any] | None = None,
        progress: Progress | None = None,
        cancel: CancelToken | None = None,
    ) -> int:
        job = begin(project, run_id, options, progress, cancel)
        job.method = body.__name__
        return body(job)

    return method


def float_predictions(model: Any, x: np.ndarray) -> np.ndarray:
    """The float model's class for each standardised window."""
    return np.argmax(model.predict(x, batch_size=256, verbose=0), axis=1)


def store_int8_variant(
    project: Project,
    run_id: int,
    rd: RunData,
    model: Any,
    method: str,
    options: dict[str, Any],
    progress: Progress,
    cancel: CancelToken,
    extra_metrics: dict[str, Any] | None = None,
    started: float | None = None,
    name: str = "",
) -> int:
    """Convert ``model`` (float, standardised input) to int8 taking standardised features, record the run's
    standardisation in it (so the variant takes the DSP output), measure it, store it as a variant of
    ``run_id`` and return the variant id."""
    cancel.raise_if_cancelled()
    progress(0.0, "converting to int8")
    rep = representative_set(rd.x["train"])
    tflite = with_standardisation(convert_int8(model, rep), rd.data.normalization)
    cancel.raise_if_cancelled()
    progress(0.4, "measuring int8 accuracy with TFLite Micro")
    ref = Int8Reference(tflite)
    metrics: dict[str, Any] = {"method": method, "tflite_bytes": len(tflite)}
    for split in ("validation", "test"):
        cancel.raise_if_cancelled()
        feats = rd.features[split]
        if len(feats):
            int8_pred = ref.predict(feats)
            ev = evaluate(rd.y[split], int8_pred, rd.labels)
            metrics[split] = ev.to_dict()
            metrics[f"{split}_accuracy"] = ev.accuracy
            float_pred = float_predictions(model, rd.x[split])
            metrics[f"float_{split}_accuracy"] = float(np.mean(float_pred == rd.y[split]))
            metrics[f"{split}_agreement_with_float"] = float(np.mean(int8_pred == float_pred))
        else:
            metrics[split] = None
            metrics[f"{split}_accuracy"] = None
            metrics[f"float_{split}_accuracy"] = None
    progress(0.7, "generating C to measure flash and RAM")
    figures = model_figures(tflite)
    metrics.update(figures.to_dict())
    metrics["sparsity"] = figures.weight_sparsity
    metrics.update(extra_metrics or {})
    if started is not None:
        metrics["timing"] = {"compress_seconds": round(time.perf_counter() - started, 3)}
    run_config = project.run(run_id).config
    config = {
        "kind": f"int8_{method}",
        "method": method,
        "options": dict(options),
        "run_id": run_id,
        "input": INPUT_DSP_FEATURES,
        "standardisation": INPUT_STANDARDISED_BEFORE_QUANTIZATION,
        "labels": rd.labels,
        "impulse": run_config.get("impulse"),
        "dsp": run_config.get("dsp"),
        "representative_windows": len(rep),
        "input_shape": list(ref.input_shape),
        "input_quant": list(ref.input_quant),
        "output_quant": list(ref.output_quant),
    }
    cancel.raise_if_cancelled()
    variant_id = project.add_variant(run_id, name or f"run {run_id} {method}", tflite, config, metrics)
    progress(1.0, f"variant {variant_id} stored")
    return variant_id
