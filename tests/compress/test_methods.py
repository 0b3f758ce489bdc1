"""Each compression method on BasicMotions: the figures a user compares (int8 accuracy measured with
TFLite Micro, zero weights, parameter counts) meet the bars, and every variant compiles to C."""

from __future__ import annotations

import numpy as np
import pytest

from tinystudio.core.codegen import generate
from tinystudio.core.compress.compare import variant_rows
from tinystudio.core.int8_reference import Int8Reference
from tinystudio.core.pipeline_data import pipeline_data
from tinystudio.core.store import Project

from .tflite_weights import INT8, read_flat

pytestmark = pytest.mark.slow


def _variant(project: Project, variant_id: int) -> dict:
    return next(v for v in project.variants() if v["id"] == variant_id)


def test_pruning_half_the_weights_are_zero_and_accuracy_holds(compressed):
    with Project.open(compressed.path) as project:
        v = _variant(project, compressed.variants["prune"])
        flat = read_flat(project.variant_tflite(v["id"]))
    assert v["metrics"]["pruned_layers"], "the pruned layers are named"
    assert len(flat.weights) == len(v["metrics"]["pruned_layers"])
    for w in flat.weights:
        assert np.count_nonzero(w == 0) / w.size >= 0.45
    assert v["metrics"]["test_accuracy"] >= compressed.run.float_test_accuracy - 0.1
    assert v["metrics"]["sparsity"] >= 0.45


def test_qat_int8_accuracy_close_to_the_float_run(compressed):
    with Project.open(compressed.path) as project:
        v = _variant(project, compressed.variants["qat"])
    assert v["config"]["method"] == "qat"
    assert v["metrics"]["test_accuracy"] >= compressed.run.float_test_accuracy - 0.05


def test_distilled_student_is_smaller_and_accurate(compressed):
    with Project.open(compressed.path) as project:
        v = _variant(project, compressed.variants["distill"])
        flat = read_flat(project.variant_tflite(v["id"]))
    student_params = sum(w.size for w in flat.weights) + sum(b.size for b in flat.biases)
    assert student_params < compressed.run.teacher_params
    assert v["metrics"]["test_accuracy"] >= 0.8


@pytest.mark.parametrize("method", ["ptq", "qat", "prune", "distill"])
def test_every_variant_is_full_integer_and_generates_c(compressed, method, tmp_path):
    with Project.open(compressed.path) as project:
        tflite = project.variant_tflite(compressed.variants[method])
        data = pipeline_data(project, compressed.run.run_id)
        test = data.features("test")
        expected = _variant(project, compressed.variants[method])["metrics"]["test_accuracy"]
    flat = read_flat(tflite)
    assert flat.input_type == INT8 and flat.output_type == INT8
    assert set(flat.tensor_types.values()) == {INT8}, "every computed tensor is int8"
    report = generate(tflite, tmp_path / "c", name="model")
    assert report.arena_bytes > 0 and report.weights_bytes > 0
    assert (tmp_path / "c" / "model.c").is_file()
    # the stored accuracy is what TFLM gives on the project's test windows (raw DSP features in)
    pred = Int8Reference(tflite).predict(test)
    assert np.mean(pred == data.y["test"]) == pytest.approx(expected)


def test_comparison_lists_every_method_with_its_figures(compressed):
    with Project.open(compressed.path) as project:
        rows = {r.method: r for r in variant_rows(project, compressed.run.run_id)}
    assert set(rows) == {"ptq", "qat", "prune", "distill"}
    for r in rows.values():
        assert r.flash_bytes >= r.weights_bytes > 0
        assert r.arena_bytes > 0 and r.macs > 0
        assert r.run_test_accuracy == pytest.approx(compressed.run.float_test_accuracy)
    assert rows["prune"].nonzero_params < 0.6 * rows["ptq"].nonzero_params
    assert rows["prune"].params == rows["ptq"].params
    assert rows["distill"].macs < rows["ptq"].macs
    assert rows["distill"].weights_bytes < rows["ptq"].weights_bytes
