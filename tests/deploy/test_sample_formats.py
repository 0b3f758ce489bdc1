"""The test windows travel in the board's native format on the emulated Cortex-M4F, streamed over its UART
(pipelined): int16 samples when the board runs the DSP block and the samples are int16 values times a scale,
int8 model input when the host computes the features; the board's results stay those of the host's int8
reference. A board that lacks those capabilities gets float32 windows one request at a time, as before."""

from __future__ import annotations

import numpy as np
import pytest

from tinystudio.app import deploy as app_deploy
from tinystudio.app.deploy import deploy
from tinystudio.app.window_encoding import int16_scale
from tinystudio.core.pipeline_data import pipeline_data
from tinystudio.device.runner_protocol import Caps
from tinystudio.targets import board_spec
from tinystudio.targets.qemu import QemuTarget

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("qemu_available")]


class _Streaming(QemuTarget):
    """The emulated M4F with no room for the test set (so every window crosses its UART), counting the
    bytes the host writes to it."""

    links: list = []

    def bulk_capacity(self, artifact=None) -> int:
        return 0

    def launch(self, artifact, **kwargs):
        link = super().launch(artifact, **kwargs)
        write = link.port.write
        link.sent = 0

        def counted(data):
            link.sent += len(data)
            return write(data)

        link.port.write = counted
        self.links.append(link)
        return link


def _streaming(monkeypatch, extra_flags: tuple[str, ...] = ()) -> list:
    _Streaming.links = []
    monkeypatch.setattr(app_deploy, "get_target",
                        lambda name: _Streaming(board_spec(name), extra_flags=extra_flags))
    return _Streaming.links


def _on_binary_fractions(project) -> None:
    """Put every recording on a grid of 1/512 (as a sensor's counts at a fixed scale would be), so the
    samples are exactly int16 values times 2^-9."""
    for sample in project.samples():
        signal = project.load_signal(sample.id)
        project.replace_signal(sample.id, np.round(np.asarray(signal, dtype=np.float64) * 512) / 512)


def test_int16_samples_stream_pipelined_with_the_host_results(project, trained, monkeypatch):
    _on_binary_fractions(project)
    raw = pipeline_data(project, trained.run_id).raw("test")
    assert int16_scale(raw) is not None
    links = _streaming(monkeypatch)
    r = deploy(project, trained.variant_id, "mps2-an386", device_dsp=True).results
    assert r["transfer"]["test_set"] == "streamed" and r["transfer"]["format"] == "int16"
    assert r["transfer"]["pipelined"] is True and r["transfer"]["offset"] == 0.0
    [link] = links
    float32_bytes = r["windows"] * link.client.info.raw_input_bytes
    assert link.sent < 0.6 * float32_bytes  # half the bytes of float32 samples, plus framing
    assert r["agreement"] == 1.0 and r["nn_bit_exact"] == 1.0
    assert r["feature_error"]["max_rel"] < 1e-3


def test_int8_model_input_streams_pipelined_bit_exact(project, trained, monkeypatch):
    links = _streaming(monkeypatch)
    r = deploy(project, trained.variant_id, "mps2-an386", device_dsp=False).results
    assert r["transfer"] == {"test_set": "streamed", "format": "int8", "pipelined": True,
                             "bytes_per_window": links[0].client.info.input_bytes}
    assert r["scores_identical"] == 1.0 and r["agreement"] == 1.0


def test_board_without_the_capabilities_gets_float32_one_window_at_a_time(project, trained, monkeypatch):
    _on_binary_fractions(project)  # int16 would do, but this board does not take it
    withheld = int(Caps.INPUT_I16 | Caps.PIPELINED)
    links = _streaming(monkeypatch, (f"-DTSR_CAPS_WITHHELD={withheld}u",))
    r = deploy(project, trained.variant_id, "mps2-an386", device_dsp=True).results
    assert links[0].client.info.caps & (Caps.INPUT_I16 | Caps.PIPELINED) == Caps(0)
    assert r["transfer"] == {"test_set": "streamed", "format": "float32", "pipelined": False,
                             "bytes_per_window": links[0].client.info.raw_input_bytes}
    assert r["agreement"] == 1.0 and r["nn_bit_exact"] == 1.0
