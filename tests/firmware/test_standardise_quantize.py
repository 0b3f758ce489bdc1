"""The firmware's per-feature standardisation before the int8 input quantization (tsr_standardise_quantize in
tsr_dsp_blocks.c, compiled natively with -Werror) gives the host reference's int8 input bit for bit, on
features of very different magnitudes, values on the rounding edges, saturating values and NaN."""

import ctypes
import shutil
import subprocess

import numpy as np
import pytest

from tinystudio.core.features import Normalization
from tinystudio.core.input_standardisation import standardise_flat
from tinystudio.core.int8_reference import quantize_input
from tinystudio.targets.build import firmware_root

F32 = ctypes.POINTER(ctypes.c_float)


@pytest.fixture(scope="module")
def lib(tmp_path_factory):
    if shutil.which("cc") is None:
        pytest.skip("no host C compiler")
    runtime = firmware_root() / "runtime"
    out = tmp_path_factory.mktemp("standardise") / "libstd.so"
    subprocess.run(["cc", "-std=c99", "-O2", "-ffp-contract=off", "-Wall", "-Wextra", "-Werror", "-shared", "-fPIC",
                    f"-I{runtime}", str(runtime / "tsr_dsp_blocks.c"), "-o", str(out), "-lm"], check=True)
    so = ctypes.CDLL(str(out))
    so.tsr_standardise_quantize.argtypes = [F32, ctypes.c_uint32, F32, F32, ctypes.c_uint32, ctypes.c_float,
                                            ctypes.c_int32, ctypes.POINTER(ctypes.c_int8)]
    return so


def _board(lib, features: np.ndarray, norm: Normalization, scale: float, zero_point: int) -> np.ndarray:
    f = np.ascontiguousarray(features, dtype=np.float32)
    mean = np.ascontiguousarray(norm.mean, dtype=np.float32)
    std = np.ascontiguousarray(norm.std, dtype=np.float32)
    q = np.zeros(f.size, dtype=np.int8)
    lib.tsr_standardise_quantize(f.ctypes.data_as(F32), f.size, mean.ctypes.data_as(F32), std.ctypes.data_as(F32),
                                 mean.size, scale, zero_point, q.ctypes.data_as(ctypes.POINTER(ctypes.c_int8)))
    return q


@pytest.mark.parametrize("channels", [1, 2, 6, 13])
def test_board_standardises_and_quantizes_as_the_host(lib, channels: int) -> None:
    rng = np.random.default_rng(channels)
    frames = 64
    # channels recorded in units from milli to kilo: what one input scale could not hold before standardising
    spread = (10.0 ** rng.uniform(-3, 3, channels)).astype(np.float32)
    centre = (rng.standard_normal(channels) * spread * 3).astype(np.float32)
    x = (centre + spread * rng.standard_normal((frames, channels)) * 2).astype(np.float32)
    norm = Normalization.fit(x)
    scale = np.float32(0.03125)  # a binary scale puts many standardised values exactly on the rounding edges
    edges = (norm.mean + norm.std * (np.arange(frames)[:, None] % 9 - 4) * scale / 2).astype(np.float32)
    x[: frames // 2] = edges[: frames // 2]
    x[0, 0], x[1, -1] = np.nan, np.float32(3e38)  # NaN -> the zero point; a huge value saturates
    flat = x.reshape(-1)
    for zero_point in (0, -7):
        host = quantize_input(standardise_flat(norm, flat), float(scale), zero_point)
        assert np.array_equal(_board(lib, flat, norm, float(scale), zero_point), host)
        levels = [len(np.unique(host.reshape(frames, channels)[:, c])) for c in range(channels)]
        assert min(levels) >= 16  # every channel spans many of the input's levels, whatever its units
