"""The generated C gives exactly TFLM's int8 output bytes, op by op and for whole models."""

from __future__ import annotations

import zlib

import numpy as np
import pytest

import suite_models
from codegen.harness import KERNEL_BUILDS, CompiledModel, Reference, compile_shared, random_inputs
from tinystudio.core.codegen import generate

pytestmark = pytest.mark.slow

INPUTS_PER_MODEL = 50


def case_seed(name: str) -> int:
    """The inputs' seed: a stable hash of the case name, so a failure replays in any process."""
    return zlib.crc32(name.encode()) % 1000


def _check(name: str, suite_model, tmp_path, optimize: str = "speed", kernels: str = "optimised") -> None:
    tflite = suite_model(name)
    report = generate(tflite, tmp_path / "gen", name=name, optimize=optimize)
    lib = compile_shared(tmp_path / "gen", tmp_path / "model.so", kernels)
    ours = CompiledModel(lib, int(np.prod(report.input_shape)), int(np.prod(report.output_shape)))
    # Models TFLM cannot load are checked against their static-batch twin (same weights, same scales).
    reference = Reference(suite_model(suite_models.STATIC_TWIN.get(name, name)))
    for i, x in enumerate(random_inputs(report.input_shape, INPUTS_PER_MODEL, seed=case_seed(name))):
        expected = reference(x)
        got = ours(x)
        assert np.array_equal(got, expected), f"{name}: input {i} differs at {np.flatnonzero(got != expected)[:8]}"


@pytest.mark.parametrize("kernels", KERNEL_BUILDS)
@pytest.mark.parametrize("name", list(suite_models.OP_MODELS))
def test_single_op_models_match_tflm(name, kernels, suite_model, tmp_path):
    _check(name, suite_model, tmp_path, kernels=kernels)


@pytest.mark.parametrize("kernels", KERNEL_BUILDS)
@pytest.mark.parametrize("name", list(suite_models.APP_MODELS))
def test_application_models_match_tflm(name, kernels, suite_model, tmp_path):
    _check(name, suite_model, tmp_path, kernels=kernels)


def test_shape_plumbing_is_folded_away(suite_model, tmp_path):
    report = generate(suite_model("reshape_layer_dynamic_batch"), tmp_path / "gen")
    assert {"SHAPE", "STRIDED_SLICE", "PACK", "GATHER", "REDUCE_PROD"} <= set(report.removed_ops)
    assert set(report.ops) <= {"FULLY_CONNECTED", "RESHAPE"}
    model_c = (tmp_path / "gen" / "model.c").read_text()
    assert model_c.count(": FULLY_CONNECTED */") == 2


@pytest.mark.parametrize("kernels", KERNEL_BUILDS)
@pytest.mark.parametrize("name", ["motion_cnn_1d", "conv2d_dilation", "conv2d_same_stride2_even"])
def test_size_optimized_build_matches_tflm(name, kernels, suite_model, tmp_path):
    _check(name, suite_model, tmp_path, optimize="size", kernels=kernels)


def _with_huge_bias(tflite: bytes) -> bytes:
    """Give the first op with a bias values near 2^30, where fast rounding could overflow."""
    import flatbuffers
    import numpy as np
    from tflite_micro.tensorflow.lite.micro.python import schema_py_generated as schema

    model = schema.ModelT.InitFromPackedBuf(bytearray(tflite), 0)
    graph = model.subgraphs[0]
    op = next(o for o in graph.operators if len(o.inputs) > 2 and o.inputs[2] >= 0)
    bias = graph.tensors[op.inputs[2]]
    count = int(np.prod(bias.shape))
    values = np.array([(1_200_000_000 if i % 2 else -1_200_000_000) + i for i in range(count)], dtype=np.int32)
    model.buffers[bias.buffer].data = np.frombuffer(values.tobytes(), dtype=np.uint8)
    builder = flatbuffers.Builder(len(tflite) + 1024)
    builder.Finish(model.Pack(builder), file_identifier=b"TFL3")
    return bytes(builder.Output())


def test_huge_accumulators_use_exact_rounding(suite_model, tmp_path):
    tflite = _with_huge_bias(suite_model("conv2d_same_relu"))
    report = generate(tflite, tmp_path / "gen")
    assert "#define TS_EXACT_REQUANT 1" in (tmp_path / "gen" / "ts_kernels_config.h").read_text()
    sizes = int(np.prod(report.input_shape)), int(np.prod(report.output_shape))
    ours = CompiledModel(compile_shared(tmp_path / "gen", tmp_path / "m.so"), *sizes)
    reference = Reference(tflite)
    for x in random_inputs(report.input_shape, 30):
        assert np.array_equal(ours(x), reference(x))


def test_ordinary_models_use_fast_rounding(suite_model, tmp_path):
    generate(suite_model("ds_cnn_kws"), tmp_path / "gen")
    assert "#define TS_EXACT_REQUANT 0" in (tmp_path / "gen" / "ts_kernels_config.h").read_text()


@pytest.mark.parametrize("kernels", KERNEL_BUILDS)
@pytest.mark.parametrize("name", ["depthwise_same_relu", "depthwise_dilation", "conv2d_dilation"])
def test_convs_without_fast_requantization_match_tflm(name, kernels, suite_model, tmp_path, monkeypatch):
    """Ops whose bounds rule out the one-SMMLAR requantization keep the general rounding, still exact."""
    from tinystudio.core.codegen import lower

    monkeypatch.setattr(lower, "_fast_requant", lambda *args: None)
    _check(name, suite_model, tmp_path, kernels=kernels)
    assert "fast_rq = 0" in (tmp_path / "gen" / "model.c").read_text()
