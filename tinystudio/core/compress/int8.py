"""From a float Keras model of a run to a full-integer int8 .tflite, as every compression method ends.

The model is converted as it was trained, on standardised features, and the run's per-channel
standardisation is recorded in the .tflite (core/input_standardisation.py): the variant still takes the DSP
block's output, and the board runs DSP -> standardise (float32) -> quantize -> model, as the host reference
does. Standardising before the quantization gives the int8 input one scale that suits every feature, even
when the sensors' units differ by orders of magnitude. Calibration uses windows of the train split.
TensorFlow is imported only when a conversion starts.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from tinystudio.core.errors import UserError
from tinystudio.core.features import Normalization

INPUT_DSP_FEATURES = "dsp_features"  # the variant takes the DSP output as is (standardisation in or before it)
INPUT_STANDARDISED_BEFORE_QUANTIZATION = "before_quantization"
"""A variant config's "standardisation": the .tflite carries it and it runs before the input quantization.
Variants stored before it have no such key: their standardisation is folded into the model's first layer."""
REPRESENTATIVE_MAX = 300
REPRESENTATIVE_SEED = 0


def fold_normalization(model: Any, normalization: Normalization) -> Any:
    """A tf_keras model taking unstandardised features: x * (1/std) + (-mean/std), then ``model`` (how int8
    variants were made before the standardisation moved in front of the quantization; kept for comparison)."""
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
