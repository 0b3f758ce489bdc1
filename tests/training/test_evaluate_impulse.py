"""Evaluation metrics (hand case) and the impulse configuration's JSON round trip and checks."""

from __future__ import annotations

import json

import pytest

from tinystudio.core.errors import UserError
from tinystudio.core.evaluate import Evaluation, evaluate
from tinystudio.core.impulse import ImpulseConfig, suggest_impulse
from tinystudio.core.models import model_spec


def test_evaluation_hand_case():
    # true:  a a a b b c ; predicted: a a b b c c
    ev = evaluate([0, 0, 0, 1, 1, 2], [0, 0, 1, 1, 2, 2], ["a", "b", "c"])
    assert ev.confusion == [[2, 1, 0], [0, 1, 1], [0, 0, 1]]
    assert ev.accuracy == pytest.approx(4 / 6)
    assert ev.per_class["a"]["precision"] == 1.0 and ev.per_class["a"]["recall"] == pytest.approx(2 / 3)
    assert ev.per_class["b"]["precision"] == 0.5 and ev.per_class["b"]["recall"] == 0.5
    assert ev.per_class["c"]["f1"] == pytest.approx(2 * 0.5 * 1 / 1.5)
    assert Evaluation.from_dict(json.loads(json.dumps(ev.to_dict()))) == ev


def test_class_never_predicted_scores_zero_not_nan():
    ev = evaluate([0, 1], [0, 0], ["a", "b"])
    assert ev.per_class["b"] == {"precision": 0.0, "recall": 0.0, "f1": 0.0, "support": 1}


def test_evaluation_rejects_mismatched_inputs():
    with pytest.raises(UserError):
        evaluate([0, 1], [0], ["a", "b"])
    with pytest.raises(UserError):
        evaluate([0, 3], [0, 1], ["a", "b"])


def test_impulse_json_round_trip():
    imp = suggest_impulse(100.0, 3, 10.0)
    imp.model.class_weights = {"a": 2.0}
    back = ImpulseConfig.from_json(imp.to_json())
    assert back == imp


def test_impulse_rejects_bad_values_and_newer_versions():
    imp = ImpulseConfig()
    imp.window.stride_ms = 0
    with pytest.raises(UserError, match="stride"):
        imp.validate()
    with pytest.raises(UserError, match="newer"):
        ImpulseConfig.from_dict({"version": 99})
    with pytest.raises(UserError, match="JSON"):
        ImpulseConfig.from_json("{not json")


def test_suggestions_follow_the_data():
    audio = suggest_impulse(16000.0, 1, 1.0)
    assert audio.dsp.block == "mfcc" and audio.model.preset == "dscnn"
    motion = suggest_impulse(10.0, 6, 10.0)
    assert motion.dsp.block == "spectral" and motion.model.preset == "dense"
    assert motion.window.window_ms * 10 / 1000 >= 8  # enough frames for the FFT
    short = suggest_impulse(100.0, 3, 0.5)
    assert short.window.window_ms <= 500  # never longer than a typical recording


def test_model_size_is_counted_without_tensorflow():
    spec = model_spec("dense", {"hidden": [4], "dropout": 0.0}, (10,), 2)
    assert spec.summary() == {"params": 10 * 4 + 4 + 4 * 2 + 2, "macs": 10 * 4 + 4 * 2}
    cnn = model_spec("cnn1d", {"filters": [2], "kernel": 3, "pool": 2, "dropout": 0.0}, (8, 3), 2)
    # conv: 3*1*3*2 + 2 params, 8*3*3*2 MACs; pool -> 4x1x2 = 8; dense 8*2 + 2
    assert cnn.summary() == {"params": 20 + 18, "macs": 144 + 16}


def test_model_presets_reject_bad_parameters():
    with pytest.raises(UserError, match="unknown model preset"):
        model_spec("transformer", {}, (10,), 2)
    with pytest.raises(UserError, match="invalid value"):
        model_spec("dense", {"dropout": "lots"}, (10,), 2)
    with pytest.raises(UserError, match="two labels"):
        model_spec("dense", {}, (10,), 1)


def test_auto_class_weights_offset_imbalance():
    import numpy as np

    from tinystudio.core.training import class_weights

    y = np.array([0] * 30 + [1] * 10)
    auto = class_weights(y, 2, "auto", ["a", "b"])
    assert auto[1] == pytest.approx(3 * auto[0])
    assert auto[0] * 30 + auto[1] * 10 == pytest.approx(40)  # total weight unchanged
    assert class_weights(y, 2, "none", ["a", "b"]) == {0: 1.0, 1: 1.0}
    assert class_weights(y, 2, {"b": 5.0}, ["a", "b"]) == {0: 1.0, 1: 5.0}
