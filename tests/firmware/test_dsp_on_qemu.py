"""Every DSP block running on the emulated Cortex-M4F (QEMU mps2-an386) gives exactly the features of the
host's float32 block, and the model behind it sees them quantized as TFLite's QUANTIZE does.

The model is the hand-written fixture model resized to the block's feature count, so one board per block
builds in seconds; the windows go over the emulated UART as float32 samples."""

import shutil

import numpy as np
import pytest

from tinystudio.core.dsp import make_block
from tinystudio.targets import get_target

from .conftest import FIXTURE_MODEL, fixture_reference
from .test_dsp_mirror import _window

pytestmark = [pytest.mark.slow, pytest.mark.skipif(shutil.which("qemu-system-arm") is None,
                                                   reason="qemu-system-arm is not installed")]

KWS = {"frame_length_ms": 40.0, "frame_stride_ms": 20.0, "n_mels": 40}
CASES = {
    "raw": ("raw", {"scale": 0.5}, 10.0, 100, 6, 3),
    "spectral": ("spectral", {}, 10.0, 100, 6, 3),
    "spectral_lowpass_fft32": ("spectral", {"filter": "lowpass", "cutoff_hz": 2.0, "fft_length": 32}, 10.0, 100, 3, 3),
    # scaled statistics in fours with a remainder of three frames, N 16's fused loop on one segment
    "spectral_scaled_23_frames": ("spectral", {"scale": 3.0}, 10.0, 23, 2, 2),
    # window statistics: the merge sort and interpolated percentiles; min and max by comparison after a filter
    "statistics": ("statistics", {}, 50.0, 100, 6, 3),
    "statistics_highpass_min_max": ("statistics", {"percentiles": False, "filter": "highpass", "cutoff_hz": 1.0,
                                                   "scale": 9.81}, 50.0, 128, 3, 2),
    "mfe_kws": ("mfe", KWS, 16000.0, 16000, 1, 2),
    "mfcc_kws": ("mfcc", {**KWS, "n_coeffs": 10}, 16000.0, 16000, 1, 2),
    "mfcc_defaults_8k": ("mfcc", {}, 8000.0, 8000, 1, 2),
    "mfcc_defaults": ("mfcc", {}, 16000.0, 16000, 1, 1),
}
FPU_BOARDS = ("mps2-an500", "mps2-an505", "mps3-an547")
"""Other cores with a single-precision FPU (M7, M33, M55): they run the FFT's assembly radix-4 stages too."""


def quantize(features: np.ndarray, scale: float, zero_point: int) -> np.ndarray:
    """TFLite's QUANTIZE in float32: round(f / scale) half away from zero, plus the zero point, clamped."""
    v = (features.astype(np.float32) / np.float32(scale)).astype(np.float64)
    r = np.trunc(v)
    r += (v - r >= 0.5).astype(np.float64) - (v - r <= -0.5)
    return np.clip(r + zero_point, -128, 127).astype(np.int8)


def model_for(features: int, folder) -> object:
    """The fixture model (a fixed int8 rule over all inputs) taking ``features`` inputs."""
    shutil.copytree(FIXTURE_MODEL, folder)
    header = folder / "model.h"
    text = header.read_text().replace("#define TS_MODEL_INPUT_BYTES 600", f"#define TS_MODEL_INPUT_BYTES {features}")
    text = text.replace("#define TS_MODEL_INPUT_RANK 3", "#define TS_MODEL_INPUT_RANK 2")
    header.write_text(text.replace("#define TS_MODEL_INPUT_SHAPE {1, 100, 6}",
                                   f"#define TS_MODEL_INPUT_SHAPE {{1, {features}}}"))
    return folder


@pytest.mark.parametrize("name", list(CASES))
def test_board_features_equal_the_host_block(fw_cache, tmp_path, name):
    check_board(fw_cache, tmp_path, "mps2-an386", name)


@pytest.mark.parametrize("board", FPU_BOARDS)
@pytest.mark.parametrize("name", ["spectral", "spectral_lowpass_fft32", "mfcc_defaults_8k"])
def test_other_fpu_cores_give_the_host_features_too(fw_cache, tmp_path, board, name):
    """N 16 runs its fused Welch loop and the statistics in assembly, N 32 starts the radix-4 stages after a
    fused radix-4 one, N 256 after a radix-2 one."""
    check_board(fw_cache, tmp_path, board, name)


def check_board(fw_cache, tmp_path, board_name: str, name: str) -> None:
    block_name, params, rate, frames, axes, windows = CASES[name]
    block = make_block(block_name, params, rate, frames, axes)
    features = int(np.prod(block.output_shape))
    board = get_target(board_name)
    artifact = board.build(model_for(features, tmp_path / "model"), fw_cache, dsp=block)
    with board.launch(artifact) as link:
        info = link.client.hello()
        for seed in range(windows):
            x = _window(frames, axes, rate, seed)
            result = link.client.infer(x.tobytes(), timeout=120)
            got = np.frombuffer(link.client.features(), dtype=np.float32)
            expected = block(x).ravel()
            np.testing.assert_array_equal(got, expected)  # bit for bit, not within a tolerance
            assert result.status == 0 and result.dsp_count > 0
            q = quantize(expected, info.input_quant.scale, info.input_quant.zero_point)
            assert result.output == fixture_reference(q.tobytes())
