"""Framework-free model architecture: a list of layer specs with shape propagation, parameter and MAC counts.

The same spec is built into Keras (``keras_builder``) and counted here, so the size of a model is shown
before TensorFlow is even loaded.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from tinystudio.core.errors import UserError

LAYER_TYPES = ("reshape", "conv2d", "depthwise2d", "maxpool2d", "gap2d", "flatten", "dropout", "dense")


@dataclass
class Layer:
    """One layer: ``type`` in LAYER_TYPES plus its arguments (units, filters, kernel, pool, rate, shape)."""

    type: str
    args: dict[str, Any] = field(default_factory=dict)


@dataclass
class ModelSpec:
    """Input shape, layers and the output class count; sizes are computed, never guessed."""

    input_shape: tuple[int, ...]
    layers: list[Layer]

    def shapes(self) -> list[tuple[int, ...]]:
        """Output shape of every layer (without the batch dimension)."""
        shape = tuple(self.input_shape)
        out = []
        for layer in self.layers:
            shape = _out_shape(layer, shape)
            out.append(shape)
        return out

    def summary(self) -> dict[str, int]:
        """{"params": trainable + bias count, "macs": multiply-accumulates for one inference}."""
        params = macs = 0
        shape = tuple(self.input_shape)
        for layer in self.layers:
            out = _out_shape(layer, shape)
            p, m = _cost(layer, shape, out)
            params, macs = params + p, macs + m
            shape = out
        return {"params": params, "macs": macs}


def _out_shape(layer: Layer, shape: tuple[int, ...]) -> tuple[int, ...]:
    a, t = layer.args, layer.type
    if t == "reshape":
        new = tuple(int(v) for v in a["shape"])
        if math.prod(new) != math.prod(shape):
            raise UserError(f"cannot reshape {shape} to {new}")
        return new
    if t in ("conv2d", "depthwise2d", "maxpool2d", "gap2d") and len(shape) != 3:
        raise UserError(f"layer {t} needs a 3-D input, got {shape}")
    if t == "conv2d":
        return (shape[0], shape[1], int(a["filters"]))
    if t == "depthwise2d":
        return shape
    if t == "maxpool2d":
        ph, pw = a["pool"]
        if shape[0] < ph or shape[1] < pw:
            raise UserError(f"input {shape[:2]} is too small to pool by {ph}x{pw}: use a longer window")
        return (shape[0] // ph, shape[1] // pw, shape[2])
    if t == "gap2d":
        return (shape[2],)
    if t == "flatten":
        return (math.prod(shape),)
    if t == "dropout":
        return shape
    if t == "dense":
        if len(shape) != 1:
            raise UserError(f"dense layer needs a flat input, got {shape}")
        return (int(a["units"]),)
    raise UserError(f"unknown layer type '{t}'")


def _cost(layer: Layer, inp: tuple[int, ...], out: tuple[int, ...]) -> tuple[int, int]:
    a, t = layer.args, layer.type
    if t == "conv2d":
        kh, kw = a["kernel"]
        c, f = inp[2], out[2]
        return kh * kw * c * f + f, out[0] * out[1] * kh * kw * c * f
    if t == "depthwise2d":
        kh, kw = a["kernel"]
        c = inp[2]
        return kh * kw * c + c, out[0] * out[1] * kh * kw * c
    if t == "dense":
        return inp[0] * out[0] + out[0], inp[0] * out[0]
    return 0, 0
