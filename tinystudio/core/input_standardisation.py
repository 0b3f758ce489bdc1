"""The per-channel standardisation an int8 model applies to its float features before its input quantization,
carried inside the .tflite as a metadata entry, so that everything built from the model bytes (the TFLM
reference, the code generator, the exports) standardises the same way.

Standardising in float32 before quantizing gives the int8 input tensor features of similar spread, so its one
scale suits every feature: with the standardisation folded into the first layer instead, a feature recorded in
small units beside one in large units quantized to a few levels. A model without the entry (stored before)
takes the features as they are. The rule, on the host and on the board alike, in float32 and in this order:
``z[i] = (f[i] - mean[c]) / std[c]`` with ``c = i % channels`` (the last axis of the DSP output), then
``q = clamp(round_half_away_from_zero(z / scale) + zero_point, -128, 127)``.
"""

from __future__ import annotations

import json

import numpy as np

from tinystudio.core.errors import UserError
from tinystudio.core.features import Normalization

METADATA_NAME = "tinystudio_input_standardisation"
FORMAT_VERSION = 1


def standardise_flat(norm: Normalization, features: np.ndarray) -> np.ndarray:
    """``features`` (n, values) or (values,) standardised channel by channel (index modulo the channel count),
    in float32 exactly as the board does it."""
    x = np.asarray(features, dtype=np.float32)
    channels = int(norm.mean.size)
    if x.shape[-1] % channels:
        raise UserError(f"the features have {x.shape[-1]} values, not a multiple of the model's {channels} "
                        "standardised channels")
    rows = x.reshape(*x.shape[:-1], -1, channels)
    return ((rows - norm.mean) / norm.std).astype(np.float32).reshape(x.shape)


def _payload(norm: Normalization) -> bytes:
    mean = np.asarray(norm.mean, dtype=np.float32)
    std = np.asarray(norm.std, dtype=np.float32)
    if mean.shape != std.shape or mean.ndim != 1 or mean.size == 0:
        raise UserError("the standardisation needs one mean and one spread per channel")
    if not (np.isfinite(mean).all() and np.isfinite(std).all() and (std > 0).all()):
        raise UserError("the standardisation has a non-finite mean or a spread that is not positive")
    text = json.dumps({"version": FORMAT_VERSION, "rule": "z = (f - mean[i % channels]) / std[i % channels]",
                       "mean": [float(v) for v in mean], "std": [float(v) for v in std]})
    return text.encode("utf-8")


def with_standardisation(tflite: bytes, norm: Normalization) -> bytes:
    """The .tflite with ``norm`` recorded as its input standardisation (replacing any earlier entry)."""
    import flatbuffers
    from tflite_micro.tensorflow.lite.micro.python import schema_py_generated as schema

    model = schema.ModelT.InitFromPackedBuf(bytearray(tflite), 0)
    buffer = schema.BufferT()
    buffer.data = np.frombuffer(_payload(norm), dtype=np.uint8).copy()
    model.buffers = list(model.buffers or [])
    model.buffers.append(buffer)
    entry = schema.MetadataT()
    entry.name = METADATA_NAME
    entry.buffer = len(model.buffers) - 1
    kept = [m for m in (model.metadata or []) if (m.name or b"") not in (METADATA_NAME, METADATA_NAME.encode())]
    model.metadata = [*kept, entry]
    builder = flatbuffers.Builder(len(tflite) + 4096)
    builder.Finish(model.Pack(builder), file_identifier=b"TFL3")
    return bytes(builder.Output())


def standardisation_of(tflite: bytes) -> Normalization | None:
    """The input standardisation recorded in the .tflite, or None (the model takes its features as they are)."""
    from tflite_micro.tensorflow.lite.micro.python import schema_py_generated as schema

    model = schema.Model.GetRootAs(bytearray(tflite), 0)
    for i in range(model.MetadataLength()):
        entry = model.Metadata(i)
        if (entry.Name() or b"").decode("utf-8", "replace") != METADATA_NAME:
            continue
        if not 0 <= entry.Buffer() < model.BuffersLength():
            raise UserError("the model's input standardisation points outside the model")
        raw = model.Buffers(entry.Buffer()).DataAsNumpy()
        try:
            data = json.loads(bytes(np.asarray(raw, dtype=np.uint8)).decode("utf-8"))
            if int(data.get("version", 0)) > FORMAT_VERSION:
                raise UserError("the model's input standardisation is newer than this TinyStudio understands")
            norm = Normalization(np.asarray(data["mean"], np.float32), np.asarray(data["std"], np.float32))
        except (ValueError, KeyError, TypeError, AttributeError):
            raise UserError("the model's input standardisation is damaged") from None
        _payload(norm)  # the same checks as when it was written
        return norm
    return None
