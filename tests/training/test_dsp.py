"""Each DSP block against a hand-computed case, plus the FFT against a double-precision reference."""

from __future__ import annotations

import math

import numpy as np
import pytest

from tinystudio.core.dsp import BLOCKS, make_block
from tinystudio.core.dsp.fft import fft, rfft_power
from tinystudio.core.dsp.mel import mel_filterbank
from tinystudio.core.dsp.mfcc import dct_matrix
from tinystudio.core.dsp.spectral import biquad, biquad_coefficients
from tinystudio.core.errors import UserError


def test_fft_hand_cases():
    re, im = fft(np.array([1, 0, 0, 0], np.float32), np.zeros(4, np.float32))
    np.testing.assert_array_equal(re, [1, 1, 1, 1])
    np.testing.assert_array_equal(im, [0, 0, 0, 0])
    re, im = fft(np.array([0, 1, 0, 0], np.float32), np.zeros(4, np.float32))  # e^{-i*pi*k/2}
    np.testing.assert_allclose(re, [1, 0, -1, 0], atol=1e-7)
    np.testing.assert_allclose(im, [0, -1, 0, 1], atol=1e-7)


@pytest.mark.parametrize("n", [2, 8, 64, 1024])
def test_fft_matches_double_precision_within_stated_tolerance(n):
    x = np.random.default_rng(n).normal(size=(3, n)).astype(np.float32)
    re, im = fft(x, np.zeros_like(x))
    ref = np.fft.fft(x.astype(np.float64))
    tol = 1e-7 * np.abs(x).max() * math.sqrt(n) * math.log2(n)  # the bound stated in fft.py
    assert np.abs(re - ref.real).max() <= tol
    assert np.abs(im - ref.imag).max() <= tol
    np.testing.assert_allclose(rfft_power(x), np.abs(np.fft.rfft(x)) ** 2, rtol=1e-4, atol=tol)


def test_fft_rejects_non_power_of_two():
    with pytest.raises(UserError, match="power of two"):
        fft(np.zeros(6, np.float32), np.zeros(6, np.float32))


def test_raw_block_scales():
    b = make_block("raw", {"scale": 2.0}, 10.0, 3, 2)
    out = b(np.array([[1, 2], [3, 4], [5, 6]], np.float32))
    np.testing.assert_array_equal(out, [[2, 4], [6, 8], [10, 12]])
    assert b.output_shape == (3, 2) and b.ops() == 6


def test_spectral_block_hand_case():
    # x = 1, 2, 3, 4: mean 2.5, var 1.25, rms sqrt(7.5), skew 0, excess kurtosis 2.5625/1.5625 - 3.
    # Hann(4) = 0, .5, 1, .5; d*w = 0, -.25, .5, .75; X1 = -.5 + 1i, X2 = 0; sum w^2 = 1.5.
    b = make_block("spectral", {"fft_length": 4, "log": False}, 10.0, 4, 1)
    out = b(np.array([[1], [2], [3], [4]], np.float32))
    expected = [2.5, math.sqrt(7.5), math.sqrt(1.25), 0.0, 2.5625 / 1.5625 - 3, 1.25 / 1.5, 0.0]
    np.testing.assert_allclose(out, expected, rtol=1e-6, atol=1e-6)
    assert b.output_shape == (7,)
    logged = make_block("spectral", {"fft_length": 4}, 10.0, 4, 1)(np.array([[1], [2], [3], [4]], np.float32))
    np.testing.assert_allclose(logged[5:], [math.log10(1.25 / 1.5 + 1e-10), -10.0], rtol=1e-5)


def test_spectral_features_are_per_axis_and_band_power_finds_the_tone():
    rate, n = 100.0, 200
    t = np.arange(n) / rate
    sig = np.stack([np.sin(2 * np.pi * 12.5 * t), 3 + 0 * t], axis=1).astype(np.float32)
    b = make_block("spectral", {"fft_length": 16}, rate, n, 2)
    out = b(sig).reshape(2, -1)
    powers = out[0, 5:]
    assert np.argmax(powers) + 1 == 2  # bin k at k*100/16 Hz: 12.5 Hz is bin 2
    np.testing.assert_allclose(out[1, :3], [3.0, 3.0, 0.0], atol=1e-5)  # constant axis: mean, rms, std


def test_biquad_impulse_response_and_dc_behaviour():
    b, a = biquad_coefficients("lowpass", 5.0, 100.0)
    x = np.zeros((1, 3, 1), np.float32)
    x[0, 0, 0] = 1
    y = biquad(x, b, a)[0, :, 0]
    y1 = b[1] - a[0] * b[0]
    np.testing.assert_allclose(y, [b[0], y1, b[2] - a[0] * y1 - a[1] * b[0]], rtol=1e-6)
    const = np.ones((1, 400, 1), np.float32)
    assert abs(biquad(const, b, a)[0, -1, 0] - 1.0) < 1e-3  # low-pass keeps DC
    hb, ha = biquad_coefficients("highpass", 5.0, 100.0)
    assert abs(biquad(const, hb, ha)[0, -1, 0]) < 1e-3  # high-pass removes it


def test_filter_cutoff_must_be_below_nyquist():
    with pytest.raises(UserError, match="cut-off"):
        make_block("spectral", {"filter": "lowpass", "cutoff_hz": 6.0}, 10.0, 20, 1)


def test_mel_filterbank_hand_case():
    # one band from 0 to 4 Hz: centre at mel^-1(mel(4)/2) = 1.9977 Hz; bins at 0..4 Hz.
    w = mel_filterbank(1, 8, 8.0, 0.0, 4.0)[0]
    centre = 700 * (10 ** (2595 * math.log10(1 + 4 / 700) / 2 / 2595) - 1)
    expected = [0, 1 / centre, min(2 / centre, 2 / (4 - centre)), 1 / (4 - centre), 0]
    np.testing.assert_allclose(w, expected, rtol=1e-6, atol=1e-6)
    assert abs(centre - 1.9977) < 1e-3


def test_mfe_of_silence_is_the_floor_and_a_tone_lights_its_band():
    rate = 8000.0
    b = make_block("mfe", {"n_mels": 20}, rate, 4000, 1)
    assert b.output_shape == (48, 20)  # 1 + (4000 - 200) // 80 frames
    np.testing.assert_array_equal(b(np.zeros((4000, 1), np.float32)), 0.0)
    t = np.arange(4000) / rate
    tone = b(np.sin(2 * np.pi * 1000 * t)[:, None].astype(np.float32))
    band = int(np.argmax(tone.mean(axis=0)))
    edges = 700 * (10 ** (np.linspace(0, 2595 * np.log10(1 + 4000 / 700), 22) / 2595) - 1)
    assert edges[band] < 1000 < edges[band + 2]


def test_mfcc_of_silence_is_a_scaled_constant_c0():
    b = make_block("mfcc", {"n_mels": 16, "n_coeffs": 5}, 8000.0, 1000, 1)
    out = b(np.zeros((1000, 1), np.float32))
    assert out.shape == b.output_shape == (11, 5)
    np.testing.assert_allclose(out[:, 0], -100.0 * math.sqrt(16), rtol=1e-5)
    np.testing.assert_allclose(out[:, 1:], 0.0, atol=1e-3)
    d = dct_matrix(16, 16).astype(np.float64)
    np.testing.assert_allclose(d @ d.T, np.eye(16), atol=1e-6)  # orthonormal


def test_audio_blocks_refuse_frames_shorter_than_a_few_samples():
    with pytest.raises(UserError, match="audio"):
        make_block("mfcc", {}, 10.0, 100, 6)


@pytest.mark.parametrize("name", sorted(BLOCKS))
def test_every_block_reports_shape_and_cost(name):
    rate, frames, axes = (16000.0, 8000, 1) if name in ("mfe", "mfcc") else (100.0, 200, 3)
    b = make_block(name, {}, rate, frames, axes)
    x = np.random.default_rng(1).normal(size=(4, frames, axes)).astype(np.float32)
    out = b.transform(x)
    assert out.shape == (4, *b.output_shape) and out.dtype == np.float32
    longer = make_block(name, {}, rate, frames * 2, axes)
    assert 0 < b.ops() < longer.ops()
    d = b.describe()
    assert d["block"] == name and d["version"] >= 1 and list(d["output_shape"]) == list(b.output_shape)


def test_unknown_block_and_parameter_are_clear_errors():
    with pytest.raises(UserError, match="unknown DSP block"):
        make_block("wavelet", {}, 10.0, 10, 1)
    with pytest.raises(UserError, match="unknown parameter"):
        make_block("raw", {"gain": 2}, 10.0, 10, 1)
    with pytest.raises(UserError, match="power of two"):
        make_block("spectral", {"fft_length": 12}, 10.0, 10, 1)


def _spectral_reference(x: np.ndarray, n: int) -> np.ndarray:
    """The spectral block's docstring, evaluated in float64 with numpy's FFT (no filter, log on)."""
    out = []
    for a in range(x.shape[1]):
        s = x[:, a].astype(np.float64)
        mean = s.mean()
        d = s - mean
        var = (d**2).mean()
        feats = [mean, math.sqrt((s**2).mean()), math.sqrt(var),
                 (d**3).mean() / var**1.5, (d**4).mean() / var**2 - 3]
        w = 0.5 - 0.5 * np.cos(2 * np.pi * np.arange(n) / n)
        segs = [d[i : i + n] for i in range(0, len(d) - n + 1, n // 2)]
        p = np.mean([np.abs(np.fft.rfft(seg * w)) ** 2 for seg in segs], axis=0)[1:] / (w**2).sum()
        out.extend(feats + list(np.log10(p + 1e-10)))
    return np.array(out)


def _mfcc_reference(sig: np.ndarray, rate: float, n_mels: int, n_coeffs: int) -> np.ndarray:
    """The MFCC docstrings (framing, Hann, power / N, HTK mel, 10*log10, orthonormal DCT) in float64."""
    frame, hop, n_fft = int(0.025 * rate), int(0.010 * rate), 512
    w = 0.5 - 0.5 * np.cos(2 * np.pi * np.arange(frame) / frame)
    mel = lambda f: 2595 * np.log10(1 + f / 700)  # noqa: E731
    edges = 700 * (10 ** (np.linspace(mel(0.0), mel(rate / 2), n_mels + 2) / 2595) - 1)
    f = np.arange(n_fft // 2 + 1) * rate / n_fft
    bank = np.array([np.maximum(0, np.minimum((f - edges[m]) / (edges[m + 1] - edges[m]),
                                              (edges[m + 2] - f) / (edges[m + 2] - edges[m + 1])))
                     for m in range(n_mels)])
    rows = []
    for start in range(0, len(sig) - frame + 1, hop):
        p = np.abs(np.fft.rfft(sig[start : start + frame] * w, n_fft)) ** 2 / n_fft
        log_e = 10 * np.log10(bank @ p + 1e-10)
        j, m = np.arange(n_coeffs)[:, None], np.arange(n_mels)[None, :]
        dct = np.cos(np.pi * j * (m + 0.5) / n_mels) * np.sqrt(2 / n_mels)
        dct[0] = np.sqrt(1 / n_mels)
        rows.append(dct @ log_e)
    return np.array(rows)


def test_spectral_block_follows_its_documented_math_within_the_stated_tolerance():
    x = np.random.default_rng(5).normal(0.3, 2.0, (128, 3)).astype(np.float32)
    out = make_block("spectral", {"fft_length": 32}, 50.0, 128, 3)(x)
    ref = _spectral_reference(x, 32)
    np.testing.assert_allclose(out, ref, rtol=1e-4, atol=1e-4)


def test_mfcc_block_follows_its_documented_math_within_the_stated_tolerance():
    rate = 16000.0
    t = np.arange(8000) / rate
    sig = (0.5 * np.sin(2 * np.pi * 440 * t) + 0.05 * np.random.default_rng(2).normal(size=t.size))
    out = make_block("mfcc", {"n_mels": 32, "n_coeffs": 13}, rate, 8000, 1)(sig[:, None].astype(np.float32))
    ref = _mfcc_reference(sig.astype(np.float32).astype(np.float64), rate, 32, 13)
    assert out.shape == ref.shape
    np.testing.assert_allclose(out, ref, rtol=1e-4, atol=1e-3 * np.abs(ref).max())


def test_statistics_block_gives_the_window_statistics_baseline_features():
    """Per axis mean, std, min, max and the 10/25/50/75/90th percentiles as numpy computes them (its
    default linear interpolation): the features of the usual random-forest baseline, axis after axis."""
    x = np.random.default_rng(6).normal(0.5, 2.0, (4, 101, 3)).astype(np.float32)
    out = make_block("statistics", {}, 50.0, 101, 3).transform(x).reshape(4, 3, 9)
    x64 = x.astype(np.float64)
    ref = np.stack([x64.mean(1), x64.std(1), x64.min(1), x64.max(1)]
                   + [np.percentile(x64, p, axis=1) for p in (10, 25, 50, 75, 90)], axis=2)
    np.testing.assert_allclose(out, ref, rtol=1e-5, atol=1e-5)
    short = make_block("statistics", {"percentiles": False, "scale": 2.0}, 50.0, 101, 3).transform(x)
    np.testing.assert_array_equal(short.reshape(4, 3, 4), (out * 2).reshape(4, 3, 9)[:, :, :4])


def test_statistics_block_filters_and_checks_its_cut_off():
    x = np.cumsum(np.random.default_rng(7).normal(size=(1, 200, 1)), axis=1).astype(np.float32)
    plain = make_block("statistics", {}, 50.0, 200, 1).transform(x)[0]
    high = make_block("statistics", {"filter": "highpass", "cutoff_hz": 2.0}, 50.0, 200, 1).transform(x)[0]
    assert abs(high[0]) < abs(plain[0]) and high[1] < plain[1]  # the drift (mean, spread) is filtered out
    with pytest.raises(UserError, match="cut-off must be between 0 and 25 Hz"):
        make_block("statistics", {"filter": "lowpass", "cutoff_hz": 30.0}, 50.0, 200, 1)
