"""Test helper reading a .tflite flatbuffer directly (tflite-micro's schema, independent of the code under
test): the operator kinds, tensor types and the int8 weight arrays of each dense/convolution op."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

WEIGHTED = ("FULLY_CONNECTED", "CONV_2D", "DEPTHWISE_CONV_2D")
INT8, INT32 = 9, 2


@dataclass
class FlatModel:
    ops: list[str]
    tensor_types: dict[int, int]  # tensor index -> schema type code, for tensors ops compute (not constants)
    input_type: int
    output_type: int
    weights: list[np.ndarray]  # int8 weights of each weighted op, in execution order
    biases: list[np.ndarray]


def read_flat(tflite: bytes) -> FlatModel:
    from tflite_micro.tensorflow.lite.micro.python import schema_py_generated as schema

    model = schema.ModelT.InitFromPackedBuf(bytearray(tflite), 0)
    names = {v: k for k, v in vars(schema.BuiltinOperator).items() if not k.startswith("_")}
    g = model.subgraphs[0]

    def const(index: int, dtype: type) -> np.ndarray | None:
        data = model.buffers[g.tensors[index].buffer].data
        if data is None or len(data) == 0:
            return None
        return np.frombuffer(bytes(np.asarray(data, dtype=np.uint8)), dtype=dtype)

    ops, weights, biases, computed = [], [], [], {}
    for op in g.operators:
        code = model.operatorCodes[op.opcodeIndex]
        kind = names[max(int(code.builtinCode), int(code.deprecatedBuiltinCode))]
        ops.append(kind)
        for out in op.outputs:
            computed[int(out)] = int(g.tensors[out].type)
        if kind in WEIGHTED:
            w = const(int(op.inputs[1]), np.int8)
            assert w is not None and g.tensors[op.inputs[1]].type == INT8
            weights.append(w)
            if len(op.inputs) > 2 and op.inputs[2] >= 0:
                b = const(int(op.inputs[2]), np.int32)
                biases.append(b if b is not None else np.zeros(0, np.int32))
    return FlatModel(ops, computed, int(g.tensors[g.inputs[0]].type), int(g.tensors[g.outputs[0]].type),
                     weights, biases)
