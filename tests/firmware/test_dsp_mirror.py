"""The firmware's C DSP blocks equal the numpy blocks of tinystudio/core/dsp bit for bit: both run the same
float32 steps in the same order on the same float32 tables. Checked natively through ctypes for every
block (and on the emulated Cortex-M4F in test_dsp_on_qemu.py). ``assert_close`` is the looser check other
tests use: |c - numpy| <= 1e-4 * (1 + |numpy|) elementwise, plus 1e-4 of the block's peak magnitude.
"""

import ctypes
import subprocess

import numpy as np
import pytest

from tinystudio.core.codegen.dsp_config import dsp_config
from tinystudio.core.dsp import make_block
from tinystudio.targets import get_target
from tinystudio.targets.build import firmware_root

from .conftest import FIXTURE_MODEL, fixture_reference

CASES = {
    "raw": ("raw", {"scale": 0.5}, 10.0, 100, 6),
    "spectral": ("spectral", {"fft_length": 16}, 10.0, 100, 6),
    "spectral_lowpass_linear": ("spectral", {"filter": "lowpass", "cutoff_hz": 2.0, "log": False,
                                             "fft_length": 32}, 10.0, 100, 3),
    "spectral_highpass_short": ("spectral", {"filter": "highpass", "cutoff_hz": 1.0, "fft_length": 64}, 20.0, 40, 2),
    "mfe": ("mfe", {"n_mels": 32, "noise_floor_db": -80.0}, 8000.0, 4000, 1),
    "mfcc_kws": ("mfcc", {"frame_length_ms": 40.0, "frame_stride_ms": 20.0, "n_mels": 40, "n_coeffs": 10},
                 16000.0, 16000, 1),
    "mfcc_defaults": ("mfcc", {}, 16000.0, 16000, 1),
    "mfcc_odd_frame_padded": ("mfcc", {"frame_length_ms": 25.0625, "fft_length": 1024, "n_coeffs": 20},
                              16000.0, 4000, 1),
    "mfe_scaled_second_axis": ("mfe", {"scale": 0.25, "n_mels": 24, "low_hz": 300.0}, 8000.0, 2000, 2),
    # FFT shapes: no radix-4 stage (N 4), one (N 8), zero-padded single segment (N 128 > 100 frames),
    # batches of segments with a remainder (N 64, 30 segments), many mel bands with empty filters, N 4096
    "spectral_fft4": ("spectral", {"fft_length": 4, "scale": 3.0}, 50.0, 64, 2),
    "spectral_fft8": ("spectral", {"fft_length": 8}, 50.0, 64, 2),
    "spectral_fft128_padded": ("spectral", {"fft_length": 128, "filter": "highpass", "cutoff_hz": 5.0}, 50.0, 100, 1),
    "spectral_fft64_batches": ("spectral", {"fft_length": 64, "log": False}, 100.0, 992, 1),
    # N 16 runs a kernel of its own when every segment is full: one segment and a remainder (23 frames,
    # filtered and scaled), and the general path when the window is shorter than N (12 frames)
    "spectral_fft16_one_segment": ("spectral", {"fft_length": 16, "filter": "highpass", "cutoff_hz": 1.0,
                                                "scale": 2.0}, 10.0, 23, 2),
    "spectral_fft16_padded": ("spectral", {"fft_length": 16}, 10.0, 12, 3),
    "mfe_many_bands": ("mfe", {"n_mels": 128, "fft_length": 256}, 8000.0, 2000, 1),
    # window statistics: percentiles by a sort (runs of 8 merged, the last run short), with a filter and scale,
    # without percentiles, one frame, a run and a half, and a long window (many merge passes)
    "statistics": ("statistics", {}, 50.0, 100, 6),
    "statistics_12_frames": ("statistics", {}, 50.0, 12, 2),
    "statistics_lowpass_scaled": ("statistics", {"filter": "lowpass", "cutoff_hz": 5.0, "scale": 0.5}, 50.0, 128, 3),
    "statistics_min_max_only": ("statistics", {"percentiles": False, "filter": "highpass", "cutoff_hz": 1.0},
                                10.0, 37, 2),
    "statistics_one_frame": ("statistics", {}, 10.0, 1, 3),
    "statistics_long": ("statistics", {}, 100.0, 4000, 1),
    # both blocks side by side: spectral features then statistics, one filter and scale for both
    "spectral_statistics_lowpass": ("spectral-statistics", {"filter": "lowpass", "cutoff_hz": 5.0, "scale": 0.5,
                                                            "fft_length": 32}, 50.0, 100, 3),
    "mfcc_fft4096": ("mfcc", {"frame_length_ms": 200.0, "frame_stride_ms": 100.0, "fft_length": 4096}, 16000.0,
                     8000, 1),
}


def _window(frames: int, axes: int, rate: float, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    t = np.arange(frames)[:, None] / rate
    freqs = rng.uniform(0.05, 0.4, axes) * rate
    x = np.sin(2 * np.pi * freqs * t) * rng.uniform(0.5, 3.0, axes) + rng.normal(0, 0.3, (frames, axes))
    return (x + rng.normal(0, 1.0, axes)).astype(np.float32)


def assert_close(c: np.ndarray, py: np.ndarray) -> None:
    tol = 1e-4 * (1.0 + np.abs(py)) + 1e-4 * float(np.abs(py).max())
    worst = np.max(np.abs(c - py) - tol)
    assert worst <= 0, f"max excess {worst} over tolerance"


@pytest.fixture(scope="module")
def compiled(tmp_path_factory):
    """name -> (block, ctypes function) for every case, built as shared libraries with -Werror."""
    out = {}
    runtime = firmware_root() / "runtime"
    for name, (block_name, params, rate, frames, axes) in CASES.items():
        block = make_block(block_name, params, rate, frames, axes)
        cfg = dsp_config(block)
        folder = tmp_path_factory.mktemp(f"dsp-{name}")
        (folder / "tsr_dsp_config.c").write_text(cfg.source)
        lib = folder / "libdsp.so"
        subprocess.run(
            ["cc", "-std=c99", "-O2", "-ffp-contract=off", "-Wall", "-Wextra", "-Werror", "-shared", "-fPIC",
             *cfg.defines(), f"-I{runtime}", str(runtime / "tsr_dsp_blocks.c"), str(folder / "tsr_dsp_config.c"),
             "-o", str(lib), "-lm"],
            check=True,
        )
        fn = ctypes.CDLL(str(lib)).tsr_dsp_features
        fn.argtypes = [ctypes.c_void_p, ctypes.c_void_p]
        fn.restype = ctypes.c_int
        out[name] = (block, fn)
    return out


@pytest.mark.parametrize("name", list(CASES))
def test_c_block_matches_numpy(compiled, name):
    block, fn = compiled[name]
    for seed in range(3):
        x = _window(block.window_frames, block.axes, block.rate_hz, seed)
        expected = block(x).ravel()
        got = np.zeros(expected.size, dtype=np.float32)
        assert fn(x.ctypes.data, got.ctypes.data) == 0
        np.testing.assert_array_equal(got, expected)


@pytest.mark.parametrize("name", ["statistics", "statistics_min_max_only"])
def test_c_statistics_match_numpy_on_ties_and_signed_zeros(compiled, name):
    """Whole-number samples with many ties and both zeros (-0 and +0 compare equal, so the two sorts may
    order them differently): min, max and every percentile still come out bit for bit the host's."""
    block, fn = compiled[name]
    rng = np.random.default_rng(4)
    x = np.round(rng.normal(0, 1.5, (block.window_frames, block.axes))).astype(np.float32)
    x[rng.random(x.shape) < 0.3] = np.float32(-0.0)
    x[:, 0] = np.float32(-0.0)  # an axis of zeros only
    expected = block(x).ravel()
    got = np.zeros(expected.size, dtype=np.float32)
    assert fn(x.ctypes.data, got.ctypes.data) == 0
    np.testing.assert_array_equal(got.view(np.uint32), expected.view(np.uint32))  # the bits, zeros' signs too


def test_dsp_block_must_match_model_input(fw_cache):
    from tinystudio.core.errors import UserError

    block = make_block("spectral", {}, 10.0, 100, 6)
    with pytest.raises(UserError, match="makes 78 features but the model takes 600 inputs"):
        get_target("host").build(FIXTURE_MODEL, fw_cache, dsp=block)


@pytest.mark.slow
@pytest.mark.parametrize("target", ["host", "mps2-an386"])
def test_board_runs_dsp_then_model(fw_cache, target):
    """A float32 window goes in; features match numpy and the model sees them quantized."""
    block = make_block("raw", {"scale": 0.7}, 10.0, 100, 6)
    board = get_target(target)
    artifact = board.build(FIXTURE_MODEL, fw_cache, dsp=block)
    x = _window(100, 6, 10.0, 9)
    with board.launch(artifact) as link:
        info = link.client.hello()
        assert info.dsp_kind == 1 and info.raw_input_bytes == 4 * 600
        result = link.client.infer(x.tobytes())
        features = np.frombuffer(link.client.features(), dtype=np.float32)
    expected = block(x).ravel()
    assert_close(features, expected)
    scale, zp = info.input_quant.scale, info.input_quant.zero_point
    q = np.clip(np.trunc(expected / np.float32(scale) + np.copysign(0.5, expected)) + zp, -128, 127)
    assert result.output == fixture_reference(q.astype(np.int8).tobytes())
    if target == "mps2-an386":
        assert result.dsp_count > 0
