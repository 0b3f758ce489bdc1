"""On the emulated Cortex-M4F the DSP (SMLAD) kernel paths stay bit-exact with TFLM, and so do the
reference kernels built for the same core; on the other emulated cores (M3 plain C, M7 and M33 DSP, M55
Helium and its DSP-only comparison build) the suite models stay bit-exact too."""

from __future__ import annotations

import numpy as np
import pytest

from codegen import armrun
from codegen.harness import Reference, build_flags, random_inputs
from tinystudio.core.codegen import generate

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not armrun.tools_available(), reason="arm-none-eabi-gcc or qemu-system-arm missing"),
]


@pytest.mark.parametrize(
    "name",
    [
        "motion_cnn_1d",
        "ds_cnn_kws",
        "add_relu_broadcast",
        "depthwise_stride2_mult2",
        "depthwise_dilation",
        "depthwise_stride2_same_relu6",
        "conv2d_1x1_odd_pixels_channels",
        "max_pool_1d_same",
        "max_pool_along_height",
        "max_pool_along_width_relu",
        "max_pool_2d_clamped",
        "max_pool_same_stride",
    ],
)
def test_cortex_m4_build_matches_tflm(name, suite_model, tmp_path):
    tflite = suite_model(name)
    report = generate(tflite, tmp_path / "gen")
    inputs = random_inputs(report.input_shape, 8, seed=3)
    outputs, counts = armrun.run_elf(armrun.build_elf(tmp_path / "gen", inputs, tmp_path / "arm"))
    assert len(outputs) == len(inputs)
    reference = Reference(tflite)
    for x, got in zip(inputs, outputs, strict=True):
        assert np.array_equal(got, reference(x))
    assert all(c > 0 for c in counts)


@pytest.mark.parametrize("name", ["ds_cnn_kws", "depthwise_stride2_mult2", "conv2d_1x1_odd_pixels_channels"])
def test_cortex_m4_reference_kernels_match_tflm(name, suite_model, tmp_path):
    """Smoke run of the plain-C reference kernels on the emulated core (TS_KERNELS_REFERENCE=1)."""
    tflite = suite_model(name)
    report = generate(tflite, tmp_path / "gen")
    inputs = random_inputs(report.input_shape, 4, seed=5)
    elf = armrun.build_elf(tmp_path / "gen", inputs, tmp_path / "arm", tuple(build_flags("reference")))
    outputs, _ = armrun.run_elf(elf)
    assert len(outputs) == len(inputs)
    reference = Reference(tflite)
    for x, got in zip(inputs, outputs, strict=True):
        assert np.array_equal(got, reference(x))


# Every emulated core class with room for the harness (the microbit's 16 KB is covered by its deploy test).
OTHER_CORES = [
    ("mps2-an385", ()),
    ("mps2-an500", ()),
    ("mps2-an505", ()),
    ("mps3-an547", ()),
    ("mps3-an547", ("-DTS_KERNELS_MVE=0",)),
]
CORE_MODELS = ["motion_cnn_1d", "ds_cnn_kws", "conv2d_1x1_odd_pixels_channels", "depthwise_stride2_mult2",
               "add_relu_broadcast"]


@pytest.mark.parametrize("name", CORE_MODELS)
@pytest.mark.parametrize(("machine", "flags"), OTHER_CORES, ids=["m3", "m7", "m33", "m55-mve", "m55-dsp"])
def test_every_emulated_core_matches_tflm(machine, flags, name, suite_model, tmp_path):
    tflite = suite_model(name)
    report = generate(tflite, tmp_path / "gen")
    inputs = random_inputs(report.input_shape, 6, seed=11)
    elf = armrun.build_elf(tmp_path / "gen", inputs, tmp_path / "arm", flags, machine=machine)
    outputs, counts = armrun.run_elf(elf, machine=machine)
    assert len(outputs) == len(inputs)
    reference = Reference(tflite)
    for x, got in zip(inputs, outputs, strict=True):
        assert np.array_equal(got, reference(x))
    assert all(c > 0 for c in counts)


def test_helium_kernels_take_fewer_instructions_on_the_m55(suite_model, tmp_path):
    """The reason the M55 build uses Helium: DS-CNN needs clearly fewer emulated instructions with it than
    with the DSP-extension kernels alone (deterministic -icount counts, not wall-clock time)."""
    tflite = suite_model("ds_cnn_kws")
    report = generate(tflite, tmp_path / "gen")
    inputs = random_inputs(report.input_shape, 2, seed=13)
    reference = Reference(tflite)
    expected = [reference(x).tobytes() for x in inputs]
    totals = {}
    for label, flags in (("mve", ()), ("dsp", ("-DTS_KERNELS_MVE=0",))):
        elf = armrun.build_elf(tmp_path / "gen", inputs, tmp_path / label, flags, machine="mps3-an547")
        outputs, counts = armrun.run_elf(elf, machine="mps3-an547")
        totals[label] = sum(counts)
        assert [o.tobytes() for o in outputs] == expected
    assert totals["mve"] < 0.8 * totals["dsp"]
