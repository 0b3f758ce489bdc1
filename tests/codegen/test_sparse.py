"""Pruned FULLY_CONNECTED weights are stored sparse (bitmask + non-zero values): smaller weights, same output
bytes as TFLM on the host and on the emulated Cortex-M4, and dense models are generated exactly as before."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import suite_models
from codegen import armrun
from codegen.harness import CompiledModel, Reference, compile_shared, random_inputs
from tinystudio.cli.main import main
from tinystudio.core.codegen import generate
from tinystudio.core.codegen.sparse import pack, sparse_bytes, unpack
from tinystudio.core.errors import UserError

SPARSE = list(suite_models.SPARSE_MODELS)
STRICT = ["-std=c99", "-O2", "-Wall", "-Wextra", "-Werror", "-pedantic"]


@settings(max_examples=60, deadline=None)
@given(hnp.arrays(np.int8, hnp.array_shapes(min_dims=2, max_dims=2, max_side=20), elements=st.integers(-3, 3)))
def test_bitmask_layout_round_trips(w):
    mask, values = pack(w)
    assert mask.size + values.size == sparse_bytes(w)
    assert np.array_equal(unpack(mask, values, *w.shape), w)


@pytest.mark.slow
@pytest.mark.parametrize("name", SPARSE)
def test_pruned_model_is_sparse_smaller_and_bit_exact(name, suite_model, tmp_path):
    tflite = suite_model(name)
    dense = generate(tflite, tmp_path / "dense", sparse="off")
    report = generate(tflite, tmp_path / "gen")
    assert [w.weights_layout for w in dense.weights_layouts] == ["dense"] * len(dense.weights_layouts)
    assert report.weights_layouts and all(w.weights_layout == "sparse" for w in report.weights_layouts)
    saved = report.sparse_bytes_saved
    assert saved > 0 and report.weights_bytes == dense.weights_bytes - saved
    assert "ts_fully_connected_sparse_s8.c" in report.files and "ts_fully_connected_sparse_s8.c" not in dense.files
    lib = compile_shared(tmp_path / "gen", tmp_path / "model.so")
    ours = CompiledModel(lib, int(np.prod(report.input_shape)), int(np.prod(report.output_shape)))
    reference = Reference(tflite)
    for i, x in enumerate(random_inputs(report.input_shape, 40, seed=7)):
        expected = reference(x)
        got = ours(x)
        assert np.array_equal(got, expected), f"{name}: input {i} differs at {np.flatnonzero(got != expected)[:8]}"


def test_fully_zero_row_and_column_are_stored(suite_model, tmp_path):
    from tinystudio.core.codegen.graph import read_model

    for name, axis in (("sparse_fc_zero_row", 1), ("sparse_fc_zero_column", 0)):
        graph = read_model(suite_model(name))
        w = next(graph.tensors[op.inputs[1]].data for op in graph.ops if op.kind == "FULLY_CONNECTED")
        assert np.any(np.all(w == 0, axis=axis)), name  # the model really has the empty row / column
        report = generate(suite_model(name), tmp_path / name)
        assert report.weights_layouts[0].weights_layout == "sparse"


@pytest.mark.parametrize("name", ["motion_cnn_1d", "fully_connected_relu", "fully_connected_3d", "softmax_dense"])
def test_dense_model_generates_the_same_bytes(name, suite_model, tmp_path):
    tflite = suite_model(name)
    auto = generate(tflite, tmp_path / "auto")
    off = generate(tflite, tmp_path / "off", sparse="off")
    assert auto.files == off.files and auto.weights_bytes == off.weights_bytes
    for fname in auto.files:
        assert (tmp_path / "auto" / fname).read_bytes() == (tmp_path / "off" / fname).read_bytes(), fname
    assert auto.weights_layouts and all(w.weights_layout == "dense" for w in auto.weights_layouts)
    assert auto.sparse_bytes_saved == 0


def test_bad_sparse_option_is_a_user_error(suite_model, tmp_path):
    with pytest.raises(UserError, match="sparse must be"):
        generate(suite_model("sparse_fc_80"), tmp_path / "gen", sparse="yes")


def test_cli_sparse_flag_and_summary(suite_model, tmp_path, capsys):
    model = tmp_path / "pruned.tflite"
    model.write_bytes(suite_model("sparse_fc_80"))
    assert main(["codegen", str(model), "--out", str(tmp_path / "a")]) == 0
    auto = capsys.readouterr().out
    assert main(["codegen", str(model), "--out", str(tmp_path / "b"), "--sparse", "off"]) == 0
    off = capsys.readouterr().out
    assert ": sparse (" in auto and "saved" in auto
    assert ": sparse (" not in off
    kernel = "ts_fully_connected_sparse_s8.c"
    assert (tmp_path / "a" / kernel).exists() and not (tmp_path / "b" / kernel).exists()


def _folder(suite_model, tmp_path):
    folder = tmp_path / "gen"
    generate(suite_model("sparse_fc_50"), folder)
    return folder


def test_sparse_kernel_is_warning_free_on_the_host(suite_model, tmp_path):
    folder = _folder(suite_model, tmp_path)
    for source in sorted(folder.glob("*.c")):
        cmd = ["cc", *STRICT, "-c", str(source), "-o", str(tmp_path / (source.stem + ".o"))]
        result = subprocess.run(cmd, capture_output=True, text=True)
        assert result.returncode == 0, result.stderr


@pytest.mark.skipif(not armrun.tools_available(), reason="arm-none-eabi-gcc or qemu-system-arm missing")
def test_sparse_kernel_is_warning_free_for_cortex_m4(suite_model, tmp_path):
    folder = _folder(suite_model, tmp_path)
    for source in sorted(folder.glob("*.c")):
        cmd = ["arm-none-eabi-gcc", *armrun.ARM_FLAGS, *STRICT, "-c", str(source), "-o", str(tmp_path / "x.o")]
        result = subprocess.run(cmd, capture_output=True, text=True)
        assert result.returncode == 0, result.stderr


@pytest.mark.slow
@pytest.mark.skipif(importlib.util.find_spec("ziglang") is None, reason="ziglang not installed")
@pytest.mark.skipif(shutil.which("qemu-system-arm") is None, reason="qemu-system-arm not installed")
def test_zig_built_firmware_with_sparse_weights_matches_tflm(suite_model, tmp_path, monkeypatch):
    from tinystudio.targets import get_target

    monkeypatch.setenv("TINYSTUDIO_ARM_CC", "zig")  # zig cc -Wall -Wextra -Werror on the generated C
    tflite = suite_model("sparse_fc_50")
    report = generate(tflite, tmp_path / "gen")
    assert any(w.weights_layout == "sparse" for w in report.weights_layouts)
    board = get_target("mps2-an386")
    artifact = board.build(tmp_path / "gen", tmp_path / "fw")
    reference = Reference(tflite)
    with board.launch(artifact) as link:
        assert link.client.hello().model_hash == report.model_hash
        for x in random_inputs(report.input_shape, 3, seed=9):
            result = link.client.infer(x.tobytes(), timeout=60)
            assert result.status == 0 and result.output == reference(x).tobytes()


@pytest.mark.slow
@pytest.mark.skipif(not armrun.tools_available(), reason="arm-none-eabi-gcc or qemu-system-arm missing")
@pytest.mark.parametrize("name", ["sparse_fc_50", "sparse_fc_95", "sparse_fc_3d"])
def test_sparse_model_on_cortex_m4_matches_tflm(name, suite_model, tmp_path):
    tflite = suite_model(name)
    report = generate(tflite, tmp_path / "gen")
    assert any(w.weights_layout == "sparse" for w in report.weights_layouts)
    inputs = random_inputs(report.input_shape, 8, seed=5)
    outputs, counts = armrun.run_elf(armrun.build_elf(tmp_path / "gen", inputs, tmp_path / "arm"))
    assert len(outputs) == len(inputs) and all(c > 0 for c in counts)
    reference = Reference(tflite)
    for x, got in zip(inputs, outputs, strict=True):
        assert np.array_equal(got, reference(x))


def test_layout_choice_pays_for_the_kernel():
    from tinystudio.core.codegen.sparse import KERNEL_BYTES, choose

    rng = np.random.default_rng(0)

    def pruned(rows: int, cols: int, zeros: float) -> np.ndarray:
        w = rng.integers(1, 127, size=(rows, cols)).astype(np.int8)
        w[rng.random((rows, cols)) < zeros] = 0
        return w

    big, small, dense = pruned(40, 64, 0.8), pruned(5, 8, 0.5), pruned(16, 16, 0.0)
    assert choose({0: big, 1: small, 2: dense}, "auto") == {0: "sparse", 1: "sparse", 2: "dense"}
    assert choose({0: big, 1: small}, "off") == {0: "dense", 1: "dense"}
    tiny = pruned(8, 16, 0.9)  # sparse layout smaller, but by less than the kernel's own code
    assert tiny.size - sparse_bytes(tiny) < KERNEL_BYTES
    assert choose({0: tiny}, "auto") == {0: "dense"}
    assert choose({0: small}, "auto") == {0: "dense"}  # saves too little alone
