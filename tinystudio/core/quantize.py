"""Full-integer int8 post-training quantization of a training run, stored as a model variant.

The run's per-channel standardisation is folded into the model (a multiply-add in front of it), so the
int8 model takes the DSP block's output as it is: the board runs DSP -> quantize -> model with nothing
else in between. Calibration uses windows of the train split; the variant's metrics include the int8
accuracy on the test split measured with TensorFlow Lite Micro's reference kernels (what the board runs).
TensorFlow is imported only when a conversion starts.
"""

from __future__ import annotations

import time
import warnings
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from tinystudio.core.errors import UserError
from tinystudio.core.evaluate import evaluate
from tinystudio.core.features import Normalization
from tinystudio.core.int8_reference import Int8Reference
from tinystudio.core.pipeline_data import pipeline_data
from tinystudio.core.progress import CancelToken, Progress, no_progress

if TYPE_CHECKING:
    from tinystudio.core.store import Project

VARIANT_KIND = "int8_ptq"
INPUT_DSP_FEATURES = "dsp_features"  # the model takes the DSP output as is (standardisation folded in)
REPRESENTATIVE_MAX = 300
REPRESENTATIVE_SEED = 0


@dataclass
class QuantizeResult:
    variant_id: int
    tflite: bytes
    config: dict[str, Any]
    metrics: dict[str, Any]


def fold_normalization(model: Any, normalization: Normalization) -> Any:
    """A tf_keras model taking unstandardised features: x * (1/std) + (-mean/std), then ``model``."""
    from tinystudio.core.models.keras_builder import import_keras

    keras = import_keras()
    shape = tuple(int(d) for d in model.input_shape[1:])
    scale = (1.0 / normalization.std.astype(np.float64)).astype(np.float32)
    offset = (-normalization.mean.astype(np.float64) / normalization.std).astype(np.float32)
    if scale.shape[-1] != shape[-1]:
        raise UserError(f"the run's standardisation has {scale.shape[-1]} channels but the model takes {shape}")
    inputs = keras.Input(shape=shape, name="dsp_features")
    x = keras.layers.Rescaling(scale=scale, offset=offset, name="standardise")(inputs)
    return keras.Model(inputs, model(x), name="tinystudio_deploy")


def representative_set(features: np.ndarray, limit: int = REPRESENTATIVE_MAX) -> np.ndarray:
    """Up to ``limit`` train windows, drawn reproducibly."""
    if len(features) == 0:
        raise UserError("the train split has no windows to calibrate the int8 model with")
    rng = np.random.default_rng(REPRESENTATIVE_SEED)
    order = rng.permutation(len(features))[:limit]
    return np.asarray(features[np.sort(order)], dtype=np.float32)


def convert_int8(model: Any, representative: np.ndarray) -> bytes:
    """Full-integer int8 .tflite (int8 input and output, builtin int8 ops only)."""
    from tinystudio.core.models.keras_builder import import_keras, quiet_native_stderr

    import_keras()
    import tensorflow as tf

    def samples() -> Any:
        for x in representative:
            yield [x[None, ...].astype(np.float32)]

    converter = tf.lite.TFLiteConverter.from_keras_model(model)
    converter.optimizations = [tf.lite.Optimize.DEFAULT]
    converter.representative_dataset = samples
    converter.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS_INT8]
    converter.inference_input_type = tf.int8
    converter.inference_output_type = tf.int8
    try:
        with quiet_native_stderr(), warnings.catch_warnings():
            warnings.filterwarnings("ignore", message="Statistics for quantized inputs")  # int8 in/out is meant
            return bytes(converter.convert())
    except Exception as exc:  # the converter raises many types; the first line is what matters
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise UserError(f"int8 conversion failed: {first}") from None


def quantize_run(
    project: Project,
    run_id: int,
    progress: Progress | None = None,
    cancel: CancelToken | None = None,
    name: str = "",
) -> QuantizeResult:
    """Quantize run ``run_id`` to int8, measure it on the test split with TFLM, store it as a variant."""
    from tinystudio.core.training import load_run_model, predict

    progress = progress or no_progress
    cancel = cancel or CancelToken()
    started = time.perf_counter()
    progress(0.0, "preparing data")
    data = pipeline_data(project, run_id)
    train = data.features("train", cancel)
    test = data.features("test", cancel)
    cancel.raise_if_cancelled()
    progress(0.2, "loading the trained model")
    model = load_run_model(project, run_id)
    deploy_model = fold_normalization(model, data.normalization)
    cancel.raise_if_cancelled()
    progress(0.35, "converting to int8")
    rep = representative_set(train)
    tflite = convert_int8(deploy_model, rep)
    cancel.raise_if_cancelled()
    progress(0.8, "measuring int8 accuracy with TFLite Micro")
    ref = Int8Reference(tflite)
    metrics: dict[str, Any] = {"tflite_bytes": len(tflite)}
    if len(test):
        int8_pred = ref.predict(test)
        float_pred = predict(model, data.normalization.apply(test))
        int8_eval = evaluate(data.y["test"], int8_pred, data.labels)
        metrics.update({
            "test": int8_eval.to_dict(),
            "test_accuracy": int8_eval.accuracy,
            "float_test_accuracy": evaluate(data.y["test"], float_pred, data.labels).accuracy,
            "agreement_with_float": float(np.mean(int8_pred == float_pred)),
        })
    else:
        metrics.update({"test": None, "test_accuracy": None, "float_test_accuracy": None})
    metrics["timing"] = {"quantize_seconds": round(time.perf_counter() - started, 3)}
    run_config = project.run(run_id).config
    config = {
        "kind": VARIANT_KIND,
        "run_id": run_id,
        "input": INPUT_DSP_FEATURES,
        "labels": data.labels,
        "impulse": run_config.get("impulse"),
        "dsp": run_config.get("dsp"),
        "representative_windows": len(rep),
        "input_shape": list(ref.input_shape),
        "input_quant": list(ref.input_quant),
        "output_quant": list(ref.output_quant),
    }
    variant_id = project.add_variant(run_id, name or f"run {run_id} int8", tflite, config, metrics)
    progress(1.0, f"variant {variant_id} stored")
    return QuantizeResult(variant_id, tflite, config, metrics)


def latest_int8_variant(project: Project, run_id: int) -> dict[str, Any] | None:
    """The newest int8 variant of ``run_id`` made by ``quantize_run``, if any."""
    found = [v for v in project.variants(run_id) if v["config"].get("kind") == VARIANT_KIND]
    return found[-1] if found else None
