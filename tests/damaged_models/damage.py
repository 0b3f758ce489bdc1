"""Damaged copies of a real int8 .tflite, made the ways files get damaged: cut short, bytes flipped in the
buffer table or anywhere, and single fields of the graph set to impossible values.

``structural(model)`` edits one graph field each (re-packed, so the flatbuffer itself is well-formed);
``raw(model, seed)`` damages the bytes as a disk or a transfer does. Both are deterministic.
"""

from __future__ import annotations

import random
import struct
from collections.abc import Callable
from typing import Any

import flatbuffers
import numpy as np
from tflite_micro.tensorflow.lite.micro.python import schema_py_generated as schema

Damage = tuple[str, bytes]


def unpack(tflite: bytes) -> Any:
    return schema.ModelT.InitFromPackedBuf(bytearray(tflite), 0)


def pack(model: Any) -> bytes:
    builder = flatbuffers.Builder(1024)
    builder.Finish(model.Pack(builder), file_identifier=b"TFL3")
    return bytes(builder.Output())


def _edit(tflite: bytes, change: Callable[[Any], None]) -> bytes:
    model = unpack(tflite)
    change(model)
    return pack(model)


def _weights(model: Any) -> tuple[int, Any]:
    """(index, tensor) of the largest constant int8 tensor of subgraph 0."""
    best = None
    for i, t in enumerate(model.subgraphs[0].tensors):
        data = model.buffers[t.buffer].data
        if t.type == schema.TensorType.INT8 and data is not None and (best is None or len(data) > best[2]):
            best = (i, t, len(data))
    assert best is not None
    return best[0], best[1]


def _activation(model: Any) -> Any:
    """The first int8 tensor that an op writes (not constant)."""
    return model.subgraphs[0].tensors[model.subgraphs[0].operators[0].outputs[0]]


def _per_channel(model: Any) -> Any:
    for t in model.subgraphs[0].tensors:
        if t.quantization is not None and t.quantization.scale is not None and len(t.quantization.scale) > 1:
            return t
    raise AssertionError("the model has no per-channel quantized tensor")


def _set(path: Callable[[Any], Any], attr: str, value: Any) -> Callable[[Any], None]:
    return lambda m: setattr(path(m), attr, value)


def _const_index(m: Any) -> int:
    return _weights(m)[0]


def _offset_buffer(m: Any) -> None:
    """Move the weights to an offset-addressed buffer that lies past the end of the file."""
    buf = m.buffers[_weights(m)[1].buffer]
    buf.size, buf.data, buf.offset = len(buf.data), None, 1 << 20


def _shorter_data(m: Any) -> None:
    buf = m.buffers[_weights(m)[1].buffer]
    buf.data = np.asarray(buf.data)[:-1]


def _swap_ops(m: Any) -> None:
    ops = m.subgraphs[0].operators
    ops[0], ops[1] = ops[1], ops[0]


def _scale(value: float) -> Callable[[Any], None]:
    def change(m: Any) -> None:
        _activation(m).quantization.scale = [value]

    return change


def _op(i: int) -> Callable[[Any], Any]:
    return lambda m: m.subgraphs[0].operators[i]


def _tensor_of_op0(m: Any) -> Any:
    return _activation(m)


EDITS: dict[str, Callable[[Any], None]] = {
    "opcode index past the end": _set(_op(0), "opcodeIndex", 40),
    "opcode index huge": _set(_op(1), "opcodeIndex", 2**31 + 7),
    "unknown builtin code": lambda m: (setattr(m.operatorCodes[0], "builtinCode", 9999),
                                       setattr(m.operatorCodes[0], "deprecatedBuiltinCode", 127)),
    "tensor buffer index past the end": lambda m: setattr(_weights(m)[1], "buffer", 6160393),
    "op input past the end": lambda m: m.subgraphs[0].operators[1].inputs.__setitem__(0, 10_000),
    "op input negative": lambda m: m.subgraphs[0].operators[1].inputs.__setitem__(0, -5),
    "op output past the end": lambda m: m.subgraphs[0].operators[0].outputs.__setitem__(0, 777),
    "op writes a constant": lambda m: m.subgraphs[0].operators[0].outputs.__setitem__(0, _const_index(m)),
    "op reads before any op wrote": _swap_ops,
    "op lacks inputs": lambda m: setattr(m.subgraphs[0].operators[1], "inputs", np.asarray([], dtype=np.int32)),
    "model input past the end": lambda m: m.subgraphs[0].inputs.__setitem__(0, 999),
    "model output past the end": lambda m: m.subgraphs[0].outputs.__setitem__(0, -1),
    "negative dimension (weights)": lambda m: _weights(m)[1].shape.__setitem__(0, -3),
    "negative dimension (activation)": lambda m: _tensor_of_op0(m).shape.__setitem__(1, -1),
    "huge dimension": lambda m: (_tensor_of_op0(m).shape.__setitem__(1, 2**30),
                                 setattr(_tensor_of_op0(m), "shapeSignature", None)),
    "rank 12": lambda m: setattr(_tensor_of_op0(m), "shape", np.ones(12, dtype=np.int32)),
    "weights shape larger than data": lambda m: _weights(m)[1].shape.__setitem__(0, _weights(m)[1].shape[0] * 2),
    "weights data one byte short": _shorter_data,
    "buffer offset past the end": _offset_buffer,
    "unknown tensor type": lambda m: setattr(_tensor_of_op0(m), "type", 99),
    "int8 scale NaN": _scale(float("nan")),
    "int8 scale infinite": _scale(float("inf")),
    "int8 scale zero": _scale(0.0),
    "int8 scale negative": _scale(-0.5),
    "int8 quantization removed": lambda m: setattr(_tensor_of_op0(m), "quantization", None),
    "int8 zero point removed": lambda m: setattr(_tensor_of_op0(m).quantization, "zeroPoint", None),
    "int8 zero point out of range": lambda m: setattr(_tensor_of_op0(m).quantization, "zeroPoint", [1000]),
    "per-channel scale missing": lambda m: setattr(_per_channel(m).quantization, "scale",
                                                   list(_per_channel(m).quantization.scale)[:-1]),
    "per-channel zero points missing": lambda m: setattr(_per_channel(m).quantization, "zeroPoint", [0]),
    "quantized dimension past the rank": lambda m: setattr(_per_channel(m).quantization, "quantizedDimension", 9),
    "no subgraph": lambda m: setattr(m, "subgraphs", []),
    "signature names a missing tensor": lambda m: setattr(m.signatureDefs[0].inputs[0], "tensorIndex", 4242),
}


def apply(tflite: bytes, name: str) -> bytes:
    """``tflite`` with the EDITS entry ``name`` applied."""
    return _edit(tflite, EDITS[name])


def structural(tflite: bytes) -> list[Damage]:
    """One damaged copy per EDITS entry."""
    return [(name, _edit(tflite, change)) for name, change in EDITS.items()]


def options(tflite: bytes) -> list[Damage]:
    """Every numeric option of every op set to values a damaged file may hold (zero, negative, huge,
    not a number)."""
    out: list[Damage] = []
    model = unpack(tflite)
    for o, op in enumerate(model.subgraphs[0].operators):
        for attr, value in sorted(vars(op.builtinOptions or object).items()):
            if attr.startswith("_") or isinstance(value, bool) or not isinstance(value, int | float):
                continue
            bad: tuple[float, ...] = (float("nan"), float("inf"), -1.0, 0.0) if isinstance(value, float) else (
                0, -1, 127, 2**31 - 1)
            for b in bad:
                def change(m: Any, o: int = o, attr: str = attr, b: float = b) -> None:
                    setattr(m.subgraphs[0].operators[o].builtinOptions, attr, b)

                try:
                    out.append((f"op {o} option {attr} = {b}", _edit(tflite, change)))
                except TypeError:  # the value does not fit the field's width
                    continue
    return out


def _buffer_table_positions(tflite: bytes) -> list[int]:
    """Byte positions of the buffer table: its vector of offsets, each Buffer's field table, its data
    offset and the data's length word."""
    buf = bytearray(tflite)
    model = schema.Model.GetRootAs(buf, 0)
    root = model._tab.Pos
    vec_field = root + model._tab.Offset(12)
    vec = vec_field + struct.unpack_from("<I", buf, vec_field)[0]
    positions = list(range(vec_field, vec_field + 4)) + list(range(vec, vec + 4))
    for i in range(model.BuffersLength()):
        entry = vec + 4 + 4 * i
        table = model.Buffers(i)._tab.Pos
        positions += [entry, entry + 3, table, table + 2]
        o = model.Buffers(i)._tab.Offset(4)
        if o:
            data_ref = table + o
            data = data_ref + struct.unpack_from("<I", buf, data_ref)[0]
            positions += [data_ref, data_ref + 1, data_ref + 3, data, data + 2, data + 3]
    return sorted(set(positions))


def raw(tflite: bytes, seed: int, flips: int) -> list[Damage]:
    """Truncations, buffer-table flips and ``flips`` copies with 1-8 random byte changes."""
    rng = random.Random(seed)
    n = len(tflite)
    out: list[Damage] = []
    for cut in sorted({0, 4, 7, 8, 12, 16, 24, 32, 64, 128, n // 8, n // 4, n // 2, 3 * n // 4, n - 64, n - 8,
                       n - 1}):
        out.append((f"truncated to {cut} bytes", tflite[:cut]))
    for pos in _buffer_table_positions(tflite):
        for how, value in (("xor 0xff", tflite[pos] ^ 0xFF), ("+1", (tflite[pos] + 1) & 0xFF), ("0x7f", 0x7F)):
            b = bytearray(tflite)
            b[pos] = value
            out.append((f"buffer table byte {pos} {how}", bytes(b)))
    for i in range(flips):
        b = bytearray(tflite)
        for _ in range(rng.randint(1, 8)):
            b[rng.randrange(n)] = rng.randrange(256)
        out.append((f"random flips #{i}", bytes(b)))
    return out
