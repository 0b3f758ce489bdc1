"""HELLO's capability word and what it unlocks, on real boards (the host board on a pseudo-terminal, the
emulated Cortex-M4F): the sample format a board takes, pipelined INFER (windows sent ahead of the answers,
ranges of the test set in memory answered without a request per window), and a board of the first protocol
release, which ends HELLO without capabilities and still works the old way."""

from __future__ import annotations

import shutil

import numpy as np
import pytest

from tinystudio.device.runner_client import DeviceError
from tinystudio.device.runner_pipeline import run_in_memory, run_streamed
from tinystudio.device.runner_protocol import Caps, Msg, SampleFormat
from tinystudio.targets import board_spec, get_target
from tinystudio.targets.host import HostTarget

from .conftest import FIXTURE_MODEL, fixture_reference

WINDOW_BYTES = 600  # the fixture model's int8 input


def _windows(n: int) -> list[bytes]:
    rng = np.random.default_rng(11)
    return [rng.integers(-128, 128, WINDOW_BYTES, dtype=np.int8).tobytes() for _ in range(n)]


@pytest.fixture(scope="module")
def old_host_artifact(fw_cache):
    """The fixture model on a host board built as the first protocol release: HELLO ends after the model
    hash and none of the later messages exist."""
    old = HostTarget(board_spec("host"), extra_flags=("-DTSR_HELLO_WITHOUT_CAPS=1", "-DTSR_CAPS_WITHHELD=0xFFFFFFFFu"))
    return old, old.build(FIXTURE_MODEL, fw_cache / "old")


def test_hello_carries_the_capabilities_and_the_int8_format_is_taken(host_board):
    info = host_board.client.hello()
    assert info.caps == Caps.INPUT_I8 | Caps.PIPELINED  # no DSP block: int8 model input, not int16 samples
    assert host_board.client.set_format(SampleFormat.I8) == WINDOW_BYTES
    with pytest.raises(DeviceError, match="does not take that sample format"):
        host_board.client.set_format(SampleFormat.I16, 0.5, 0.0)


def test_pipelined_windows_are_answered_in_order_and_exactly(host_board):
    windows = _windows(7)
    answers = list(run_streamed(host_board.client, enumerate(windows), features=False, timeout=10.0))
    assert [a.index for a in answers] == list(range(7))
    assert [a.result.output for a in answers] == [fixture_reference(w) for w in windows]
    assert host_board.client.infer(windows[0]).output == fixture_reference(windows[0])  # still in step after


def test_board_of_the_first_release_parses_without_capabilities_and_still_infers(old_host_artifact):
    target, artifact = old_host_artifact
    with target.launch(artifact) as link:
        info = link.client.hello()
        assert info.caps == Caps(0)
        assert (info.board, info.model_name, info.input_bytes) == ("host", "fixture_dense", WINDOW_BYTES)
        window = _windows(1)[0]
        assert link.client.infer(window).output == fixture_reference(window)
        with pytest.raises(DeviceError, match="unknown message type"):
            link.client.request(Msg.INFER_ALL, b"\x00")


@pytest.mark.skipif(shutil.which("qemu-system-arm") is None, reason="qemu-system-arm not installed")
def test_ranges_of_the_test_set_in_memory_are_answered_without_a_request_per_window(qemu_fixture_artifact):
    windows = _windows(21)
    with get_target("mps2-an386").launch(qemu_fixture_artifact, bulk=windows, bulk_format=SampleFormat.RAW) as link:
        assert Caps.BULK in link.client.hello().caps
        sent = []
        write = link.port.write
        link.port.write = lambda data: (sent.append(len(data)), write(data))[1]
        answers = list(run_in_memory(link.client, 2, 19, features=False, timeout=10.0, chunk=8))
        assert [a.index for a in answers] == list(range(2, 21))
        assert [a.result.output for a in answers] == [fixture_reference(w) for w in windows[2:]]
        assert len(sent) == 3  # one request per range of up to 8 windows
