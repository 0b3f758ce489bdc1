"""Generated models (tinystudio.core.codegen) on both boards are bit-exact with TFLite Micro's reference
kernels, and a board built with the MFCC block runs audio end to end."""

import sys
from pathlib import Path

import numpy as np
import pytest

from tinystudio.core.dsp import make_block
from tinystudio.targets import get_target

from .test_dsp_mirror import assert_close

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import suite_models  # noqa: E402

pytestmark = pytest.mark.slow

MODELS = ["motion_cnn_1d", "ds_cnn_kws"]


class Reference:
    """TFLM's reference interpreter for one model."""

    def __init__(self, tflite: bytes) -> None:
        from tflite_micro.python.tflite_micro import runtime

        self.interpreter = runtime.Interpreter.from_bytes(tflite, arena_size=4 << 20)
        self.input_shape = tuple(int(d) for d in self.interpreter.get_input_details(0)["shape"])

    def __call__(self, x: np.ndarray) -> bytes:
        self.interpreter.set_input(x.reshape(self.input_shape), 0)
        self.interpreter.invoke()
        return self.interpreter.get_output(0).tobytes()


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    """name -> (model folder, codegen report, TFLM reference)."""
    from tinystudio.core.codegen import generate

    out = {}
    for name in MODELS:
        tflite = suite_models.build(name)
        folder = tmp_path_factory.mktemp(f"gen-{name}")
        report = generate(tflite, folder)
        out[name] = (folder, report, Reference(tflite))
    return out


@pytest.mark.parametrize("target", ["host", "mps2-an386"])
@pytest.mark.parametrize("name", MODELS)
def test_board_output_is_bit_exact_with_tflm(generated, fw_cache, target, name):
    folder, report, reference = generated[name]
    board = get_target(target)
    artifact = board.build(folder, fw_cache)
    rng = np.random.default_rng(42)
    with board.launch(artifact) as link:
        info = link.client.hello()
        assert info.model_hash == report.model_hash
        assert info.arena_bytes == report.arena_bytes
        assert info.input_shape == tuple(report.input_shape)
        assert info.output_shape == tuple(report.output_shape)
        assert info.input_quant.zero_point == report.input_quant[1]
        assert info.output_quant.scale == pytest.approx(report.output_quant[0], rel=1e-6)
        for _ in range(4):
            x = rng.integers(-128, 128, reference.input_shape, dtype=np.int8)
            result = link.client.infer(x.tobytes(), timeout=60)
            assert result.status == 0
            assert result.output == reference(x)
        if target == "mps2-an386":
            assert result.nn_count > 0
            assert 0 < link.client.stack().peak_bytes < 8 * 1024


def test_qemu_board_runs_mfcc_and_ds_cnn_on_raw_audio(generated, fw_cache):
    folder, _report, reference = generated["ds_cnn_kws"]
    block = make_block(
        "mfcc", {"frame_length_ms": 40.0, "frame_stride_ms": 20.0, "n_mels": 40, "n_coeffs": 10}, 16000.0, 16000, 1
    )
    board = get_target("mps2-an386")
    artifact = board.build(folder, fw_cache, dsp=block)
    t = np.arange(16000) / 16000.0
    rng = np.random.default_rng(7)
    audio = (0.3 * np.sin(2 * np.pi * 440 * t) * np.exp(-3 * t) + rng.normal(0, 0.02, t.size)).astype(np.float32)
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
