"""The generated C gives exactly TFLM's int8 output bytes, op by op and for whole models."""

from __future__ import annotations

import numpy as np
import pytest

import suite_models
from codegen.harness import CompiledModel, Reference, compile_shared, random_inputs
from tinystudio.core.codegen import generate

pytestmark = pytest.mark.slow

INPUTS_PER_MODEL = 50


def _check(name: str, suite_model, tmp_path, optimize: str = "speed") -> None:
    tflite = suite_model(name)
    report = generate(tflite, tmp_path / "gen", name=name, optimize=optimize)
    lib = compile_shared(tmp_path / "gen", tmp_path / "model.so")
    ours = CompiledModel(lib, int(np.prod(report.input_shape)), int(np.prod(report.output_shape)))
    # Models TFLM cannot load are checked against their static-batch twin (same weights, same scales).
    reference = Reference(suite_model(suite_models.STATIC_TWIN.get(name, name)))
    for i, x in enumerate(random_inputs(report.input_shape, INPUTS_PER_MODEL, seed=hash(name) % 1000)):
        expected = reference(x)
        got = ours(x)
        assert np.array_equal(got, expected), f"{name}: input {i} differs at {np.flatnonzero(got != expected)[:8]}"


@pytest.mark.parametrize("name", list(suite_models.OP_MODELS))
def test_single_op_models_match_tflm(name, suite_model, tmp_path):
    _check(name, suite_model, tmp_path)


@pytest.mark.parametrize("name", list(suite_models.APP_MODELS))
def test_application_models_match_tflm(name, suite_model, tmp_path):
    _check(name, suite_model, tmp_path)


def test_shape_plumbing_is_folded_away(suite_model, tmp_path):
    report = generate(suite_model("reshape_layer_dynamic_batch"), tmp_path / "gen")
    assert {"SHAPE", "STRIDED_SLICE", "PACK", "GATHER", "REDUCE_PROD"} <= set(report.removed_ops)
    assert set(report.ops) <= {"FULLY_CONNECTED", "RESHAPE"}
    model_c = (tmp_path / "gen" / "model.c").read_text()
    assert model_c.count(": FULLY_CONNECTED */") == 2


@pytest.mark.parametrize("name", ["motion_cnn_1d", "conv2d_dilation", "conv2d_same_stride2_even"])
def test_size_optimized_build_matches_tflm(name, suite_model, tmp_path):
    _check(name, suite_model, tmp_path, optimize="size")
