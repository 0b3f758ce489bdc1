"""The spectral + statistics block: its features are the two blocks' own, side by side, and the search can
draw it and measure a forest on it (the board's features are checked in tests/firmware/test_dsp_mirror.py and
tests/deploy/test_statistics_deploy.py)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import optuna

from tinystudio.app import tune as tune_app
from tinystudio.core.dsp import make_block
from tinystudio.core.search.outcome import COMPLETE
from tinystudio.core.search.space import impulse_for, suggest
from tinystudio.core.search.trial import run_trial
from tinystudio.core.store import Project
from tinystudio.targets.latency_table import latency_model
from tinystudio.targets.registry import board_spec


def test_features_are_the_spectral_then_the_statistics_features():
    params = {"fft_length": 32, "filter": "highpass", "cutoff_hz": 1.0, "scale": 2.0, "percentiles": True}
    both = make_block("spectral-statistics", params, 50.0, 100, 3)
    x = np.random.default_rng(0).normal(size=(4, 100, 3)).astype(np.float32)
    spectral = make_block("spectral", {k: v for k, v in params.items() if k != "percentiles"}, 50.0, 100, 3)
    stats = make_block("statistics", {k: v for k, v in params.items() if k != "fft_length"}, 50.0, 100, 3)
    expected = np.concatenate([spectral.transform(x), stats.transform(x)], axis=1)
    assert both.output_shape == (3 * (5 + 16) + 3 * 9,)
    np.testing.assert_array_equal(both.transform(x), expected)


def test_the_search_measures_a_forest_on_spectral_features_and_statistics(bm_copy: Path):
    with Project.open(bm_copy) as project:
        facts = tune_app._facts(project)
    window = facts.base.window.window_ms
    trial = optuna.trial.FixedTrial({"window_ms": window, "dsp": "spectral-statistics", "fft_length": 16,
                                     "family_spectral-statistics": "rf", "rf_trees": 10, "rf_depth": 8,
                                     "rf_split": "best", "rf_leaf": 1})
    params = suggest(trial, facts, ["dense", "rf"])
    assert (params["dsp"], params["family"]) == ("spectral-statistics", "rf")
    assert impulse_for(params, facts.base, 1).dsp.params["percentiles"] is True
    settings = {"epochs": 1, "seed": 1, "base_impulse": facts.base.to_dict(), "evaluation": "validation",
                "latency": latency_model(board_spec("mps2-an386")).to_dict()}
    outcome = run_trial(str(bm_copy), 0, params, settings)
    assert outcome.state == COMPLETE, outcome.note
    assert outcome.accuracy is not None and outcome.flash_bytes and outcome.flash_bytes > 0


def test_the_train_page_preview_draws_its_band_powers(qtbot):
    from tinystudio.gui.widgets.train_dsp_preview import DspPreviewWidget

    widget = DspPreviewWidget()
    qtbot.addWidget(widget)
    block = make_block("spectral-statistics", {}, 50.0, 100, 2)
    features = block(np.random.default_rng(1).normal(size=(100, 2)).astype(np.float32))
    widget.show_features(block, features, ["accX", "accY"])
    assert widget.features is features and "window statistics after them" in widget.caption.text()
    assert widget.plot.listDataItems()  # one curve of band powers per axis
