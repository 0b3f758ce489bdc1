"""A pruned variant of the BasicMotions model now costs less flash than its plain int8 (PTQ) variant: the
generated C stores its mostly-zero FULLY_CONNECTED weights sparse, and still gives TFLM's outputs."""

from __future__ import annotations

import numpy as np
import pytest

from tinystudio.core.codegen import generate
from tinystudio.core.compress.compare import variant_rows
from tinystudio.core.pipeline_data import pipeline_data
from tinystudio.core.store import Project

pytestmark = pytest.mark.slow


def test_pruned_variant_needs_less_flash_than_ptq(compressed):
    with Project.open(compressed.path) as project:
        rows = {r.method: r for r in variant_rows(project, compressed.run.run_id)}
    pruned, ptq = rows["prune"], rows["ptq"]
    for r in (ptq, pruned):
        print(f"{r.method}: weights {r.weights_bytes} B, code {r.code_bytes} B, flash {r.flash_bytes} B")
    assert pruned.params == ptq.params
    assert pruned.weights_bytes < ptq.weights_bytes
    assert pruned.flash_bytes < ptq.flash_bytes


def test_pruned_variant_is_stored_sparse_and_matches_tflm(compressed, tmp_path):
    from codegen.harness import CompiledModel, Reference, compile_shared

    with Project.open(compressed.path) as project:
        tflite = project.variant_tflite(compressed.variants["prune"])
        test = pipeline_data(project, compressed.run.run_id).features("test")
    report = generate(tflite, tmp_path / "c")
    dense = generate(tflite, tmp_path / "dense", sparse="off")
    assert any(w.weights_layout == "sparse" for w in report.weights_layouts)
    assert report.weights_bytes == dense.weights_bytes - report.sparse_bytes_saved < dense.weights_bytes
    lib = compile_shared(tmp_path / "c", tmp_path / "model.so")
    ours = CompiledModel(lib, int(np.prod(report.input_shape)), int(np.prod(report.output_shape)))
    reference = Reference(tflite)
    scale, zp = report.input_quant
    for window in test[:20]:
        x = np.clip(np.round(np.asarray(window, dtype=np.float32) / scale) + zp, -128, 127).astype(np.int8)
        assert np.array_equal(ours(x), reference(x))
