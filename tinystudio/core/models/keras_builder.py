"""Builds a ``ModelSpec`` as a tf_keras (legacy Keras 2) model, the one Keras flavour of the pipeline,
so that pruning and quantization-aware training from tensorflow-model-optimization accept it."""

from __future__ import annotations

import os
from typing import Any

from tinystudio.core.models.spec import ModelSpec


def import_keras() -> Any:
    """Import tf_keras (and TensorFlow) lazily, with legacy Keras selected for tf.keras as well."""
    os.environ.setdefault("TF_USE_LEGACY_KERAS", "1")
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    import tf_keras

    return tf_keras


def build_keras(spec: ModelSpec, seed: int = 1) -> Any:
    """A tf_keras Sequential-like functional model for ``spec`` (weights initialised from ``seed``)."""
    keras = import_keras()
    L = keras.layers
    init = 0

    def kinit() -> Any:
        nonlocal init
        init += 1
        return keras.initializers.GlorotUniform(seed=seed * 1000 + init)

    inputs = keras.Input(shape=spec.input_shape, name="features")
    x = inputs
    for i, layer in enumerate(spec.layers):
        a, t, name = layer.args, layer.type, f"{layer.type}_{i}"
        if t == "reshape":
            x = L.Reshape(tuple(a["shape"]), name=name)(x)
        elif t == "conv2d":
            x = L.Conv2D(a["filters"], tuple(a["kernel"]), padding="same", activation=a.get("activation"),
                         kernel_initializer=kinit(), name=name)(x)
        elif t == "depthwise2d":
            x = L.DepthwiseConv2D(tuple(a["kernel"]), padding="same", activation=a.get("activation"),
                                  depthwise_initializer=kinit(), name=name)(x)
        elif t == "maxpool2d":
            x = L.MaxPooling2D(tuple(a["pool"]), name=name)(x)
        elif t == "gap2d":
            x = L.GlobalAveragePooling2D(name=name)(x)
        elif t == "flatten":
            x = L.Flatten(name=name)(x)
        elif t == "dropout":
            x = L.Dropout(a["rate"], seed=seed + i, name=name)(x)
        elif t == "dense":
            x = L.Dense(a["units"], activation=a.get("activation"), kernel_initializer=kinit(), name=name)(x)
    return keras.Model(inputs, x, name="tinystudio_model")
