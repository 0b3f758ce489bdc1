"""Builds a ``ModelSpec`` as a tf_keras (legacy Keras 2) model, the one Keras flavour of the pipeline,
so that pruning and quantization-aware training from tensorflow-model-optimization accept it."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from tinystudio.core.models.spec import ModelSpec


def import_keras() -> Any:
    """Import tf_keras (and TensorFlow) lazily, with legacy Keras selected for tf.keras as well.

    TensorFlow's native start-up chatter (CUDA probes, oneDNN notices) is written to file descriptor 2
    before its log level applies, so the first import and runtime start run with that descriptor
    pointed at /dev/null; Python errors still surface as exceptions.
    """
    os.environ.setdefault("TF_USE_LEGACY_KERAS", "1")
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")  # native errors also surface as Python exceptions
    if "tf_keras" in sys.modules:
        return sys.modules["tf_keras"]
    with quiet_native_stderr():
        import tensorflow as tf
        import tf_keras

        try:  # single-threaded ops: reproducible and polite to the GUI on small machines
            tf.config.threading.set_intra_op_parallelism_threads(1)
            tf.config.threading.set_inter_op_parallelism_threads(1)
        except RuntimeError:
            pass
        tf.constant(0) + 1  # starts the runtime, which prints the rest of the chatter
    return tf_keras


def seeded_keras(seed: int) -> Any:
    """tf_keras with single-threaded, deterministic ops and seeded initialisers: the same settings and data
    give the same model (training and every compression method start here)."""
    keras = import_keras()
    import tensorflow as tf

    try:
        tf.config.threading.set_intra_op_parallelism_threads(1)
        tf.config.threading.set_inter_op_parallelism_threads(1)
    except RuntimeError:
        pass  # already initialised in this process; determinism below still holds
    tf.config.experimental.enable_op_determinism()
    keras.utils.set_random_seed(seed)
    return keras


def cancellable_callback(keras: Any, cancel: Any) -> Any:
    """A Keras callback base class that stops ``fit`` after the batch in which ``cancel`` is set and
    remembers it in ``cancelled`` (subclasses add what they report per epoch)."""

    class Cancellable(keras.callbacks.Callback):  # type: ignore[misc, name-defined]
        cancelled = False

        def on_train_batch_end(self, batch: int, logs: dict | None = None) -> None:
            if cancel.cancelled:
                self.cancelled = True
                self.model.stop_training = True

    return Cancellable


@contextmanager
def quiet_native_stderr() -> Iterator[None]:
    sys.stderr.flush()
    try:
        saved = os.dup(2)
    except OSError:  # no descriptor 2 (some GUI launchers): nothing to silence
        yield
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    try:
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(devnull)


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
            decay = keras.regularizers.l2(float(a["l2"])) if a.get("l2") else None
            x = L.Dense(a["units"], activation=a.get("activation"), kernel_initializer=kinit(),
                        kernel_regularizer=decay, name=name)(x)
    return keras.Model(inputs, x, name="tinystudio_model")
