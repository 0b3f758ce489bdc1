"""A keyword-spotting-like audio project (16 kHz, MFCC + depthwise CNN) deployed with the DSP on the emulated
Cortex-M4F: the board's MFCC equal the host's bit for bit, so every test window predicts what the host's
int8 model predicts."""

from __future__ import annotations

import numpy as np
import pytest

from tinystudio.core.store import Project

pytestmark = pytest.mark.slow
RATE = 16000.0
WORDS = {"low": (300.0, 600.0), "mid": (900.0, 1400.0), "high": (2200.0, 3400.0)}


def utterance(rng: np.random.Generator, f0: float, f1: float) -> np.ndarray:
    """Two seconds of noise with a 0.4-0.7 s chirp from f0 to f1 Hz at a random onset and level."""
    sig = rng.normal(0.0, 0.02, int(2 * RATE))
    n = int(rng.uniform(0.4, 0.7) * RATE)
    start = int(rng.integers(0, sig.size - n))
    t = np.arange(n) / RATE
    phase = 2 * np.pi * (f0 * t + (f1 - f0) * t * t / (2 * t[-1]))
    sig[start : start + n] += rng.uniform(0.1, 0.5) * np.sin(phase) * np.hanning(n)
    return sig.astype(np.float32)


@pytest.fixture(scope="module")
def kws_project(tmp_path_factory: pytest.TempPathFactory) -> tuple[object, int]:
    from tinystudio.core.compress import compress
    from tinystudio.core.features import suggest_for_project
    from tinystudio.core.split import assign_splits
    from tinystudio.core.training import train

    rng = np.random.default_rng(4)
    path = tmp_path_factory.mktemp("kws") / "kws.tinystudio"
    with Project.create(path) as p:
        for label, (f0, f1) in WORDS.items():
            for _ in range(12):
                p.add_sample(utterance(rng, f0, f1)[:, None], RATE, ["audio"], label)
        assign_splits(p)
        impulse = suggest_for_project(p)
        assert impulse.dsp.block == "mfcc"
        impulse.model.epochs = 8
        run_id = train(p, impulse).run_id
        variant_id = compress(p, run_id, "ptq")
    return path, variant_id


@pytest.mark.usefixtures("qemu_available")
def test_kws_deploy_with_mfcc_on_the_board_agrees_with_the_host_on_every_window(kws_project):
    from tinystudio.app.deploy import deploy

    path, variant_id = kws_project
    with Project.open(path) as project:
        r = deploy(project, variant_id, "mps2-an386", device_dsp=True).results
    assert r["complete"] and r["mode"] == "dsp_on_board" and r["windows"] >= 10
    assert r["hello"]["dsp_on_board"]
    assert r["feature_error"]["max_abs"] == 0.0  # the board's MFCC are the host's, bit for bit
    assert r["agreement"] == 1.0 and r["nn_bit_exact"] == 1.0
    dsp, nn = r["latency"]["dsp"], r["latency"]["nn"]
    assert dsp["unit"] == nn["unit"] == "emulated instructions"
    assert dsp["on_board"] and dsp["mean"] > 0 and nn["mean"] > 0


@pytest.mark.usefixtures("qemu_available")
def test_live_audio_on_the_emulated_m4_matches_the_host_and_stops_promptly(kws_project):
    """A hop of 8,000 samples is 32 KB of frames: the board runs ahead by few of them, so a stop is answered."""
    from tinystudio.app.live import LiveHistory, prepare_live, run_live
    from tinystudio.core.progress import CancelToken

    path, variant_id = kws_project
    with Project.open(path) as project:
        plan = prepare_live(project, "mps2-an386", variant_id=variant_id)
        assert plan.tape is not None and plan.rate_hz == RATE
        history = LiveHistory(plan.rate_hz, 1)
        cancel, seen = CancelToken(), []

        def on_window(w):
            seen.append(w)
            if len(seen) >= 4:
                cancel.cancel()

        summary = run_live(plan, history, paced=False, cancel=cancel, on_window=on_window)
    assert summary.windows >= 4 and summary.agreement == 1.0
    signal_, first = history.last(history.seconds)
    assert first == 0 and np.array_equal(signal_, plan.tape[: len(signal_)])
    assert [w.end_s for w in seen[:3]] == [1.0, 1.5, 2.0]
