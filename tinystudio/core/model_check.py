"""Validation of .tflite bytes before any interpreter or the code generator reads them.

TensorFlow Lite Micro trusts its flatbuffer: an index or offset out of range makes it read or write
outside the model and crash the whole process. ``check_tflite`` therefore verifies the flatbuffer's
structure (every table, vector and string inside the file and aligned, as the FlatBuffers verifier does)
and then the graph (indices, shapes, buffer sizes, quantization, op options), and names the first problem
in one line.
Parsing uses the schema module bundled with tflite-micro; no TensorFlow import.
"""

from __future__ import annotations

import math
import struct
from typing import Any

from tinystudio.core.errors import UserError

MAX_MODEL_BYTES = (1 << 31) - 1  # flatbuffers address with 32-bit offsets
MAX_RANK = 8
MAX_TENSOR_BYTES = 1 << 30  # far beyond any microcontroller model; stops absurd shapes early
_DAMAGED = "the model file is damaged: "

# TensorType code -> bytes per element (None: variable size, 0.5: packed 4-bit).
_ITEM_BYTES: dict[int, float | None] = {
    0: 4, 1: 2, 2: 4, 3: 1, 4: 8, 5: None, 6: 1, 7: 2, 8: 8, 9: 1, 10: 8, 11: 16, 12: 8, 13: None,
    14: None, 15: 4, 16: 2, 17: 0.5, 18: 2, 19: 0.25, 20: 0.5, 21: 1, 22: 1,
}
_INT8, _UINT8, _INT16 = 9, 3, 7
# Enumerated options: padding SAME/VALID; activation NONE, RELU, RELU_N1_TO_1, RELU6, TANH, SIGN_BIT;
# fully connected weights DEFAULT/SHUFFLED4x16INT8.
_ENUMS = {"padding": range(2), "fusedactivationfunction": range(6), "weightsformat": range(2)}

# Known TFLite ops: (fewest inputs, most inputs or None, outputs). Inputs beyond the fewest may be -1.
_ARITY: dict[str, tuple[int, int | None, int]] = {
    "CONV_2D": (2, 3, 1), "DEPTHWISE_CONV_2D": (2, 3, 1), "FULLY_CONNECTED": (2, 3, 1),
    "AVERAGE_POOL_2D": (1, 1, 1), "MAX_POOL_2D": (1, 1, 1), "MEAN": (2, 2, 1), "ADD": (2, 2, 1),
    "MUL": (2, 2, 1), "SUB": (2, 2, 1), "RESHAPE": (1, 2, 1), "EXPAND_DIMS": (2, 2, 1), "SQUEEZE": (1, 1, 1),
    "SOFTMAX": (1, 1, 1), "LOGISTIC": (1, 1, 1), "TANH": (1, 1, 1), "RELU": (1, 1, 1), "RELU6": (1, 1, 1),
    "LEAKY_RELU": (1, 1, 1), "HARD_SWISH": (1, 1, 1), "PAD": (2, 3, 1), "CONCATENATION": (1, None, 1),
    "QUANTIZE": (1, 1, 1), "DEQUANTIZE": (1, 1, 1), "SHAPE": (1, 1, 1), "STRIDED_SLICE": (4, 4, 1),
    "PACK": (1, None, 1),
}

# Flatbuffer layout of the tables an interpreter reads, by field id: (name, kind, size or table), kind
# "s" scalar, "str" string, "v" vector of scalars, "t" table, "vt" vector of tables. A table name of None
# is checked generically (option unions, sparsity, newer tables): its fields must lie inside it.
_Field = tuple[str, str, Any]
_SCHEMA: dict[str, dict[int, _Field]] = {
    "Model": {0: ("version", "s", 4), 1: ("operator_codes", "vt", "OperatorCode"),
              2: ("subgraphs", "vt", "SubGraph"), 3: ("description", "str", 0), 4: ("buffers", "vt", "Buffer"),
              5: ("metadata_buffer", "v", 4), 6: ("metadata", "vt", "Metadata"),
              7: ("signature_defs", "vt", "SignatureDef"), 8: ("external_buffer_groups", "vt", None),
              9: ("external_buffers", "vt", None)},
    "OperatorCode": {0: ("deprecated_builtin_code", "s", 1), 1: ("custom_code", "str", 0), 2: ("version", "s", 4),
                     3: ("builtin_code", "s", 4)},
    "SubGraph": {0: ("tensors", "vt", "Tensor"), 1: ("inputs", "v", 4), 2: ("outputs", "v", 4),
                 3: ("operators", "vt", "Operator"), 4: ("name", "str", 0), 5: ("debug_metadata_index", "s", 4)},
    "Tensor": {0: ("shape", "v", 4), 1: ("type", "s", 1), 2: ("buffer", "s", 4), 3: ("name", "str", 0),
               4: ("quantization", "t", "QuantizationParameters"), 5: ("is_variable", "s", 1),
               6: ("sparsity", "t", None), 7: ("shape_signature", "v", 4), 8: ("has_rank", "s", 1),
               9: ("variant_tensors", "vt", None), 10: ("external_buffer", "s", 4)},
    "QuantizationParameters": {0: ("min", "v", 4), 1: ("max", "v", 4), 2: ("scale", "v", 4),
                               3: ("zero_point", "v", 8), 4: ("details_type", "s", 1), 5: ("details", "t", None),
                               6: ("quantized_dimension", "s", 4)},
    "Operator": {0: ("opcode_index", "s", 4), 1: ("inputs", "v", 4), 2: ("outputs", "v", 4),
                 3: ("builtin_options_type", "s", 1), 4: ("builtin_options", "t", None),
                 5: ("custom_options", "v", 1), 6: ("custom_options_format", "s", 1),
                 7: ("mutating_variable_inputs", "v", 1), 8: ("intermediates", "v", 4),
                 9: ("large_custom_options_offset", "s", 8), 10: ("large_custom_options_size", "s", 8),
                 11: ("builtin_options_2_type", "s", 1), 12: ("builtin_options_2", "t", None),
                 13: ("debug_metadata_index", "s", 4)},
    "Buffer": {0: ("data", "v", 1), 1: ("offset", "s", 8), 2: ("size", "s", 8)},
    "Metadata": {0: ("name", "str", 0), 1: ("buffer", "s", 4)},
    "SignatureDef": {0: ("inputs", "vt", "TensorMap"), 1: ("outputs", "vt", "TensorMap"),
                     2: ("signature_key", "str", 0), 4: ("subgraph_index", "s", 4)},
    "TensorMap": {0: ("name", "str", 0), 1: ("tensor_index", "s", 4)},
}


class _Damaged(Exception):
    """A structural fault; its text completes 'the model file is damaged: '."""


def check_tflite(data: bytes) -> None:
    """Raise UserError (one line naming the problem) unless ``data`` is a well-formed .tflite model.

    Accepts any well-formed model, float or int8: whether the code generator or the board supports its
    ops and types is decided later, by them.
    """
    if not isinstance(data, bytes | bytearray | memoryview):
        raise UserError("the model is not a byte string")
    data = bytes(data)
    if len(data) < 8 or data[4:8] != b"TFL3":
        raise UserError("not a TensorFlow Lite model (missing the 'TFL3' identifier)")
    if len(data) > MAX_MODEL_BYTES:
        raise UserError(f"the model is {len(data)} bytes; a .tflite file is at most 2 GB")
    try:
        _Verifier(data).verify()
    except _Damaged as exc:
        raise UserError(_DAMAGED + str(exc)) from None
    model = _parse(data)
    _check_graph(model, len(data))


def model_problem(data: bytes) -> str | None:
    """The one-line reason ``data`` is not a well-formed model, or None when it is."""
    try:
        check_tflite(data)
    except UserError as exc:
        return str(exc)
    return None


# -- structure -----------------------------------------------------------------------------------------


class _Verifier:
    """Walks every table, vector and string an interpreter may follow and checks it lies inside the file."""

    def __init__(self, buf: bytes) -> None:
        self.buf = buf
        self.n = len(buf)
        self.budget = self.n // 2 + 64  # tables visited; shared (aliased) tables cannot blow up the walk

    def _need(self, pos: int, size: int, what: str) -> None:
        if pos < 0:
            raise _Damaged(f"{what} points before the start of the file")
        if size < 0 or pos + size > self.n:
            raise _Damaged(f"{what} at byte {pos} runs past the end of the {self.n}-byte file (truncated?)")

    def _u32(self, pos: int, what: str) -> int:
        self._need(pos, 4, what)
        return int(struct.unpack_from("<I", self.buf, pos)[0])

    def _aligned(self, pos: int, size: int, what: str) -> None:
        if pos % size:
            raise _Damaged(f"{what} (byte {pos}) is not aligned to {size} bytes")

    def _ref(self, pos: int, what: str) -> int:
        self._aligned(pos, 4, what)
        offset = self._u32(pos, what)
        if offset == 0 or offset >= 1 << 31:
            raise _Damaged(f"{what} (byte {pos}) holds the impossible offset {offset}")
        target = pos + offset
        self._need(target, 4, what)
        self._aligned(target, 4, what)
        return target

    def verify(self) -> None:
        """The checks of the FlatBuffers verifier: every object inside the file and aligned, strings ended."""
        self._table(self._ref(0, "the root table"), "Model", "the model table")

    def _table(self, pos: int, kind: str | None, what: str) -> None:
        self.budget -= 1
        if self.budget < 0:
            raise _Damaged("its tables refer to each other more often than the file size allows")
        self._need(pos, 4, what)
        self._aligned(pos, 4, what)
        vtable = pos - int(struct.unpack_from("<i", self.buf, pos)[0])
        self._need(vtable, 4, f"the field table of {what}")
        self._aligned(vtable, 2, f"the field table of {what}")
        vsize, tsize = struct.unpack_from("<HH", self.buf, vtable)
        if vsize < 4 or vsize % 2 or tsize < 4:
            raise _Damaged(f"the field table of {what} (byte {vtable}) has an impossible size")
        self._need(vtable, vsize, f"the field table of {what}")
        self._need(pos, tsize, what)
        layout = _SCHEMA.get(kind or "", {})
        prefix = "" if what == "the model table" else what + "."
        for field_id in range((vsize - 4) // 2):
            off = struct.unpack_from("<H", self.buf, vtable + 4 + 2 * field_id)[0]
            if not off:
                continue
            name, how, arg = layout.get(field_id, (f"field{field_id}", "s", 1))
            if off + (arg if how == "s" else 4) > tsize:
                raise _Damaged(f"{prefix}{name} (byte {pos + off}) lies outside its table")
            if how == "s":
                self._aligned(pos + off, arg, prefix + name)
            if how != "s":
                self._follow(pos + off, how, arg, prefix + name)

    def _follow(self, pos: int, how: str, arg: Any, what: str) -> None:
        target = self._ref(pos, what)
        if how == "t":
            self._table(target, arg, what)
            return
        count = self._u32(target, what)
        start = target + 4
        if how == "str":
            self._need(start, count + 1, what)
            if self.buf[start + count] != 0:
                raise _Damaged(f"{what} (a string at byte {target}) is not terminated")
        elif how == "v":
            self._need(start, count * arg, what)
        else:  # vector of tables
            self._need(start, count * 4, what)
            for i in range(count):
                self._table(self._ref(start + 4 * i, f"{what}[{i}]"), arg, f"{what}[{i}]")


def _parse(data: bytes) -> Any:
    from tflite_micro.tensorflow.lite.micro.python import schema_py_generated as schema

    try:
        return schema.ModelT.InitFromPackedBuf(bytearray(data), 0)
    except Exception as exc:  # noqa: BLE001 - any parse failure means a damaged file for the user
        raise UserError(_DAMAGED + f"its flatbuffer cannot be read ({type(exc).__name__})") from None


# -- graph ---------------------------------------------------------------------------------------------


def _text(value: Any) -> str:
    """A name from the file, safe to print on one line."""
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    text = "".join(c if c.isprintable() else "?" for c in str(value or ""))
    return text[:40] + ("..." if len(text) > 40 else "")


def _op_names() -> dict[int, str]:
    from tflite_micro.tensorflow.lite.micro.python import schema_py_generated as schema

    return {v: k for k, v in vars(schema.BuiltinOperator).items() if not k.startswith("_")}


def _ints(values: Any) -> list[int]:
    return [] if values is None else [int(v) for v in values]


def _check_graph(model: Any, file_bytes: int) -> None:
    if not model.subgraphs:
        raise UserError(_DAMAGED + "it has no subgraph")
    buffers = model.buffers or []
    for b, buf in enumerate(buffers):
        offset, size = int(buf.offset or 0), int(buf.size or 0)
        if offset > 1 and offset + size > file_bytes:
            raise UserError(_DAMAGED + f"buffer {b} ({size} bytes at byte {offset}) lies past the end of the "
                            f"{file_bytes}-byte file")
    for m, meta in enumerate(model.metadata or []):
        if int(meta.buffer) >= len(buffers):
            raise UserError(_DAMAGED + f"metadata {m} refers to buffer {meta.buffer} of {len(buffers)}")
    names = _op_names()
    codes = model.operatorCodes or []
    kinds: list[str] = []
    for c, code in enumerate(codes):
        builtin = max(int(code.builtinCode), int(code.deprecatedBuiltinCode))
        if builtin not in names:
            raise UserError(_DAMAGED + f"operator code {c} is {builtin}, which is no TensorFlow Lite operator")
        kinds.append(names[builtin])
    for s, graph in enumerate(model.subgraphs):
        where = f"subgraph {s}: " if len(model.subgraphs) > 1 else ""
        _check_subgraph(graph, buffers, kinds, file_bytes, where)
    for d, sig in enumerate(model.signatureDefs or []):
        if int(sig.subgraphIndex) >= len(model.subgraphs):
            raise UserError(_DAMAGED + f"signature {d} refers to subgraph {sig.subgraphIndex}")
        count = len(model.subgraphs[sig.subgraphIndex].tensors or [])
        for tmap in (sig.inputs or []) + (sig.outputs or []):
            if int(tmap.tensorIndex) >= count:
                raise UserError(_DAMAGED + f"signature {d} refers to tensor {tmap.tensorIndex} of {count}")


def _const_bytes(tensor: Any, buffers: list[Any]) -> int | None:
    """Bytes of constant data behind a tensor (None when it has none)."""
    buf = buffers[tensor.buffer]
    if buf.data is not None and len(buf.data):
        return len(buf.data)
    if int(buf.offset or 0) > 1:
        return int(buf.size or 0)
    return None


def _check_subgraph(graph: Any, buffers: list[Any], kinds: list[str], file_bytes: int, where: str) -> None:
    tensors = graph.tensors or []
    count = len(tensors)
    const: set[int] = set()
    for i, t in enumerate(tensors):
        label = f"{where}tensor {i} ('{_text(t.name)}')"
        if int(t.buffer) >= len(buffers):
            raise UserError(_DAMAGED + f"{label} refers to buffer {t.buffer}, but the model has {len(buffers)}")
        _check_tensor(t, label, _const_bytes(t, buffers))
        if _const_bytes(t, buffers) is not None:
            const.add(i)
    variables = {i for i, t in enumerate(tensors) if t.isVariable}
    inputs, outputs = _ints(graph.inputs), _ints(graph.outputs)
    for role, refs in (("input", inputs), ("output", outputs)):
        for r in refs:
            if not 0 <= r < count:
                raise UserError(_DAMAGED + f"{where}the model {role} is tensor {r}, but there are {count} tensors")
    for r in inputs:
        if r in const:
            raise UserError(_DAMAGED + f"{where}the model input tensor {r} is a constant")
    ready = set(inputs) | const | variables
    for o, op in enumerate(graph.operators or []):
        if not 0 <= int(op.opcodeIndex) < len(kinds):
            raise UserError(_DAMAGED + f"{where}op {o} uses operator code {op.opcodeIndex}, but the model has "
                            f"{len(kinds)}")
        kind = kinds[op.opcodeIndex]
        label = f"{where}op {o} ({kind})"
        ins, outs = _ints(op.inputs), _ints(op.outputs)
        for r in ins + _ints(op.intermediates):
            if not -1 <= r < count:
                raise UserError(_DAMAGED + f"{label} reads tensor {r}, but there are {count} tensors")
        for r in outs:
            if not 0 <= r < count:
                raise UserError(_DAMAGED + f"{label} writes tensor {r}, but there are {count} tensors")
            if r in const:
                raise UserError(_DAMAGED + f"{label} writes into the constant tensor {r}")
        if kind in _ARITY:
            least, most, n_out = _ARITY[kind]
            if len(ins) < least or (most is not None and len(ins) > most) or len(outs) != n_out:
                raise UserError(_DAMAGED + f"{label} has {len(ins)} inputs and {len(outs)} outputs")
            if any(r < 0 for r in ins[:least]):
                raise UserError(_DAMAGED + f"{label} lacks a required input")
        ranks = [len(_ints(tensors[r].shape)) for r in ins[:1] + outs if r >= 0]
        _check_options(op.builtinOptions, label, max(ranks, default=0))
        for r in ins:
            if r >= 0 and r not in ready:
                raise UserError(_DAMAGED + f"{label} reads tensor {r} before any op has written it")
        ready.update(outs)
    for r in outputs:
        if r not in ready:
            raise UserError(_DAMAGED + f"{where}the model output tensor {r} is never written")


def _check_options(options: Any, label: str, rank: int) -> None:
    """Option values the kernels divide by, index with or switch on: strides, filters and dilations of
    at least 1, a known padding, activation and weights format, an axis within the op's tensors' rank
    (``rank``: the larger of its first input's and its output's), finite float parameters, a softmax
    beta above 0."""
    for name, value in getattr(options, "__dict__", {}).items():
        if isinstance(value, bool) or not isinstance(value, int | float):
            continue
        if isinstance(value, float) and not math.isfinite(value):
            raise UserError(_DAMAGED + f"{label} has the option {name} = {value}")
        lowered = name.lower()
        if lowered == "beta" and value <= 0:
            raise UserError(_DAMAGED + f"{label} has the option {name} = {value} (above 0)")
        if lowered.startswith(("stride", "dilation", "filter")) and value < 1:
            raise UserError(_DAMAGED + f"{label} has the option {name} = {value} (at least 1)")
        if value not in _ENUMS.get(lowered, (value,)):
            raise UserError(_DAMAGED + f"{label} has the unknown {name} {value}")
        if lowered == "axis" and rank and not -rank <= value < rank:
            raise UserError(_DAMAGED + f"{label} has the axis {value}, outside its tensors' {rank} dimensions")


def _check_tensor(t: Any, label: str, const_bytes: int | None) -> None:
    if t.type not in _ITEM_BYTES:
        raise UserError(_DAMAGED + f"{label} has the unknown type code {t.type}")
    shape = _ints(t.shape)
    if len(shape) > MAX_RANK:
        raise UserError(_DAMAGED + f"{label} has {len(shape)} dimensions")
    if any(d < 0 for d in shape):
        raise UserError(_DAMAGED + f"{label} has a negative dimension in its shape {shape}")
    signature = _ints(t.shapeSignature)
    if signature and (len(signature) != len(shape)
                      or any(s != d and s != -1 for s, d in zip(signature, shape, strict=True))):
        raise UserError(_DAMAGED + f"{label} has the shape {shape} but the shape signature {signature}")
    item = _ITEM_BYTES[t.type]
    elements = math.prod(shape)
    if elements > MAX_TENSOR_BYTES:
        raise UserError(_DAMAGED + f"{label} would hold {elements} elements (shape {shape})")
    if item is not None:
        nbytes = math.ceil(elements * item)
        if nbytes > MAX_TENSOR_BYTES:
            raise UserError(_DAMAGED + f"{label} would take {nbytes} bytes (shape {shape})")
        if const_bytes is not None and const_bytes != nbytes:
            raise UserError(_DAMAGED + f"{label} holds {const_bytes} bytes of data but its shape {shape} "
                            f"needs {nbytes}")
    _check_quantization(t, label, shape)


def _check_quantization(t: Any, label: str, shape: list[int]) -> None:
    q = t.quantization
    scale = [] if q is None or q.scale is None else [float(v) for v in q.scale]
    zero = _ints(None if q is None else q.zeroPoint)
    if t.type == _INT8 and not scale:
        raise UserError(_DAMAGED + f"{label} is int8 but has no quantization scale")
    if not scale:
        return
    if any(not math.isfinite(v) or v <= 0 for v in scale):
        raise UserError(_DAMAGED + f"{label} has a quantization scale that is not a positive finite number")
    if (zero or t.type == _INT8) and len(zero) != len(scale):
        raise UserError(_DAMAGED + f"{label} has {len(scale)} scales but {len(zero)} zero points")
    low, high = {_INT8: (-128, 127), _UINT8: (0, 255), _INT16: (-32768, 32767)}.get(t.type, (-(2**31), 2**31 - 1))
    if any(not low <= z <= high for z in zero):
        raise UserError(_DAMAGED + f"{label} has a zero point outside its type's range")
    if len(scale) > 1:
        axis = int(q.quantizedDimension)
        if not 0 <= axis < len(shape) or shape[axis] != len(scale):
            raise UserError(_DAMAGED + f"{label} has {len(scale)} per-channel scales, which do not match "
                            f"dimension {axis} of its shape {shape}")
