"""Deterministic full-integer int8 .tflite models for tests and benchmarks, cached on disk.

Each builder makes a small Keras (tf_keras) model with seeded weights, converts it with a seeded
representative dataset to int8 in / int8 out, and returns the .tflite bytes. Results are cached under
``$TINYSTUDIO_SUITE_CACHE`` (default: a folder in the system temp dir) keyed by a hash of the builder's
source, so repeated runs do not import TensorFlow at all.

Public API: ``build(name) -> bytes``, ``OP_MODELS`` / ``APP_MODELS`` (name -> builder), and the
application models by name: ``motion_cnn_1d()``, ``ds_cnn_kws()``, ``dense_autoencoder()``, ``resnet8()``.
"""

from __future__ import annotations

import hashlib
import inspect
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

CACHE_VERSION = "1"


def cache_dir() -> Path:
    """Folder holding cached .tflite files (created on demand)."""
    root = os.environ.get("TINYSTUDIO_SUITE_CACHE")
    path = Path(root) if root else Path(tempfile.gettempdir()) / "tinystudio-suite-models"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _keras() -> Any:
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    import tf_keras

    return tf_keras


def _seed(seed: int) -> Any:
    keras = _keras()
    keras.utils.set_random_seed(seed)
    return keras


def _randomize_batchnorm(model: Any, seed: int) -> None:
    """Give BatchNormalization layers non-trivial statistics so folding them is exercised."""
    rng = np.random.default_rng(seed)
    for layer in model.layers:
        if layer.__class__.__name__ == "BatchNormalization":
            gamma, beta, mean, var = layer.get_weights()
            layer.set_weights(
                [
                    rng.uniform(0.5, 1.5, gamma.shape).astype(np.float32),
                    rng.normal(0, 0.2, beta.shape).astype(np.float32),
                    rng.normal(0, 0.2, mean.shape).astype(np.float32),
                    rng.uniform(0.5, 1.5, var.shape).astype(np.float32),
                ]
            )


def _convert(model: Any, seed: int, samples: int = 32) -> bytes:
    """Full-integer int8 conversion with a seeded representative dataset."""
    import tensorflow as tf

    rng = np.random.default_rng(seed)
    shape = tuple(int(d) for d in model.inputs[0].shape[1:])
    data = rng.normal(0.0, 1.0, size=(samples, *shape)).astype(np.float32)

    def representative() -> Any:
        for row in data:
            yield [row[None]]

    converter = tf.lite.TFLiteConverter.from_keras_model(model)
    converter.optimizations = [tf.lite.Optimize.DEFAULT]
    converter.representative_dataset = representative
    converter.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS_INT8]
    converter.inference_input_type = tf.int8
    converter.inference_output_type = tf.int8
    return bytes(converter.convert())


def _single(
    shape: tuple[int, ...], body: Callable[[Any, Any], Any], seed: int = 1, static_batch: bool = False
) -> bytes:
    """Build Input(shape) -> body(keras, x) -> output and convert it.

    With ``static_batch`` the batch dimension is fixed to 1, so Dense on N-D inputs converts to plain
    RESHAPE + FULLY_CONNECTED instead of SHAPE/GATHER/REDUCE_PROD plumbing (which TFLM cannot run).
    """
    keras = _seed(seed)
    inp = keras.Input(shape, batch_size=1 if static_batch else None)
    out = body(keras, inp)
    model = keras.Model(inp, out)
    _randomize_batchnorm(model, seed)
    return _convert(model, seed)


# ---------------------------------------------------------------- per-op models (tiny)


def conv2d_same_relu() -> bytes:
    return _single((9, 9, 3), lambda k, x: k.layers.Conv2D(4, 3, padding="same", activation="relu")(x))


def conv2d_valid_stride2_relu6() -> bytes:
    return _single((11, 10, 3), lambda k, x: k.layers.Conv2D(5, 3, strides=2, padding="valid", activation="relu6")(x))


def conv2d_same_stride2_even() -> bytes:
    return _single((8, 10, 2), lambda k, x: k.layers.Conv2D(6, (3, 2), strides=(2, 3), padding="same")(x))


def _edit(buf: bytes, change: Callable[[Any], None]) -> bytes:
    """Edit a converted model in flatbuffer object form (for ops/options the converter never emits)."""
    import flatbuffers
    from tflite_micro.tensorflow.lite.micro.python import schema_py_generated as schema

    model = schema.ModelT.InitFromPackedBuf(buf, 0)
    change(model)
    builder = flatbuffers.Builder(len(buf) + 1024)
    builder.Finish(model.Pack(builder), file_identifier=b"TFL3")
    return bytes(builder.Output())


def _set_dilation(model: Any) -> None:
    for op in model.subgraphs[0].operators:
        op.builtinOptions.dilationWFactor = 2
        op.builtinOptions.dilationHFactor = 2


def _append_op(model: Any, builtin: int, out_type: int, scale: float, zero_point: int) -> None:
    """Append a unary op after the subgraph output; its result becomes the new output."""
    from tflite_micro.tensorflow.lite.micro.python import schema_py_generated as schema

    graph = model.subgraphs[0]
    src = graph.tensors[graph.outputs[0]]
    code = schema.OperatorCodeT()
    code.builtinCode = builtin
    code.deprecatedBuiltinCode = min(builtin, 127)
    code.version = 1
    model.operatorCodes.append(code)
    buffer = schema.BufferT()
    model.buffers.append(buffer)
    tensor = schema.TensorT()
    tensor.shape = list(src.shape)
    tensor.type = out_type
    tensor.buffer = len(model.buffers) - 1
    tensor.name = f"appended_{len(graph.tensors)}".encode()
    if out_type == schema.TensorType.INT8:
        quant = schema.QuantizationParametersT()
        quant.scale = [scale]
        quant.zeroPoint = [zero_point]
        tensor.quantization = quant
    graph.tensors.append(tensor)
    op = schema.OperatorT()
    op.opcodeIndex = len(model.operatorCodes) - 1
    op.inputs = [graph.outputs[0]]
    op.outputs = [len(graph.tensors) - 1]
    graph.operators.append(op)
    graph.outputs = [len(graph.tensors) - 1]


def conv2d_dilation() -> bytes:
    buf = _single((10, 10, 3), lambda k, x: k.layers.Conv2D(4, 3, padding="same", activation="relu")(x))
    return _edit(buf, _set_dilation)


def conv2d_nobias_1x1() -> bytes:
    return _single((6, 6, 8), lambda k, x: k.layers.Conv2D(16, 1, use_bias=False)(x))


def conv2d_1x1_odd_pixels_channels() -> bytes:
    return _single((5, 5, 12), lambda k, x: k.layers.Conv2D(7, 1, activation="relu")(x))


def conv1d_expand_squeeze() -> bytes:
    return _single((20, 3), lambda k, x: k.layers.Conv1D(6, 5, padding="valid", activation="relu")(x))


def depthwise_same_relu() -> bytes:
    return _single((9, 9, 4), lambda k, x: k.layers.DepthwiseConv2D(3, padding="same", activation="relu")(x))


def depthwise_stride2_mult2() -> bytes:
    return _single(
        (10, 9, 3), lambda k, x: k.layers.DepthwiseConv2D(3, strides=2, depth_multiplier=2, padding="valid")(x)
    )


def depthwise_dilation() -> bytes:
    buf = _single((11, 11, 5), lambda k, x: k.layers.DepthwiseConv2D(3, padding="same")(x))
    return _edit(buf, _set_dilation)


def depthwise_stride2_same_relu6() -> bytes:
    return _single(
        (9, 8, 6), lambda k, x: k.layers.DepthwiseConv2D(3, strides=2, padding="same", activation="relu6")(x)
    )


def fully_connected_relu() -> bytes:
    return _single((10,), lambda k, x: k.layers.Dense(7, activation="relu")(x))


def fully_connected_nobias() -> bytes:
    return _single((12,), lambda k, x: k.layers.Dense(6, use_bias=False)(x))


def fully_connected_3d() -> bytes:
    return _single((5, 6), lambda k, x: k.layers.Dense(4)(x), static_batch=True)


def fully_connected_3d_dynamic_batch() -> bytes:
    """Dense on a 3-D input with a dynamic batch: SHAPE/GATHER/REDUCE_PROD/PACK feed RESHAPE (not TFLM-runnable)."""
    return _single((5, 6), lambda k, x: k.layers.Dense(4)(x))


def flatten_dense() -> bytes:
    return _single((4, 4, 3), lambda k, x: k.layers.Dense(5)(k.layers.Flatten()(x)))


def avg_pool_valid() -> bytes:
    return _single((8, 8, 3), lambda k, x: k.layers.AveragePooling2D(2)(x))


def avg_pool_same_stride() -> bytes:
    return _single((9, 7, 3), lambda k, x: k.layers.AveragePooling2D(3, strides=2, padding="same")(x))


def max_pool_valid() -> bytes:
    return _single((8, 8, 3), lambda k, x: k.layers.MaxPooling2D(2)(x))


def max_pool_same_stride() -> bytes:
    return _single((9, 7, 3), lambda k, x: k.layers.MaxPooling2D(3, strides=2, padding="same")(x))


def max_pool_1d_same() -> bytes:
    """MaxPooling1D as Keras converts it (EXPAND_DIMS, MAX_POOL_2D on N x L x 1 x C, SQUEEZE): 12 channels."""
    return _single((23, 12), lambda k, x: k.layers.MaxPooling1D(3, strides=2, padding="same")(x))


def max_pool_along_height() -> bytes:
    """A (3, 1) window on a 2-D input: the code generator joins the unpooled width to the channels."""
    return _single((12, 5, 4), lambda k, x: k.layers.MaxPooling2D((3, 1), strides=(2, 1), padding="same")(x))


def max_pool_along_width_relu() -> bytes:
    """A (1, 3) window on a 2-D input (the height joins the batches), 6 channels (a word and a tail), the
    ReLU after it fused into the pool's activation range."""
    return _single((3, 10, 6), lambda k, x: k.layers.ReLU()(k.layers.MaxPooling2D((1, 3), strides=(1, 2))(x)))


def max_pool_2d_clamped() -> bytes:
    """A 2-D window over 8 channels (two words) with a fused RELU_N1_TO_1, so both ends of the range clamp."""
    from tflite_micro.tensorflow.lite.micro.python import schema_py_generated as schema

    def clamp(model: Any) -> None:
        model.subgraphs[0].operators[0].builtinOptions.fusedActivationFunction = (
            schema.ActivationFunctionType.RELU_N1_TO_1
        )

    buf = _single((9, 7, 8), lambda k, x: k.layers.MaxPooling2D(3, strides=2, padding="same")(x))
    return _edit(buf, clamp)


def mean_gap2d() -> bytes:
    return _single((6, 5, 4), lambda k, x: k.layers.GlobalAveragePooling2D()(x))


def mean_gap1d() -> bytes:
    return _single((12, 5), lambda k, x: k.layers.GlobalAveragePooling1D()(x))


def mean_last_axis_keepdims() -> bytes:
    import tensorflow as tf

    return _single((6, 5), lambda k, x: k.layers.Lambda(lambda t: tf.reduce_mean(t, axis=-1, keepdims=True))(x))


def add_two_branches() -> bytes:
    def body(k: Any, x: Any) -> Any:
        a = k.layers.Dense(6)(x)
        b = k.layers.Dense(6, activation="relu")(x)
        return k.layers.Add()([a, b])

    return _single((8,), body)


def add_relu_broadcast() -> bytes:
    import tensorflow as tf

    def body(k: Any, x: Any) -> Any:
        a = k.layers.Conv2D(4, 1)(x)
        b = k.layers.GlobalAveragePooling2D(keepdims=True)(x)
        b = k.layers.Conv2D(4, 1)(b)
        return k.layers.Lambda(lambda t: tf.nn.relu(t[0] + t[1]))([a, b])

    return _single((5, 4, 3), body)


def mul_two_branches() -> bytes:
    def body(k: Any, x: Any) -> Any:
        a = k.layers.Dense(6)(x)
        b = k.layers.Dense(6, activation="sigmoid")(x)
        return k.layers.Multiply()([a, b])

    return _single((8,), body)


def mul_broadcast_const() -> bytes:
    import tensorflow as tf

    scale = np.linspace(-2.0, 3.0, 4).astype(np.float32)
    return _single((5, 4), lambda k, x: k.layers.Lambda(lambda t: t * tf.constant(scale))(x))


def sub_two_branches() -> bytes:
    def body(k: Any, x: Any) -> Any:
        a = k.layers.Dense(6)(x)
        b = k.layers.Dense(6, activation="tanh")(x)
        return k.layers.Subtract()([a, b])

    return _single((8,), body)


def reshape_layer_dynamic_batch() -> bytes:
    """Keras Reshape with a dynamic batch: SHAPE + STRIDED_SLICE + PACK feed RESHAPE (not TFLM-runnable)."""
    return _single((6, 4), lambda k, x: k.layers.Dense(3)(k.layers.Reshape((4, 6))(k.layers.Dense(4)(x))))


def reshape_layer() -> bytes:
    return _single(
        (6, 4), lambda k, x: k.layers.Dense(3)(k.layers.Reshape((4, 6))(k.layers.Dense(4)(x))), static_batch=True
    )


def expand_squeeze_lambda() -> bytes:
    import tensorflow as tf

    def body(k: Any, x: Any) -> Any:
        y = k.layers.Lambda(lambda t: tf.expand_dims(t, 2))(x)
        y = k.layers.Conv2D(4, 1)(y)
        return k.layers.Lambda(lambda t: tf.squeeze(t, 2))(y)

    return _single((7, 3), body)


def softmax_dense() -> bytes:
    return _single((10,), lambda k, x: k.layers.Dense(8, activation="softmax")(x))


def softmax_3d() -> bytes:
    return _single((4, 6), lambda k, x: k.layers.Softmax()(k.layers.Dense(5)(x)), static_batch=True)


def logistic() -> bytes:
    return _single((10,), lambda k, x: k.layers.Activation("sigmoid")(k.layers.Dense(16)(x)))


def tanh() -> bytes:
    return _single((10,), lambda k, x: k.layers.Activation("tanh")(k.layers.Dense(16)(x)))


def relu() -> bytes:
    return _single((6, 3), lambda k, x: k.layers.ReLU()(x))


def relu6() -> bytes:
    return _single((6, 3), lambda k, x: k.layers.ReLU(6.0)(x))


def quantize_requantize() -> bytes:
    from tflite_micro.tensorflow.lite.micro.python import schema_py_generated as schema

    buf = _single((10,), lambda k, x: k.layers.Dense(7)(x))
    return _edit(buf, lambda m: _append_op(m, schema.BuiltinOperator.QUANTIZE, schema.TensorType.INT8, 0.021, 9))


def dequantize_quantize() -> bytes:
    from tflite_micro.tensorflow.lite.micro.python import schema_py_generated as schema

    def change(model: Any) -> None:
        _append_op(model, schema.BuiltinOperator.DEQUANTIZE, schema.TensorType.FLOAT32, 0.0, 0)
        _append_op(model, schema.BuiltinOperator.QUANTIZE, schema.TensorType.INT8, 0.037, -5)

    return _edit(_single((10,), lambda k, x: k.layers.Dense(7)(x)), change)


def leaky_relu() -> bytes:
    return _single((6, 3), lambda k, x: k.layers.LeakyReLU(0.2)(k.layers.Dense(5)(x)), static_batch=True)


def hard_swish() -> bytes:
    import tensorflow as tf

    def body(k: Any, x: Any) -> Any:
        y = k.layers.Dense(8)(x)
        return k.layers.Lambda(lambda t: t * tf.nn.relu6(t + 3.0) * (1.0 / 6.0))(y)

    return _single((6, 3), body, static_batch=True)


def pad_zero() -> bytes:
    return _single((5, 4, 3), lambda k, x: k.layers.Conv2D(2, 1)(k.layers.ZeroPadding2D(((1, 2), (0, 1)))(x)))


def concatenation() -> bytes:
    def body(k: Any, x: Any) -> Any:
        a = k.layers.Conv2D(3, 1)(x)
        b = k.layers.Conv2D(2, 1, activation="relu")(x)
        return k.layers.Concatenate()([a, b, x])

    return _single((4, 4, 2), body)


STATIC_TWIN = {
    "fully_connected_3d_dynamic_batch": "fully_connected_3d",
    "reshape_layer_dynamic_batch": "reshape_layer",
}
"""Models TFLM cannot load (shape ops it lacks) -> the same seeded model with a static batch, which it can."""

OP_MODELS: dict[str, Callable[[], bytes]] = {
    f.__name__: f
    for f in (
        conv2d_same_relu,
        conv2d_valid_stride2_relu6,
        conv2d_same_stride2_even,
        conv2d_dilation,
        conv2d_nobias_1x1,
        conv2d_1x1_odd_pixels_channels,
        conv1d_expand_squeeze,
        depthwise_same_relu,
        depthwise_stride2_mult2,
        depthwise_dilation,
        depthwise_stride2_same_relu6,
        fully_connected_relu,
        fully_connected_nobias,
        fully_connected_3d,
        fully_connected_3d_dynamic_batch,
        flatten_dense,
        avg_pool_valid,
        avg_pool_same_stride,
        max_pool_valid,
        max_pool_same_stride,
        max_pool_1d_same,
        max_pool_along_height,
        max_pool_along_width_relu,
        max_pool_2d_clamped,
        mean_gap2d,
        mean_gap1d,
        mean_last_axis_keepdims,
        add_two_branches,
        add_relu_broadcast,
        mul_two_branches,
        mul_broadcast_const,
        sub_two_branches,
        reshape_layer,
        reshape_layer_dynamic_batch,
        expand_squeeze_lambda,
        softmax_dense,
        softmax_3d,
        logistic,
        tanh,
        relu,
        relu6,
        leaky_relu,
        hard_swish,
        pad_zero,
        concatenation,
        quantize_requantize,
        dequantize_quantize,
    )
}


# ---------------------------------------------------------------- application models


def _motion_cnn_1d() -> bytes:
    """6-axis motion classifier: 100x6 window, two Conv1D layers, 4 classes."""
    keras = _seed(11)
    inp = keras.Input((100, 6))
    x = keras.layers.Conv1D(8, 5, activation="relu")(inp)
    x = keras.layers.MaxPooling1D(2)(x)
    x = keras.layers.Conv1D(16, 5, activation="relu")(x)
    x = keras.layers.GlobalAveragePooling1D()(x)
    x = keras.layers.Dense(4, activation="softmax")(x)
    return _convert(keras.Model(inp, x), 11)


def ds_cnn(features: int) -> bytes:
    """Depthwise-separable CNN keyword spotter on 49 frames x ``features`` (MLPerf Tiny KWS shape), 12 classes."""
    keras = _seed(12)
    layers = keras.layers
    inp = keras.Input((49, features, 1))
    x = layers.Conv2D(64, (10, 4), strides=(2, 2), padding="same", use_bias=False)(inp)
    x = layers.BatchNormalization()(x)
    x = layers.ReLU()(x)
    for _ in range(4):
        x = layers.DepthwiseConv2D(3, padding="same", use_bias=False)(x)
        x = layers.BatchNormalization()(x)
        x = layers.ReLU()(x)
        x = layers.Conv2D(64, 1, use_bias=False)(x)
        x = layers.BatchNormalization()(x)
        x = layers.ReLU()(x)
    x = layers.AveragePooling2D(pool_size=(25, -(-features // 2)))(x)
    x = layers.Flatten()(x)
    x = layers.Dense(12, activation="softmax")(x)
    model = keras.Model(inp, x)
    _randomize_batchnorm(model, 12)
    return _convert(model, 12)


def _ds_cnn_kws() -> bytes:
    """The keyword spotter on 49x10 MFCC."""
    return ds_cnn(10)


def _dense_autoencoder() -> bytes:
    """Anomaly-detection autoencoder on 640 inputs (MLPerf Tiny AD shape)."""
    keras = _seed(13)
    layers = keras.layers
    inp = keras.Input((640,))
    x = inp
    for units in (128, 128, 128, 128, 8, 128, 128, 128, 128):
        x = layers.Dense(units)(x)
        x = layers.BatchNormalization()(x)
        x = layers.ReLU()(x)
    x = layers.Dense(640)(x)
    model = keras.Model(inp, x)
    _randomize_batchnorm(model, 13)
    return _convert(model, 13)


def _resnet8() -> bytes:
    """ResNet-8 for 32x32x3 images (MLPerf Tiny IC shape), 10 classes."""
    keras = _seed(14)
    layers = keras.layers
    inp = keras.Input((32, 32, 3))
    x = layers.Conv2D(16, 3, padding="same")(inp)
    x = layers.BatchNormalization()(x)
    x = layers.ReLU()(x)
    for filters, stride in ((16, 1), (32, 2), (64, 2)):
        y = layers.Conv2D(filters, 3, strides=stride, padding="same")(x)
        y = layers.BatchNormalization()(y)
        y = layers.ReLU()(y)
        y = layers.Conv2D(filters, 3, padding="same")(y)
        y = layers.BatchNormalization()(y)
        if stride != 1:
            x = layers.Conv2D(filters, 1, strides=stride, padding="same")(x)
        x = layers.ReLU()(layers.Add()([x, y]))
    x = layers.AveragePooling2D(pool_size=8)(x)
    x = layers.Flatten()(x)
    x = layers.Dense(10, activation="softmax")(x)
    model = keras.Model(inp, x)
    _randomize_batchnorm(model, 14)
    return _convert(model, 14)


APP_MODELS: dict[str, Callable[[], bytes]] = {
    f.__name__[1:]: f for f in (_motion_cnn_1d, _ds_cnn_kws, _dense_autoencoder, _resnet8)
}


def motion_cnn_1d() -> bytes:
    """Cached int8 .tflite of the 6-axis motion 1D CNN (input 1x100x6, output 1x4)."""
    return build("motion_cnn_1d")


def ds_cnn_kws() -> bytes:
    """Cached int8 .tflite of the DS-CNN keyword spotter (input 1x49x10x1, output 1x12)."""
    return build("ds_cnn_kws")


def dense_autoencoder() -> bytes:
    """Cached int8 .tflite of the dense autoencoder (input 1x640, output 1x640)."""
    return build("dense_autoencoder")


def resnet8() -> bytes:
    """Cached int8 .tflite of ResNet-8 (input 1x32x32x3, output 1x10)."""
    return build("resnet8")


# ---------------------------------------------------------------- cache


def _builder_key(name: str, builder: Callable[[], bytes]) -> str:
    parts = [CACHE_VERSION, name, inspect.getsource(builder)]
    for helper in (_convert, _single, _randomize_batchnorm, _seed, _edit, _set_dilation, _append_op):
        parts.append(inspect.getsource(helper))
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]


def build(name: str) -> bytes:
    """Return the .tflite bytes of the named suite model, building and caching it on first use."""
    builder = OP_MODELS.get(name) or APP_MODELS.get(name)
    if builder is None:
        raise KeyError(f"unknown suite model {name!r}")
    path = cache_dir() / f"{name}-{_builder_key(name, builder)}.tflite"
    if path.exists():
        return path.read_bytes()
    data = builder()
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)
    return data


def build_file(name: str) -> Path:
    """Like ``build`` but return the path of the cached .tflite file."""
    build(name)
    builder = OP_MODELS.get(name) or APP_MODELS.get(name)
    assert builder is not None
    return cache_dir() / f"{name}-{_builder_key(name, builder)}.tflite"


if __name__ == "__main__":
    import sys

    for model_name in sys.argv[1:] or [*OP_MODELS, *APP_MODELS]:
        print(model_name, len(build(model_name)))


# ---------------------------------------------------------------- pruned (sparse) models


def _pruned_dense(k: Any, x: Any, units: tuple[int, ...], sparsity: float, zero_row: bool = False,
                  zero_col: bool = False) -> Any:
    """Dense layers whose kernels get their smallest ``sparsity`` share of weights set to 0 (magnitude
    pruning before conversion); optionally one output unit (row) and one input column fully zero."""
    for i, n in enumerate(units):
        layer = k.layers.Dense(n, activation="relu" if i + 1 < len(units) else None)
        x = layer(x)
        kernel, bias = layer.get_weights()  # kernel [inputs][units]
        cut = np.quantile(np.abs(kernel), sparsity)
        kernel = np.where(np.abs(kernel) <= cut, 0.0, kernel).astype(np.float32)
        if zero_row:
            kernel[:, n // 2] = 0.0
        if zero_col:
            kernel[kernel.shape[0] // 3, :] = 0.0
        layer.set_weights([kernel, bias])
    return x


def sparse_fc_50() -> bytes:
    return _single((61,), lambda k, x: _pruned_dense(k, x, (40, 10), 0.5), seed=21)


def sparse_fc_80() -> bytes:
    return _single((64,), lambda k, x: _pruned_dense(k, x, (33, 8), 0.8), seed=22)


def sparse_fc_95() -> bytes:
    return _single((100,), lambda k, x: _pruned_dense(k, x, (48, 6), 0.95), seed=23)


def sparse_fc_zero_row() -> bytes:
    return _single((40,), lambda k, x: _pruned_dense(k, x, (24, 5), 0.7, zero_row=True), seed=24)


def sparse_fc_zero_column() -> bytes:
    return _single((40,), lambda k, x: _pruned_dense(k, x, (24, 5), 0.7, zero_col=True), seed=25)


def sparse_fc_3d() -> bytes:
    """A pruned Dense applied to each of 5 rows (batches loop of the sparse kernel)."""
    return _single((5, 30), lambda k, x: _pruned_dense(k, x, (20,), 0.8), seed=26, static_batch=True)


SPARSE_MODELS: dict[str, Callable[[], bytes]] = {
    f.__name__: f
    for f in (sparse_fc_50, sparse_fc_80, sparse_fc_95, sparse_fc_zero_row, sparse_fc_zero_column, sparse_fc_3d)
}
"""Pruned models whose FULLY_CONNECTED weights are mostly zero (sparse weight storage)."""

OP_MODELS.update(SPARSE_MODELS)
