"""The profiling build: generated code that times each op, while a normal build stays exactly as it was;
and the MACs the generator reports per layer are the layer's shape arithmetic."""

from __future__ import annotations

import numpy as np
import pytest

from tinystudio.core.codegen import generate_files


@pytest.mark.parametrize("name", ["ds_cnn_kws", "motion_cnn_1d"])
def test_normal_build_is_unchanged_and_profiling_only_adds_lines(name, suite_model):
    tflite = suite_model(name)
    before, report = generate_files(tflite)
    again, _ = generate_files(tflite, profile=False)
    profiled, preport = generate_files(tflite, profile=True)
    assert again == before and not report.profile and preport.profile
    assert "tsr_hal_counter" not in before["model.c"] + before["model.h"]
    assert set(profiled) == set(before)
    assert {n: t for n, t in profiled.items() if n not in ("model.c", "model.h")} == \
        {n: t for n, t in before.items() if n not in ("model.c", "model.h")}
    for file in ("model.c", "model.h"):  # every line of the normal file is still there, in order
        lines = iter(profiled[file].splitlines())
        assert all(any(line == p for p in lines) for line in before[file].splitlines())
    timed = [layer for layer in preport.layers if layer.timed]
    assert f"#define TS_MODEL_PROFILE_OPS {len(timed)}" in profiled["model.h"]
    assert profiled["model.c"].count("ts_model_op_counts[") == len(timed) + 1  # one per op and its definition


def _flatbuffer_ops(tflite: bytes) -> list[tuple[str, list[tuple[int, ...]], tuple[int, ...]]]:
    """(op name, input shapes, output shape) of every op, read straight from the flatbuffer."""
    from tflite_micro.tensorflow.lite.micro.python import schema_py_generated as schema

    model = schema.ModelT.InitFromPackedBuf(bytearray(tflite), 0)
    names = {v: k for k, v in vars(schema.BuiltinOperator).items() if not k.startswith("_")}
    g = model.subgraphs[0]
    out = []
    for op in g.operators:
        code = model.operatorCodes[op.opcodeIndex]
        kind = names[max(code.builtinCode, code.deprecatedBuiltinCode)]
        shapes = [tuple(int(d) for d in g.tensors[i].shape) for i in op.inputs if i >= 0]
        out.append((kind, shapes, tuple(int(d) for d in g.tensors[op.outputs[0]].shape)))
    return out


def test_macs_of_conv_depthwise_and_dense_layers_are_their_shape_arithmetic(suite_model):
    tflite = suite_model("ds_cnn_kws")
    _, report = generate_files(tflite)
    ops = _flatbuffer_ops(tflite)
    seen = set()
    for layer in report.layers:
        kind, inputs, out = ops[layer.op_index]
        assert layer.kind == kind
        if kind == "CONV_2D":  # each output value: kernel height x width x input channels products
            _, kh, kw, cin = inputs[1]
            expected = int(np.prod(out)) * kh * kw * cin
        elif kind == "DEPTHWISE_CONV_2D":
            _, kh, kw, _ = inputs[1]
            expected = int(np.prod(out)) * kh * kw
        elif kind == "FULLY_CONNECTED":
            units, depth = inputs[1]
            expected = units * depth
        else:
            expected = 0
        assert layer.macs == expected, layer
        seen.add(kind)
    assert {"CONV_2D", "DEPTHWISE_CONV_2D", "FULLY_CONNECTED"} <= seen
    first_conv = next(layer for layer in report.layers if layer.kind == "CONV_2D")
    assert first_conv.macs == 25 * 5 * 64 * 10 * 4  # 49x10 input, 10x4 kernel at stride 2 -> 25x5x64


def test_profiling_folder_is_clean_c99_and_fills_one_count_per_op(suite_model, tmp_path):
    """Strict host compile; a counter that ticks once per read gives every op exactly one tick."""
    import subprocess

    from tinystudio.core.codegen import generate

    folder = tmp_path / "gen"
    report = generate(suite_model("motion_cnn_1d"), folder, profile=True)
    main = tmp_path / "main.c"
    main.write_text(
        '#include <stdio.h>\n#include "model.h"\n'
        "static uint32_t ticks;\nuint32_t tsr_hal_counter(void) { return ticks++; }\n"
        "static int8_t in[TS_MODEL_INPUT_BYTES], out[TS_MODEL_OUTPUT_BYTES];\n"
        "int main(void) { int k; if (ts_model_invoke(in, out)) return 1;\n"
        '  for (k = 0; k < TS_MODEL_PROFILE_OPS; k++) printf("%u %u\\n", (unsigned)ts_model_op_index[k],'
        " (unsigned)ts_model_op_counts[k]);\n  return 0; }\n")
    exe = tmp_path / "model"
    cmd = ["cc", "-std=c99", "-O2", "-Wall", "-Wextra", "-Werror", "-pedantic", "-I", str(folder), str(main),
           *sorted(str(p) for p in folder.glob("*.c")), "-o", str(exe), "-lm"]
    built = subprocess.run(cmd, capture_output=True, text=True)
    assert built.returncode == 0, built.stderr
    rows = [tuple(map(int, line.split())) for line in subprocess.run(
        [str(exe)], capture_output=True, text=True, check=True).stdout.splitlines()]
    assert rows == [(layer.op_index, 1) for layer in report.layers if layer.timed]


def test_codegen_command_writes_a_profiling_build_only_when_asked(suite_model, tmp_path):
    from cli_helpers import run_cli

    model = tmp_path / "m.tflite"
    model.write_bytes(suite_model("motion_cnn_1d"))
    code, out, err = run_cli("codegen", str(model), "--out", str(tmp_path / "plain"))
    assert code == 0, err
    assert "TS_MODEL_PROFILE_OPS" not in (tmp_path / "plain" / "model.h").read_text() and "profile" not in out
    code, out, err = run_cli("codegen", str(model), "--out", str(tmp_path / "timed"), "--profile")
    assert code == 0, err
    timed = sum(layer.timed for layer in generate_files(model.read_bytes())[1].layers)
    assert f"#define TS_MODEL_PROFILE_OPS {timed}" in (tmp_path / "timed" / "model.h").read_text()
    assert f"{timed} ops timed into ts_model_op_counts" in out
