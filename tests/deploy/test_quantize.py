"""Int8 post-training quantization (the one path, core/compress/ptq.py, that Compress and Deploy share): a
full-integer model that takes the DSP output as it is, scored on the test split with TFLite Micro,
stored as a variant of its run."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from tinystudio.core.compress.int8 import INPUT_DSP_FEATURES
from tinystudio.core.compress.ptq import PTQ_KIND, latest_ptq_variant
from tinystudio.core.errors import UserError
from tinystudio.core.int8_reference import Int8Reference, quantize_input
from tinystudio.core.pipeline_data import pipeline_data
from tinystudio.core.store import Project

pytestmark = pytest.mark.slow


def test_variant_is_full_integer_and_scored_on_the_test_split(trained):
    with Project.open(trained.path) as project:
        variant = latest_ptq_variant(project, trained.run_id)
        assert variant is not None and variant["id"] == trained.variant_id
        tflite = project.variant_tflite(trained.variant_id)
        run = project.run(trained.run_id)
        data = pipeline_data(project, trained.run_id)
    assert variant["config"]["kind"] == PTQ_KIND
    assert variant["config"]["input"] == INPUT_DSP_FEATURES
    ref = Int8Reference(tflite)  # refuses anything but int8 in and out
    assert int(np.prod(ref.input_shape)) == int(np.prod(data.block.output_shape))
    metrics = variant["metrics"]
    test = metrics["test"]
    assert test["count"] == len(data.y["test"]) > 0
    # The stored accuracy is what TFLM gives on the raw DSP features of the test split.
    predicted = ref.predict(data.features("test"))
    assert metrics["test_accuracy"] == pytest.approx(float(np.mean(predicted == data.y["test"])))
    # Quantization keeps the float model's decisions (the standardisation kept, before the quantization).
    assert metrics["test_agreement_with_float"] >= 0.9
    assert metrics["test_accuracy"] >= run.metrics["test_accuracy"] - 0.1


def test_input_quantization_rounds_half_away_from_zero_and_saturates():
    f = np.array([0.5, -0.5, 1.5, -1.5, 0.49, 1000.0, -1000.0, np.nan], dtype=np.float32)
    q = quantize_input(f, 1.0, 0)
    assert q.tolist() == [1, -1, 2, -2, 0, 127, -128, 0]
    assert quantize_input(np.array([0.0], np.float32), 0.5, -50).tolist() == [-50]


def test_quantizing_a_run_without_model_is_a_clear_error(project):
    from tinystudio.core.compress import compress

    config = project.run(project.runs()[0].id).config
    run_id = project.add_run("train", config, {}, {}, None)
    with pytest.raises(UserError, match="no stored model"):
        compress(project, run_id, "ptq")


def test_importing_quantize_does_not_load_tensorflow():
    code = ("import sys, tinystudio.core.compress.ptq, tinystudio.app.deploy; "
            "print('tensorflow' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
