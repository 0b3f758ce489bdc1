"""The firmware's real-input FFT and log (tsr_dsp_blocks.c, compiled natively with -Werror) against numpy's
double-precision FFT and log, and equal bit for bit to the host's float32 mirrors in tinystudio/core/dsp;
the sparse mel filterbank both sides use against the dense matrix product."""

import ctypes
import math
import subprocess

import numpy as np
import pytest

from tinystudio.core.dsp.fft import bit_reversal, fft, rfft_power, split_twiddles, stage_twiddles
from tinystudio.core.dsp.logf import logf
from tinystudio.core.dsp.mel import mel_filterbank, sparse_filters, sparse_mel
from tinystudio.targets.build import firmware_root

SIZES = [4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096]
F32 = ctypes.POINTER(ctypes.c_float)


class Rfft(ctypes.Structure):
    _fields_ = [("n", ctypes.c_uint32), ("rev", ctypes.POINTER(ctypes.c_uint16)), ("stages", F32), ("split", F32)]


@pytest.fixture(scope="module")
def lib(tmp_path_factory):
    runtime = firmware_root() / "runtime"
    out = tmp_path_factory.mktemp("dsp-fft") / "libfft.so"
    subprocess.run(["cc", "-std=c99", "-O2", "-ffp-contract=off", "-Wall", "-Wextra", "-Werror", "-shared", "-fPIC",
                    f"-I{runtime}", str(runtime / "tsr_dsp_blocks.c"), "-o", str(out), "-lm"], check=True)
    so = ctypes.CDLL(str(out))
    so.tsr_rfft_power4.argtypes = [ctypes.POINTER(Rfft), F32, F32]
    so.tsr_cfft.argtypes = [ctypes.c_uint32, F32, F32]
    so.tsr_logf.argtypes = [ctypes.c_float]
    so.tsr_logf.restype = ctypes.c_float
    return so


def _floats(a: np.ndarray) -> np.ndarray:
    return np.ascontiguousarray(a, dtype=np.float32)


def _ptr(a: np.ndarray):
    return a.ctypes.data_as(F32)


def _stages(m: int) -> np.ndarray:
    return _floats(np.concatenate([t.ravel() for t in stage_twiddles(m)] or [np.zeros(1, np.float32)]))


def c_rfft_power(lib, x: np.ndarray) -> np.ndarray:
    """|X_k|^2, k = 0..N/2, by the C code: pack x into z in bit-reversed order, tsr_rfft_power4, divide by 4."""
    n = x.size
    m = n // 2
    rev = np.ascontiguousarray(bit_reversal(m), dtype=np.uint16)
    stages, split = _stages(m), _floats(split_twiddles(n).ravel() if n > 4 else np.zeros(1))
    table = Rfft(n, rev.ctypes.data_as(ctypes.POINTER(ctypes.c_uint16)), _ptr(stages), _ptr(split))
    z = np.empty(n, np.float32)
    z.reshape(m, 2)[rev] = x.reshape(m, 2)
    power = np.empty(m + 1, np.float32)
    lib.tsr_rfft_power4(ctypes.byref(table), _ptr(z), _ptr(power))
    return power / np.float32(4.0)


@pytest.mark.parametrize("n", SIZES)
def test_c_real_fft_matches_numpy_rfft_within_float_tolerance(lib, n):
    rng = np.random.default_rng(n)
    for x in (rng.normal(size=n), np.sin(2 * np.pi * 0.1 * np.arange(n)) + 0.01 * rng.normal(size=n)):
        x = _floats(x)
        got = c_rfft_power(lib, x)
        spectrum = np.fft.rfft(x.astype(np.float64))
        tol = 1e-7 * np.abs(x).max() * math.sqrt(n) * math.log2(n)  # the bound stated in fft.py, per bin
        # plus the float32 rounding of |X|^2 itself (a few ulps of a large bin)
        np.testing.assert_allclose(np.sqrt(got), np.abs(spectrum), rtol=4e-7, atol=tol)
        np.testing.assert_array_equal(got, rfft_power(x))  # the host mirror gives the same bits


@pytest.mark.parametrize("m", [1, 2, 4, 8, 64, 512, 2048])
def test_c_complex_fft_matches_numpy_and_the_host(lib, m):
    rng = np.random.default_rng(m)
    re, im = _floats(rng.normal(size=m)), _floats(rng.normal(size=m))
    rev = bit_reversal(m)
    z = np.empty(2 * m, np.float32)
    z[0::2], z[1::2] = re[rev], im[rev]
    lib.tsr_cfft(m, _ptr(_stages(m)), _ptr(z))
    ref = np.fft.fft(re.astype(np.float64) + 1j * im)
    tol = 1e-7 * 2 * math.sqrt(m) * max(1, math.log2(m)) * max(np.abs(re).max(), np.abs(im).max())
    assert np.abs(z[0::2] - ref.real).max() <= tol and np.abs(z[1::2] - ref.imag).max() <= tol
    host_re, host_im = fft(re, im)
    np.testing.assert_array_equal(z[0::2], host_re)
    np.testing.assert_array_equal(z[1::2], host_im)


def test_c_logf_equals_the_host_logf_and_is_within_an_ulp_of_log(lib):
    rng = np.random.default_rng(3)
    x = _floats(np.concatenate([10.0 ** rng.uniform(-12, 30, 3000), rng.uniform(0.5, 2.0, 3000), [1e-10, 1.0]]))
    got = np.array([lib.tsr_logf(float(v)) for v in x], np.float32)
    np.testing.assert_array_equal(got, logf(x))
    exact = np.log(x.astype(np.float64))
    assert np.all(np.abs(got - exact) <= np.spacing(np.abs(got)))


@pytest.mark.parametrize(("n_mels", "n_fft", "rate", "low", "high"), [
    (40, 1024, 16000.0, 0.0, 8000.0),
    (32, 512, 16000.0, 20.0, 7600.0),
    (64, 128, 8000.0, 0.0, 4000.0),  # narrow low filters fall between bins: empty spans
    (10, 64, 100.0, 5.0, 40.0),
])
def test_sparse_mel_filterbank_matches_the_dense_one(n_mels, n_fft, rate, low, high):
    bank = mel_filterbank(n_mels, n_fft, rate, low, high)
    starts, lengths, weights = sparse_filters(bank)
    assert lengths.sum() == weights.size <= 2 * (n_fft // 2 + 1)  # each bin feeds at most two filters
    dense = np.zeros_like(bank)
    at = 0
    for m, (s, n) in enumerate(zip(starts, lengths, strict=True)):
        dense[m, s : s + n] = weights[at : at + n]
        at += n
    np.testing.assert_array_equal(dense, bank)  # the spans hold every nonzero weight
    power = _floats(np.random.default_rng(n_mels).exponential(size=(3, 5, n_fft // 2 + 1)))
    expected = power.astype(np.float64) @ bank.T.astype(np.float64)
    np.testing.assert_allclose(sparse_mel(power, bank), expected, rtol=1e-5, atol=1e-6)
