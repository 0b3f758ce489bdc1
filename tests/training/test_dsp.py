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
