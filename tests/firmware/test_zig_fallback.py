"""The zig fallback compiler (TINYSTUDIO_ARM_CC=zig, PyPI's ziglang) builds the QEMU firmware: generated
models stay bit-exact with TFLite Micro (on the M4F, the M55 and the M0), the MFCC block's features match
numpy, the flash/RAM report and the too-small-budget message work as with arm-none-eabi-gcc, and the
libc-less build's own roundf and log10f (firmware/freestanding/tsr_libm.c) are checked against numpy bit
pattern by bit pattern: roundf exact, log10f below 1 ulp.
"""

import ctypes
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from tinystudio.core.dsp import make_block
from tinystudio.core.errors import UserError
from tinystudio.targets import get_target
from tinystudio.targets.base import MemoryBudget
from tinystudio.targets.build import firmware_root

from .test_dsp_mirror import assert_close
from .test_generated_models import Reference

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import suite_models  # noqa: E402

pytest.importorskip("ziglang")

MODELS = ["motion_cnn_1d", "ds_cnn_kws"]


@pytest.fixture(autouse=True)
def zig(monkeypatch):
    """Every build in this module uses the zig compiler, as a user who sets TINYSTUDIO_ARM_CC=zig."""
    monkeypatch.setenv("TINYSTUDIO_ARM_CC", "zig")


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    """name -> (model folder, codegen report, TFLM reference)."""
    from tinystudio.core.codegen import generate

    out = {}
    for name in MODELS:
        tflite = suite_models.build(name)
        folder = tmp_path_factory.mktemp(f"zig-{name}")
        out[name] = (folder, generate(tflite, folder), Reference(tflite))
    return out


def built_by_zig(elf: Path) -> bool:
    """zig's clang and lld sign the ELF's .comment; arm-none-eabi-gcc writes 'GCC: (...)' there."""
    blob = elf.read_bytes()
    return b"clang version" in blob and b"GCC: (" not in blob


# The M4F, the M55 with its Helium kernels (zig's core name needs +mve_fp) and the M0 (DS-CNN's arena
# exceeds the microbit's RAM).
BOARD_MODELS = [("mps2-an386", n) for n in MODELS] + [("mps3-an547", n) for n in MODELS] + [
    ("microbit", "motion_cnn_1d")]


@pytest.mark.slow
@pytest.mark.parametrize(("board_name", "name"), BOARD_MODELS)
def test_zig_firmware_is_bit_exact_with_tflm(generated, fw_cache, board_name, name):
    folder, report, reference = generated[name]
    board = get_target(board_name)
    artifact = board.build(folder, fw_cache)
    assert built_by_zig(artifact.path)
    assert artifact.sections[".text"] > 0 and artifact.sections[".bss"] >= report.arena_bytes
    assert artifact.static_ram_bytes >= report.arena_bytes
    rng = np.random.default_rng(3)
    with board.launch(artifact) as link:
        info = link.client.hello()
        assert info.model_hash == report.model_hash
        assert info.arena_bytes == report.arena_bytes
        assert (info.flash_used, info.ram_used) == (artifact.flash_bytes, artifact.static_ram_bytes)
        for _ in range(3):
            x = rng.integers(-128, 128, reference.input_shape, dtype=np.int8)
            result = link.client.infer(x.tobytes(), timeout=60)
            assert result.status == 0
            assert result.output == reference(x)
        assert result.nn_count > 0
        assert 0 < link.client.stack().peak_bytes < board.budget.min_stack_bytes


@pytest.mark.slow
def test_zig_firmware_runs_mfcc_within_tolerance_of_numpy(generated, fw_cache):
    """MFCC exercises the freestanding log10f (mel energies in dB) and roundf (feature quantization)."""
    folder, _report, reference = generated["ds_cnn_kws"]
    block = make_block(
        "mfcc", {"frame_length_ms": 40.0, "frame_stride_ms": 20.0, "n_mels": 40, "n_coeffs": 10}, 16000.0, 16000, 1
    )
    board = get_target("mps2-an386")
    artifact = board.build(folder, fw_cache, dsp=block)
    assert built_by_zig(artifact.path)
    t = np.arange(16000) / 16000.0
    rng = np.random.default_rng(11)
    audio = (0.4 * np.sin(2 * np.pi * 700 * t) * np.exp(-2 * t) + rng.normal(0, 0.03, t.size)).astype(np.float32)
    audio[4000:4800] = 0.0  # a silent stretch: mel energies near zero, log10f of the epsilon floor
    with board.launch(artifact) as link:
        info = link.client.hello()
        result = link.client.infer(audio[:, None].tobytes(), timeout=120)
        features = np.frombuffer(link.client.features(), dtype=np.float32)
    expected = block(audio[:, None]).ravel()
    assert_close(features, expected)
    assert result.status == 0 and result.dsp_count > 0
    scale, zp = info.input_quant.scale, info.input_quant.zero_point
    quantized = np.clip(np.round(features / np.float32(scale)) + zp, -128, 127).astype(np.int8)
    assert result.output == reference(quantized)


@pytest.mark.slow
def test_zig_link_failure_names_the_overflow(generated, fw_cache):
    folder, _report, _reference = generated["motion_cnn_1d"]
    fits = get_target("mps2-an386").build(folder, fw_cache)
    budget = MemoryBudget(flash_bytes=8 * 1024, ram_bytes=8 * 1024)
    with pytest.raises(UserError) as caught:
        get_target("mps2-an386", budget).build(folder, fw_cache)
    message = str(caught.value)
    match = re.fullmatch(
        r"the model does not fit the board: it exceeds flash by (\d+) bytes \(budget 8 KB\) "
        r"and RAM by (\d+) bytes \(budget 8 KB, stack included\)",
        message,
    )
    assert match, message
    # lld may place a 16-byte-aligned constant a few bytes differently once the region has overflowed
    assert 0 <= fits.flash_bytes - budget.flash_bytes - int(match.group(1)) <= 16
    assert int(match.group(2)) == fits.static_ram_bytes + budget.min_stack_bytes - budget.ram_bytes


# The freestanding roundf / log10f, compiled natively (the same C99 source) and run over many floats.

_DRIVER = """
#include <stdint.h>
float roundf(float x);
float log10f(float x);
void apply_round(const float *x, float *y, int32_t n) { for (int32_t i = 0; i < n; i++) y[i] = roundf(x[i]); }
void apply_log10(const float *x, float *y, int32_t n) { for (int32_t i = 0; i < n; i++) y[i] = log10f(x[i]); }
"""


@pytest.fixture(scope="module")
def libm(tmp_path_factory):
    folder = tmp_path_factory.mktemp("libm")
    (folder / "driver.c").write_text(_DRIVER)
    lib = folder / "libtsrm.so"
    renames = ["-Droundf=tsr_test_roundf", "-Dlog10f=tsr_test_log10f"]
    source = firmware_root() / "freestanding" / "tsr_libm.c"
    subprocess.run(
        ["cc", "-std=c99", "-O2", "-ffp-contract=off", "-fno-builtin", "-Wall", "-Wextra", "-Werror", "-shared",
         "-fPIC", *renames, str(source), str(folder / "driver.c"), "-o", str(lib)],
        check=True,
    )
    return ctypes.CDLL(str(lib))


def _apply(lib, fn: str, x: np.ndarray) -> np.ndarray:
    x = np.ascontiguousarray(x, dtype=np.float32)
    y = np.empty_like(x)
    getattr(lib, fn)(x.ctypes.data_as(ctypes.c_void_p), y.ctypes.data_as(ctypes.c_void_p), ctypes.c_int32(x.size))
    return y


def _floats(rng: np.random.Generator, count: int) -> np.ndarray:
    """Random bit patterns (every exponent, both signs, subnormals, nan, inf) plus the edge values."""
    random = rng.integers(0, 1 << 32, count, dtype=np.uint64).astype(np.uint32).view(np.float32)
    subnormal = rng.integers(1, 1 << 23, 4096, dtype=np.uint32).view(np.float32)
    near_one = np.float32(1.0) + rng.normal(0, 1e-3, 4096).astype(np.float32)
    edges = np.array(
        [0.0, -0.0, 1.0, 10.0, 0.1, 1e-10, 0.5, 1.5, 2.5, -2.5, 0.49999997, 8388607.5, 8388608.0, 16777215.0,
         1.4e-45, 1.17549435e-38, 3.4028235e38, -1.0, np.inf, -np.inf, np.nan],
        dtype=np.float32,
    )
    return np.concatenate([random, subnormal, -subnormal, near_one, edges]).astype(np.float32)


def test_freestanding_roundf_is_exact(libm):
    x = _floats(np.random.default_rng(5), 1 << 19)
    got = _apply(libm, "apply_round", x)
    with np.errstate(invalid="ignore"):  # signalling nan bit patterns
        x64 = x.astype(np.float64)
    want = np.where(np.abs(x64) >= 2.0**23, x64, np.trunc(x64 + np.copysign(0.5, x64))).astype(np.float32)
    nan = np.isnan(x)
    assert np.array_equal(np.isnan(got), nan)
    assert np.array_equal(got[~nan].view(np.uint32), want[~nan].view(np.uint32))  # signed zeros included


def test_freestanding_log10f_is_within_one_ulp(libm):
    x = _floats(np.random.default_rng(6), 1 << 19)
    got = _apply(libm, "apply_log10", x)
    with np.errstate(divide="ignore", invalid="ignore"):  # log10 of 0 and of negatives
        want = np.log10(x.astype(np.float64))
    special = ~np.isfinite(want) | (x == 1.0)
    assert np.array_equal(np.isnan(got), np.isnan(want))
    assert np.array_equal(got[np.isinf(want)], want[np.isinf(want)].astype(np.float32))  # 0 -> -inf, inf -> inf
    assert np.all(got[x == 1.0] == 0.0)
    finite = ~special
    ulp = np.spacing(np.abs(want[finite]).astype(np.float32)).astype(np.float64)
    err = np.abs(got[finite].astype(np.float64) - want[finite]) / ulp
    assert finite.sum() > 250_000 and np.any(x[finite] < 1.17549435e-38)
    assert err.max() < 1.0, f"log10f error {err.max():.3f} ulp at {x[finite][err.argmax()]!r}"
