"""Read a .tflite flatbuffer into a small typed graph and drop shape-only plumbing.

Parsing uses the flatbuffer schema bundled with tflite-micro (no TensorFlow import). Every shape in a
full-integer model is static, so ops that only compute shapes for RESHAPE (SHAPE, STRIDED_SLICE, PACK, ...)
are dead code once RESHAPE takes its shape from its output tensor; they are removed here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from tinystudio.core.errors import UserError
from tinystudio.core.model_check import check_tflite

_DTYPES = {
    0: ("float32", np.float32),
    1: ("float16", np.float16),
    2: ("int32", np.int32),
    3: ("uint8", np.uint8),
    4: ("int64", np.int64),
    6: ("bool", np.bool_),
    7: ("int16", np.int16),
    9: ("int8", np.int8),
}

# Ops whose non-first inputs only carry shape information.
_SHAPE_ONLY_EXTRA_INPUTS = {"RESHAPE", "EXPAND_DIMS", "SQUEEZE"}


@dataclass
class Tensor:
    index: int
    name: str
    shape: tuple[int, ...]
    dtype: str
    scale: np.ndarray  # float32, empty if not quantized
    zero_point: np.ndarray  # int64
    quant_dim: int
    data: np.ndarray | None  # constant contents, shaped

    @property
    def size(self) -> int:
        n = 1
        for d in self.shape:
            n *= d
        return n

    @property
    def nbytes(self) -> int:
        return self.size * np.dtype(_np_of(self.dtype)).itemsize

    @property
    def is_const(self) -> bool:
        return self.data is not None

    def qparams(self) -> tuple[float, int]:
        """Per-tensor (scale, zero_point) as float32-exact Python values."""
        if self.scale.size == 0:
            raise UserError(f"tensor '{self.name}' is not quantized (a full-integer int8 model is required)")
        return float(self.scale[0]), int(self.zero_point[0]) if self.zero_point.size else 0


@dataclass
class Op:
    index: int
    kind: str
    inputs: list[int]
    outputs: list[int]
    options: Any
    version: int = 1


@dataclass
class Graph:
    tensors: list[Tensor]
    ops: list[Op]
    inputs: list[int]
    outputs: list[int]
    removed_ops: list[str] = field(default_factory=list)


def _np_of(dtype: str) -> type:
    for name, np_type in _DTYPES.values():
        if name == dtype:
            return np_type
    raise UserError(f"unsupported tensor type {dtype}")


def _builtin_names() -> dict[int, str]:
    from tflite_micro.tensorflow.lite.micro.python import schema_py_generated as schema

    return {v: k for k, v in vars(schema.BuiltinOperator).items() if not k.startswith("_")}


def read_model(tflite: bytes) -> Graph:
    """Parse .tflite bytes into a Graph (first subgraph only)."""
    from tflite_micro.tensorflow.lite.micro.python import schema_py_generated as schema

    check_tflite(tflite)
    if len(tflite) < 8 or tflite[4:8] != b"TFL3":
        raise UserError("not a TensorFlow Lite model (missing 'TFL3' identifier)")
    try:
        model = schema.ModelT.InitFromPackedBuf(bytearray(tflite), 0)
    except Exception as exc:  # noqa: BLE001 - any parse failure is a bad file for the user
        raise UserError(f"cannot parse the .tflite flatbuffer: {exc}") from None
    if not model.subgraphs:
        raise UserError("the model has no subgraph")
    if len(model.subgraphs) > 1:
        raise UserError("models with several subgraphs (control flow) are not supported")
    names = _builtin_names()
    graph = model.subgraphs[0]
    tensors: list[Tensor] = []
    for i, t in enumerate(graph.tensors or []):
        if t.type not in _DTYPES:
            raise UserError(f"tensor {i} has an unsupported type code {t.type}")
        dtype, np_type = _DTYPES[t.type]
        shape = tuple(int(d) for d in (t.shape if t.shape is not None else []))
        data = None
        buf = model.buffers[t.buffer] if t.buffer < len(model.buffers) else None
        raw = getattr(buf, "data", None) if buf is not None else None
        if raw is not None and len(raw) > 0:
            arr = np.frombuffer(bytes(np.asarray(raw, dtype=np.uint8)), dtype=np_type)
            data = arr.reshape(shape) if shape else arr.reshape(())
        elif buf is not None and getattr(buf, "offset", 0):
            offset, size = int(buf.offset), int(buf.size)
            data = np.frombuffer(tflite[offset : offset + size], dtype=np_type).reshape(shape)
        q = t.quantization
        scale = np.asarray(q.scale if q is not None and q.scale is not None else [], dtype=np.float32)
        zp = np.asarray(q.zeroPoint if q is not None and q.zeroPoint is not None else [], dtype=np.int64)
        qdim = int(q.quantizedDimension) if q is not None else 0
        name = t.name.decode("utf-8", "replace") if isinstance(t.name, bytes) else str(t.name or "")
        tensors.append(Tensor(i, name, shape, dtype, scale, zp, qdim, data))
    ops: list[Op] = []
    for i, o in enumerate(graph.operators or []):
        code = model.operatorCodes[o.opcodeIndex]
        builtin = max(int(code.builtinCode), int(code.deprecatedBuiltinCode))
        kind = names.get(builtin, f"BUILTIN_{builtin}")
        if kind == "CUSTOM":
            custom = code.customCode.decode() if isinstance(code.customCode, bytes) else code.customCode
            kind = f"CUSTOM({custom})"
        inputs = [int(x) for x in (o.inputs if o.inputs is not None else [])]
        outputs = [int(x) for x in (o.outputs if o.outputs is not None else [])]
        ops.append(Op(i, kind, inputs, outputs, o.builtinOptions, int(code.version)))
    g = Graph(
        tensors,
        ops,
        [int(x) for x in graph.inputs],
        [int(x) for x in graph.outputs],
    )
    _infer_shapes(g)
    _drop_dead_ops(g)
    return g


def data_inputs(op: Op) -> list[int]:
    """Inputs whose contents the op reads at run time (shape operands excluded)."""
    if op.kind in _SHAPE_ONLY_EXTRA_INPUTS:
        return op.inputs[:1]
    return [i for i in op.inputs if i >= 0]


def _drop_dead_ops(graph: Graph) -> None:
    live = set(graph.outputs)
    keep: list[Op] = []
    for op in reversed(graph.ops):
        if any(o in live for o in op.outputs):
            keep.append(op)
            for i in data_inputs(op):
                live.add(i)
        else:
            graph.removed_ops.append(op.kind)
    keep.reverse()
    graph.ops = keep


# ------------------------------------------------------------------ static shape inference

_ELEMENTWISE_SAME_SHAPE = {
    "LOGISTIC",
    "TANH",
    "RELU",
    "RELU6",
    "LEAKY_RELU",
    "HARD_SWISH",
    "QUANTIZE",
    "DEQUANTIZE",
    "SOFTMAX",
}


def _infer_shapes(graph: Graph) -> None:
    """Fold shape computations and fix placeholder output shapes (dynamic batch stored as 1)."""
    values: dict[int, np.ndarray] = {
        t.index: t.data for t in graph.tensors if t.data is not None and t.dtype in ("int32", "int64")
    }
    for op in graph.ops:
        try:
            _infer_op(graph, op, values)
        except (IndexError, ValueError, TypeError, AttributeError):
            continue  # leave stored shapes; later checks report real inconsistencies


def _infer_op(graph: Graph, op: Op, values: dict[int, np.ndarray]) -> None:
    t = graph.tensors
    ins = op.inputs
    out = op.outputs[0] if op.outputs else -1
    kind = op.kind
    o = op.options

    def vals(i: int) -> np.ndarray:
        return values[ins[i]]

    result: np.ndarray | None = None
    if kind == "SHAPE":
        result = np.asarray(t[ins[0]].shape, dtype=np.int32)
    elif kind == "GATHER" and ins[0] in values and ins[1] in values:
        result = np.take(vals(0), vals(1), axis=int(o.axis) if o is not None else 0)
    elif kind in ("REDUCE_PROD", "SUM") and ins[0] in values and ins[1] in values:
        axes = tuple(int(a) for a in np.asarray(vals(1)).reshape(-1))
        keep = bool(o.keepDims) if o is not None else False
        fn = np.prod if kind == "REDUCE_PROD" else np.sum
        result = np.asarray(fn(vals(0), axis=axes, keepdims=keep), dtype=vals(0).dtype)
    elif kind == "PACK" and all(i in values for i in ins):
        result = np.stack([values[i] for i in ins], axis=int(o.axis) if o is not None else 0)
    elif kind == "CONCATENATION" and ins and all(i in values for i in ins):
        result = np.concatenate([np.atleast_1d(values[i]) for i in ins], axis=int(o.axis))
    elif kind == "CAST" and ins[0] in values:
        result = vals(0).astype(_np_of(t[out].dtype))
    elif kind == "STRIDED_SLICE" and all(i in values for i in ins[:4]):
        result = _strided_slice(vals(0), vals(1), vals(2), vals(3), o)
    if result is not None:
        values[out] = result
        t[out].shape = tuple(int(d) for d in result.shape)
        return
    if kind in ("RESHAPE",):
        if len(ins) > 1 and ins[1] >= 0 and ins[1] in values:
            new = [int(d) for d in np.asarray(values[ins[1]]).reshape(-1)]
        elif o is not None and getattr(o, "newShape", None) is not None:
            new = [int(d) for d in o.newShape]
        else:
            return
        total = t[ins[0]].size
        if new.count(-1) == 1:
            known = int(np.prod([d for d in new if d != -1], dtype=np.int64))
            new[new.index(-1)] = total // known if known else 0
        if int(np.prod(new, dtype=np.int64)) == total:
            t[out].shape = tuple(new)
    elif kind == "EXPAND_DIMS" and ins[1] in values:
        shape = list(t[ins[0]].shape)
        axis = int(np.asarray(values[ins[1]]).reshape(-1)[0])
        axis = axis if axis >= 0 else len(shape) + 1 + axis
        shape.insert(axis, 1)
        t[out].shape = tuple(shape)
    elif kind == "FULLY_CONNECTED":
        units, depth = t[ins[1]].shape
        x = t[ins[0]]
        if o is not None and o.keepNumDims:
            t[out].shape = tuple(x.shape[:-1]) + (units,)
        else:
            t[out].shape = (x.size // depth, units)
    elif kind in _ELEMENTWISE_SAME_SHAPE:
        t[out].shape = t[ins[0]].shape
    elif kind in ("ADD", "SUB", "MUL"):
        t[out].shape = tuple(np.broadcast_shapes(t[ins[0]].shape, t[ins[1]].shape))


def _strided_slice(data: np.ndarray, begin: np.ndarray, end: np.ndarray, strides: np.ndarray, o: Any) -> np.ndarray:
    if o is not None and (o.ellipsisMask or o.newAxisMask):
        raise ValueError("unsupported strided slice masks")
    slices: list[Any] = []
    shrink: list[int] = []
    for d in range(len(np.asarray(begin).reshape(-1))):
        b, e, s = int(begin[d]), int(end[d]), int(strides[d])
        if o is not None and o.beginMask & (1 << d):
            b = None  # type: ignore[assignment]
        if o is not None and o.endMask & (1 << d):
            e = None  # type: ignore[assignment]
        if o is not None and o.shrinkAxisMask & (1 << d):
            slices.append(b if b is not None else 0)
            shrink.append(d)
        else:
            slices.append(slice(b, e, s))
    return np.asarray(data[tuple(slices)])
