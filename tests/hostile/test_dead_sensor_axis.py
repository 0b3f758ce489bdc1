"""A recording with a dead axis (an unplugged sensor channel, an unused input that always reads 0 or 7):
its standard deviation was clamped to 1e-6, so the int8 model's standardisation held a scale of 1e6 beside
the live axes' ~1 in one int8 scale. The live axes' factors quantized to nothing, and TFLite Micro aborted:
`tinystudio train` ended with "the model could not be run: the interpreter crashed (SIGABRT)". Now a constant
channel is divided by 1, as scikit-learn does, and the int8 model keeps the live axes."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np

from cli_helpers import run_cli
from tinystudio.core.store import Project


def test_training_with_a_dead_axis_gives_a_working_int8_model(tmp_path: Path):
    path = tmp_path / "p.tsproj"
    rng = np.random.default_rng(0)
    t = np.arange(100) / 50
    with Project.create(path) as p:
        for label, hz in (("slow", 1.0), ("fast", 4.0)):
            for i in range(8):
                live = np.sin(2 * np.pi * hz * t + i) + 0.1 * rng.standard_normal(t.size)
                signal = np.stack([live, np.zeros(t.size), np.full(t.size, 7.0)], axis=1).astype(np.float32)
                p.add_sample(signal, 50, ["x", "dead0", "dead7"], label, group=f"person{i % 4}")
    assert run_cli("split", str(path))[0] == 0

    code, out, err = run_cli("train", str(path), "--dsp", "raw", "--model", "dense", "--epochs", "30",
                             "--no-augment")

    assert code == 0, err
    match = re.search(r"test accuracy: float ([\d.]+), int8 PTQ ([\d.]+)", out)
    assert match, out
    assert float(match.group(2)) >= float(match.group(1)) - 0.2  # the int8 model still sees the live axis
