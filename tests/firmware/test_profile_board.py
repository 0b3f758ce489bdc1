"""A profiling build on the boards: per-op counts that add up to the whole inference a normal build
measures, the same outputs as the normal build, and a clear answer from firmware built without it."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import numpy as np
import pytest

from tinystudio.core.codegen import generate
from tinystudio.device.profile_client import NotProfiling, read_profile
from tinystudio.device.runner_client import DeviceError
from tinystudio.device.runner_protocol import Caps
from tinystudio.targets import get_target

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import suite_models  # noqa: E402

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def ds_cnn(tmp_path_factory):
    """The DS-CNN keyword spotter generated twice: normal and profiling."""
    tflite = suite_models.build("ds_cnn_kws")
    root = tmp_path_factory.mktemp("profile")
    return generate(tflite, root / "normal"), generate(tflite, root / "profile", profile=True), root


def test_emulated_m4_per_op_counts_add_up_to_the_whole_inference(ds_cnn, fw_cache):
    if shutil.which("qemu-system-arm") is None or shutil.which("arm-none-eabi-gcc") is None:
        pytest.skip("qemu-system-arm or arm-none-eabi-gcc is not installed")
    normal_report, report, root = ds_cnn
    board = get_target("mps2-an386")
    x = np.random.default_rng(3).integers(-128, 128, int(np.prod(report.input_shape)), dtype=np.int8).tobytes()
    with board.launch(board.build(root / "normal", fw_cache)) as link:
        plain = link.client.infer(x, timeout=60)
        assert Caps.PROFILE not in link.client.info.caps and link.client.info.caps  # says what it offers
        with pytest.raises(NotProfiling, match="not built for profiling"):
            read_profile(link.client, 1)
        with pytest.raises(DeviceError, match="unknown message type"):  # asked anyway, as an older host would
            link.client.request(0x0E, bytes([1, 0]))
    with board.launch(board.build(root / "profile", fw_cache)) as link:
        timed = link.client.infer(x, timeout=60)
        assert Caps.PROFILE in link.client.info.caps
        assert timed.output == plain.output  # profiling changes no result
        last = read_profile(link.client, 0)
        reading = read_profile(link.client, 5)
        with pytest.raises(DeviceError, match="past the last op"):
            link.client.request(0x0F, bytes([len(reading.ops), 0, 1, 0]))
    layers = [layer for layer in report.layers if layer.timed]
    assert [o.op_index for o in reading.ops] == [layer.op_index for layer in layers]
    assert reading.status == 0 and reading.runs == 5 and last.runs == 1
    assert last.whole_median == timed.nn_count
    total = sum(o.median for o in reading.ops)
    # The ops account for the whole inference a normal build measures, within 1 %.
    assert abs(total - plain.nn_count) <= 0.01 * plain.nn_count
    assert total <= reading.whole_median
    assert all(o.min <= o.median for o in reading.ops) and all(o.median > 0 for o in reading.ops)
    # The same layer shape costs the same on every repetition of it (the four depthwise blocks).
    depthwise = [o.median for o, layer in zip(reading.ops, layers, strict=True) if layer.kind == "DEPTHWISE_CONV_2D"]
    assert len(depthwise) == 4 and max(depthwise) - min(depthwise) <= 0.01 * max(depthwise)


def test_host_board_answers_profile_in_microseconds(ds_cnn, fw_cache):
    _, report, root = ds_cnn
    board = get_target("host")
    x = np.zeros(int(np.prod(report.input_shape)), dtype=np.int8).tobytes()
    with board.launch(board.build(root / "profile", fw_cache)) as link:
        link.client.infer(x, timeout=60)
        reading = read_profile(link.client, 3)
    assert len(reading.ops) == sum(layer.timed for layer in report.layers)
    assert sum(o.median for o in reading.ops) <= reading.whole_median + len(reading.ops)
