"""The defaults around a training run: balanced class weights recorded in the run, int8 checked right
after training with quantization-aware training when post-training quantization loses more than the
allowed points, and int8 within 1 point of float on every preset on BasicMotions."""

from __future__ import annotations

import json
import shutil

import numpy as np
import pytest

from cli_helpers import run_cli
from tinystudio.app import train as train_app
from tinystudio.core.errors import Cancelled
from tinystudio.core.progress import CancelToken
from tinystudio.core.store import Project

pytestmark = pytest.mark.slow


def _imbalanced_project(path):
    """Equal-length recordings: 10 of 'idle' and 1 of 'shake' in train (10:1), one of each in validation
    and in test."""
    rng = np.random.default_rng(0)
    t = np.arange(200) / 50.0
    with Project.create(path) as project:
        for label, train_count, freq in (("idle", 10, 1.0), ("shake", 1, 4.0)):
            for i, split in enumerate(["train"] * train_count + ["validation", "test"]):
                sig = np.stack([np.sin(2 * np.pi * freq * t + k) for k in range(3)], axis=1)
                sig += 0.1 * rng.standard_normal(sig.shape)
                project.add_sample(sig.astype(np.float32), 50.0, ["x", "y", "z"], label, name=f"{label}{i}",
                                   split=split)
    return path


def test_ten_to_one_imbalance_trains_with_balanced_weights_recorded(tmp_path):
    path = _imbalanced_project(tmp_path / "imb.tsproj")
    code, out, err = run_cli("train", str(path), "--epochs", "2", "--no-int8", "--json")
    assert code == 0, err
    summary = json.loads(out)
    with Project.open(path) as project:
        run = project.run(summary["run_id"])
    weights = run.config["class_weights"]
    assert summary["class_weights"] == weights
    assert run.config["impulse"]["model"]["class_weights"] == "auto"
    # balanced: n / (classes * n_c), so the rare class weighs 10x the common one (10:1 train windows)
    assert weights["shake"] / weights["idle"] == pytest.approx(10.0)
    assert weights["idle"] < 1.0 < weights["shake"]
    assert run.config["dataset"]["train"]["samples"] == 11


def test_auto_qat_runs_when_ptq_loses_more_than_allowed(bm_split_project, tmp_path):
    """A negative allowance (int8 must beat float) makes any PTQ loss too much, so the QAT path runs."""
    path = tmp_path / "p.tsproj"
    shutil.copy(bm_split_project, path)
    with Project.open(path) as project:
        impulse = train_app.default_impulse(project)
        impulse.model.epochs = 5
        messages: list[str] = []
        result = train_app.train(project, impulse, int8=True, max_int8_loss=-1.0,
                                 progress=lambda f, m: messages.append(m))
        check = result.int8
        assert check is not None and check.qat_variant is not None
        variants = {v["id"]: v for v in project.variants(result.run_id)}
        assert variants[check.ptq_variant]["config"]["method"] == "ptq"
        assert variants[check.qat_variant]["config"]["method"] == "qat"  # stored as a normal variant
        assert check.qat_accuracy["test"] == variants[check.qat_variant]["metrics"]["test_accuracy"]
        assert check.ptq_accuracy["test"] == variants[check.ptq_variant]["metrics"]["test_accuracy"]
    assert any("quantization-aware training: " in m for m in messages)
    summary = train_app.run_summary(result)
    assert summary["float_accuracy"] == result.test.accuracy
    assert summary["ptq_accuracy"] == check.ptq_accuracy["test"]
    assert summary["qat_accuracy"] == check.qat_accuracy["test"]
    lines = train_app.int8_lines(result)
    assert "int8 PTQ" in lines[0] and "int8 QAT" in lines[0] and "quantization-aware training" in lines[1]


def test_cancel_during_qat_keeps_the_run_and_the_ptq_variant(bm_split_project, tmp_path):
    path = tmp_path / "p.tsproj"
    shutil.copy(bm_split_project, path)
    token = CancelToken()

    def progress(fraction, message):
        if message.startswith("quantization-aware training: ") and "epoch" in message:
            token.cancel()

    with Project.open(path) as project:
        impulse = train_app.default_impulse(project)
        impulse.model.epochs = 3
        result = train_app.train(project, impulse, int8=True, max_int8_loss=-1.0, progress=progress, cancel=token)
        assert token.cancelled and result.int8 is None
        methods = [v["config"]["method"] for v in project.variants(result.run_id)]
        assert methods == ["ptq"]
        assert [r.id for r in project.runs("train")] == [result.run_id]
    with pytest.raises(Cancelled):
        token.raise_if_cancelled()


def test_cli_prints_float_and_int8_and_reports_them_in_json(bm_copy):
    code, out, err = run_cli("train", str(bm_copy), "--epochs", "5", "--json")
    assert code == 0, err
    summary = json.loads(out)
    assert {"float_accuracy", "ptq_accuracy", "qat_accuracy", "int8"} <= set(summary)
    assert summary["float_accuracy"] == summary["test_accuracy"]
    with Project.open(bm_copy) as project:
        (ptq,) = [v for v in project.variants(summary["run_id"]) if v["config"]["method"] == "ptq"]
    assert summary["ptq_accuracy"] == ptq["metrics"]["test_accuracy"]
    assert (summary["qat_accuracy"] is None) == (summary["int8"]["ptq_loss"] <= 0.01)
    code, out, err = run_cli("train", str(bm_copy), "--epochs", "2", "--no-augment")
    assert code == 0, err
    assert "no augmentation" in out and "test accuracy: float " in out and "int8 PTQ" in out


@pytest.mark.parametrize("preset, dsp", [("dense", "spectral"), ("cnn1d", "raw"), ("dscnn", "raw")])
def test_int8_within_one_point_of_float_on_every_preset(bm_split_project, tmp_path, preset, dsp):
    path = tmp_path / "p.tsproj"
    shutil.copy(bm_split_project, path)
    with Project.open(path) as project:
        impulse = train_app.size_to_data(project, train_app.with_changes(
            train_app.default_impulse(project), dsp=dsp, model=preset))
        result = train_app.train(project, impulse, int8=True)
    check = result.int8
    best = check.qat_loss if check.best_variant == check.qat_variant else check.ptq_loss
    assert best <= 0.01 + 1e-9, check.to_dict()
    assert result.test.accuracy >= 0.8  # a real model, not a constant one that quantizes trivially
