"""Augmentation of raw train windows: seeded and deterministic, rotations that keep each x/y/z triple's
vector lengths, and validation and test windows left exactly as recorded."""

from __future__ import annotations

import shutil

import numpy as np
import pytest

from datasets import AXES, basic_motions
from tinystudio.core.augment import (
    augment_windows,
    axis_triples,
    random_rotation,
    rotate_triples,
)
from tinystudio.core.store import Project


@pytest.fixture(scope="module")
def windows() -> tuple[np.ndarray, np.ndarray]:
    x, y = basic_motions()
    return x[:24, :40], np.unique(y[:24], return_inverse=True)[1]


def test_axis_triples_are_found_by_name():
    assert axis_triples(list(AXES)) == [(0, 1, 2), (3, 4, 5)]
    assert axis_triples(["acc_x", "acc_y", "acc_z", "temp"]) == [(0, 1, 2)]
    assert axis_triples(["x", "y", "z"]) == [(0, 1, 2)]
    assert axis_triples(["accX", "accY", "pressure"]) == []


def test_the_same_seed_gives_the_same_copies_and_another_seed_others(windows):
    x, y = windows
    kw = {"rate_hz": 10.0, "axis_names": list(AXES)}
    a, ya = augment_windows(x, y, seed=7, **kw)
    b, yb = augment_windows(x, y, seed=7, **kw)
    c, _ = augment_windows(x, y, seed=8, **kw)
    assert a.shape == (2 * len(x), *x.shape[1:]) and np.array_equal(ya, np.tile(y, 2))
    assert np.array_equal(a, b) and np.array_equal(ya, yb)
    assert not np.allclose(a, c)
    assert not np.allclose(a[: len(x)], x)  # the copies do differ from the recordings
    # small perturbations: each copy keeps its window's overall energy within a quarter
    energy = np.sqrt((x.astype(np.float64) ** 2).mean(axis=(1, 2)))
    copy_energy = np.sqrt((a[: len(x)].astype(np.float64) ** 2).mean(axis=(1, 2)))
    assert np.all(np.abs(copy_energy / energy - 1) < 0.25)


def test_audio_windows_get_noise_and_shift_deterministically():
    rng = np.random.default_rng(0)
    x = np.sin(np.linspace(0, 200, 8000, dtype=np.float32)).reshape(8, 1000, 1) + 0.01 * rng.standard_normal(
        (8, 1000, 1)).astype(np.float32)
    y = np.arange(8) % 2
    a, _ = augment_windows(x, y, rate_hz=16000.0, axis_names=["audio"], seed=1)
    b, _ = augment_windows(x, y, rate_hz=16000.0, axis_names=["audio"], seed=1)
    assert np.array_equal(a, b) and not np.allclose(a[:8], x)


def test_rotation_keeps_every_triples_norms_and_the_angle_between_them(windows):
    x, _ = windows
    rng = np.random.default_rng(3)
    triples = axis_triples(list(AXES))
    for w in x[:6]:
        rot = random_rotation(rng, 10.0)
        out = rotate_triples(w, triples, rot)
        acc, gyr = w[:, :3].astype(np.float64), w[:, 3:].astype(np.float64)
        racc, rgyr = out[:, :3], out[:, 3:]
        assert np.allclose(np.linalg.norm(racc, axis=1), np.linalg.norm(acc, axis=1), rtol=1e-9, atol=1e-9)
        assert np.allclose(np.linalg.norm(rgyr, axis=1), np.linalg.norm(gyr, axis=1), rtol=1e-9, atol=1e-9)
        # one rotation for both sensors: the angle between accelerometer and gyroscope vectors is kept
        assert np.allclose((racc * rgyr).sum(axis=1), (acc * gyr).sum(axis=1), atol=1e-7)
        assert not np.allclose(out, w)
        angle = np.degrees(np.arccos(np.clip((np.trace(rot) - 1) / 2, -1, 1)))
        assert angle <= 10.0 + 1e-9


@pytest.mark.slow
def test_augmented_training_leaves_validation_and_test_untouched(bm_split_project, tmp_path):
    from tinystudio.core.features import prepare_data, suggest_for_project
    from tinystudio.core.training import augmented_train, train

    path = tmp_path / "p.tsproj"
    shutil.copy(bm_split_project, path)
    with Project.open(path) as project:
        impulse = suggest_for_project(project)
        assert impulse.model.augment  # on by default for motion
        impulse.model.epochs = 2
        data = prepare_data(project, impulse)
        x, y, info = augmented_train(data, impulse)
        n = len(data.x["train"])
        assert info["enabled"] and info["windows_added"] == 2 * n and len(x) == 3 * n
        assert np.array_equal(x[:n], data.x["train"]) and np.array_equal(y[:n], data.y["train"])
        again = prepare_data(project, impulse)
        for split in ("validation", "test"):
            assert np.array_equal(again.x[split], data.x[split])
        on = train(project, impulse)
        impulse.model.augment = False
        off = train(project, impulse)
    assert on.config["augmentation"]["windows_added"] == 2 * n
    assert off.config["augmentation"] == {"enabled": False}
    for split in ("validation", "test"):
        assert on.config["dataset"][split] == off.config["dataset"][split]
        ev_on, ev_off = getattr(on, split), getattr(off, split)
        assert ev_on.count == ev_off.count == on.config["dataset"][split]["windows"]
    assert on.config["dataset"]["train"] == off.config["dataset"]["train"]  # the split's own windows
