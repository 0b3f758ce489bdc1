"""The on-device test on the host board (native process on a pty) and the emulated Cortex-M4F: the board's
predictions match the host's int8 predictions; a board that stops leaves a partial result that the
next deploy continues."""

from __future__ import annotations

import numpy as np
import pytest

from tinystudio.app import deploy as ondevice
from tinystudio.app.deploy import deploy, resolve_variant
from tinystudio.core.errors import Cancelled, UserError
from tinystudio.core.pipeline_data import pipeline_data
from tinystudio.core.progress import CancelToken
from tinystudio.targets import board_spec
from tinystudio.targets.host import HostTarget
from tinystudio.targets.qemu import QemuTarget

pytestmark = pytest.mark.slow

def test_host_board_with_dsp_agrees_with_host_int8_and_is_stored(project, trained):
    messages: list[str] = []
    result = deploy(project, trained.variant_id, "host", progress=lambda f, m: messages.append(m))
    r = result.results
    test_windows = len(pipeline_data(project, trained.run_id).y["test"])
    assert r["complete"] and r["mode"] == "dsp_on_board"
    assert r["windows"] == test_windows == len(r["predictions"]) == len(r["nn_counts"])
    # Same int8 model, TFLM-exact kernels, and the C DSP runs the host block's float32 steps in its order.
    assert r["agreement"] == 1.0
    assert r["nn_bit_exact"] == 1.0
    assert r["feature_error"]["max_abs"] == 0.0  # the board's float32 DSP repeats the host's steps exactly
    assert sum(map(sum, r["confusion_matrix"]["counts"])) == test_windows
    assert r["latency"]["nn"]["unit"] == "microseconds"
    assert r["hello"]["board"] == "host" and r["hello"]["dsp_on_board"]
    stored = project.device_results(trained.variant_id)
    assert [s["id"] for s in stored] == [result.result_id]
    assert stored[0]["results"]["predictions"] == r["predictions"]
    assert any("window" in m for m in messages)

def test_features_from_host_give_identical_scores(project, trained):
    r = deploy(project, trained.variant_id, "host", device_dsp=False).results
    assert r["mode"] == "features_from_host"
    assert r["scores_identical"] == 1.0 and r["agreement"] == 1.0
    assert r["latency"]["dsp"]["on_board"] is False

@pytest.mark.usefixtures("qemu_available")
def test_qemu_board_with_host_features_is_bit_exact(project, trained):
    r = deploy(project, trained.variant_id, "mps2-an386", device_dsp=False).results
    assert r["scores_identical"] == 1.0 and r["agreement"] == 1.0
    assert r["accuracy"] == r["host_accuracy"]
    nn = r["latency"]["nn"]
    assert nn["unit"] == "emulated instructions"
    assert 0 < nn["min"] <= nn["mean"] <= nn["max"]
    mem = r["memory"]
    assert 0 < mem["flash"] <= mem["budget"]["flash"]
    assert 0 < mem["ram"] <= mem["budget"]["ram"]
    assert mem["stack_peak"] > 0

@pytest.mark.usefixtures("qemu_available")
def test_qemu_board_reads_the_test_set_from_its_memory_with_the_same_results(project, trained, monkeypatch):
    """The emulated board gets every raw window in its memory at launch; the host sends only an index per
    window (a few bytes, not the 3 KB float32 window), and DSP and model results stay those of the host."""
    links = []
    launch = QemuTarget.launch

    def counting_launch(self, artifact, **kwargs):
        link = launch(self, artifact, **kwargs)
        write = link.port.write
        link.sent = 0

        def counted(data):
            link.sent += len(data)
            return write(data)

        link.port.write = counted
        links.append(link)
        return link

    monkeypatch.setattr(QemuTarget, "launch", counting_launch)
    r = deploy(project, trained.variant_id, "mps2-an386", device_dsp=True).results
    [link] = links
    assert link.bulk_windows == r["windows"] > 0
    raw_bytes = r["windows"] * link.client.info.raw_input_bytes
    assert link.sent < raw_bytes / 20  # requests only; the windows did not cross the emulated UART
    assert r["agreement"] == 1.0 and r["nn_bit_exact"] == 1.0
    assert r["feature_error"]["max_abs"] == 0.0  # the board's float32 DSP repeats the host's steps exactly


def test_resolve_variant_quantizes_a_run_without_one(project, trained):
    from tinystudio.core.training import RUN_KIND

    run = project.run(trained.run_id)
    new_run = project.add_run(RUN_KIND, run.config, run.metrics, run.curves, run.model)
    variant_id = resolve_variant(project)  # newest run, no variant yet
    assert variant_id != trained.variant_id
    assert [v["id"] for v in project.variants(new_run)] == [variant_id]
    assert resolve_variant(project, run_id=trained.run_id) == trained.variant_id
    with pytest.raises(UserError, match="no model variant with id 999"):
        resolve_variant(project, 999)

class _FragileHost(HostTarget):
    """A real host board whose process the test kills part-way through the test split."""

    links: list = []

    def launch(self, artifact, **kwargs):
        link = super().launch(artifact, **kwargs)
        self.links.append(link)
        return link

def test_board_that_dies_keeps_the_measured_windows_and_a_retry_continues(project, trained, monkeypatch):
    monkeypatch.setattr(ondevice, "get_target", lambda name: _FragileHost(board_spec("host")))

    def progress(fraction: float, message: str) -> None:
        if message.startswith("window 5/"):
            _FragileHost.links[-1].process.kill()
            _FragileHost.links[-1].process.wait()

    with pytest.raises(UserError, match=r"^the board stopped after 5 of (\d+) test windows") as stopped:
        deploy(project, trained.variant_id, "host", progress=progress)
    message = str(stopped.value)
    n = int(message.split(" of ")[1].split()[0])
    assert "\n" not in message and "continue from window 6" in message
    [partial] = project.device_results(trained.variant_id)
    kept = partial["results"]
    assert kept["complete"] is False and kept["measured"] == 5 and kept["windows"] == n
    assert len(kept["device_scores"]) == len(kept["nn_counts"]) == 5

    monkeypatch.undo()  # the board works again: the retry measures only the windows still missing
    messages: list[str] = []
    result = deploy(project, trained.variant_id, "host", progress=lambda f, m: messages.append(m))
    windows = [m for m in messages if m.startswith("window ")]
    assert windows[0] == f"window 6/{n} on the board" and windows[-1] == f"window {n}/{n} on the board"
    assert len(windows) == n - 5
    r = result.results
    assert r["complete"] and r["windows"] == n == len(r["predictions"]) == len(r["nn_counts"])
    assert r["agreement"] == 1.0 and r["nn_bit_exact"] == 1.0
    assert r["predictions"][:5] == [int(np.argmax(s)) for s in kept["device_scores"]]
    assert r["timing"]["resumed_from_window"] == 6
    # The complete result replaces the partial one.
    assert [s["id"] for s in project.device_results()] == [result.result_id]


def test_cancel_during_the_stream_stores_nothing(project, trained):
    token = CancelToken()

    def progress(fraction: float, message: str) -> None:
        if message.startswith("window 3/"):
            token.cancel()

    with pytest.raises(Cancelled):
        deploy(project, trained.variant_id, "host", progress=progress, cancel=token)
    assert project.device_results() == []

def test_empty_test_split_is_a_clear_error(project, trained):
    ids = [s.id for s in project.samples(split="test")]
    project.set_split(ids, "train")
    with pytest.raises(UserError, match="test split has no windows"):
        deploy(project, trained.variant_id, "host")
    assert project.device_results() == []
