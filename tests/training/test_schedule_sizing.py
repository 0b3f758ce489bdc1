"""Learning-rate schedule and presets sized by the data (no TensorFlow needed)."""

from __future__ import annotations

import pytest

from tinystudio.core.impulse import ImpulseConfig, suggest_impulse
from tinystudio.core.models.sizing import PARAMS_PER_WINDOW, WARMUP_EPOCHS, size_for_data
from tinystudio.core.training import learning_rate_at


def test_cosine_schedule_warms_up_then_decays_to_a_tenth():
    rates = [learning_rate_at(e, 0.01, 20, "cosine", 3) for e in range(20)]
    assert rates[0] < rates[1] < rates[2] < rates[3] == pytest.approx(0.01)
    assert all(a >= b for a, b in zip(rates[3:], rates[4:], strict=False))
    assert rates[-1] == pytest.approx(0.001)
    assert [learning_rate_at(e, 0.01, 10, "constant", 0) for e in range(10)] == [0.01] * 10
    assert learning_rate_at(0, 0.01, 2, "cosine", 5) == pytest.approx(0.005)  # warm-up at most half the epochs


def test_presets_grow_with_the_training_windows_and_stay_in_budget():
    small = size_for_data("cnn1d", (100, 6), 7, 200)
    large = size_for_data("cnn1d", (100, 6), 7, 20_000)
    assert small.factor == 0.5 and small.model_params < large.model_params
    assert large.model_params <= PARAMS_PER_WINDOW * 20_000
    assert large.factor > 1.0
    assert large.warmup_epochs == (WARMUP_EPOCHS if large.model_params >= 10_000 else 0)
    for windows in (500, 3000):
        s = size_for_data("dense", (78,), 4, windows)
        assert s.factor == 0.5 or s.model_params <= PARAMS_PER_WINDOW * windows


def test_motion_and_audio_defaults_augment_with_a_schedule_and_old_impulses_do_not():
    for imp in (suggest_impulse(50.0, 6, 20.0), suggest_impulse(16000.0, 1, 1.0)):
        assert imp.model.augment and imp.model.lr_schedule == "cosine"
    old = ImpulseConfig.from_dict({"model": {"preset": "dense", "epochs": 5}})
    assert not old.model.augment and old.model.lr_schedule == "constant" and old.model.warmup_epochs == 0
