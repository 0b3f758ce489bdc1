"""The host board (native process on a real pseudo-terminal) answers every runner command."""

import re

import numpy as np
import pytest

from tinystudio.device.runner_client import DeviceError, RunnerError
from tinystudio.device.runner_protocol import CounterKind, ErrorCode, Msg

from .conftest import fixture_reference

LINE = re.compile(r"^-?\d+\.\d{4}(,-?\d+\.\d{4})*$")


def test_hello_describes_board_and_model(host_board):
    info = host_board.client.hello()
    assert info.board == "host"
    assert info.counter_kind is CounterKind.MICROSECONDS
    assert info.model_name == "fixture_dense"
    assert info.input_shape == (1, 100, 6) and info.output_shape == (1, 4)
    assert info.raw_input_bytes == info.input_bytes == 600
    assert info.input_quant.zero_point == -3 and info.output_quant.zero_point == -128
    assert info.input_quant.scale == pytest.approx(0.05)


def test_infer_matches_reference_inline_and_chunked(host_board):
    rng = np.random.default_rng(3)
    for _ in range(3):
        window = rng.integers(-128, 128, 600, dtype=np.int8).tobytes()
        expected = fixture_reference(window)
        inline = host_board.client.infer(window)
        chunked = host_board.client.infer(window, chunk=97)
        assert inline.status == 0 and inline.output == expected
        assert chunked.output == expected


def test_bench_and_stack(host_board):
    client = host_board.client
    client.infer(bytes(range(256)) * 2 + bytes(88))
    bench = client.bench(20)
    assert bench.status == 0 and bench.runs == 20
    assert bench.nn_min <= bench.nn_mean <= bench.nn_max
    stack = client.stack()
    assert 0 < stack.peak_bytes < stack.region_bytes


def test_stream_sends_sensor_lines_framed_and_as_text(host_board):
    lines = host_board.client.stream(5)
    assert len(lines) == 5 and all(LINE.match(line) for line in lines)
    text = host_board.client.stream_text(4)
    assert text.endswith("\n")
    text_lines = text.splitlines()
    assert len(text_lines) == 4 and all(LINE.match(line) for line in text_lines)
    assert len({line.count(",") for line in lines + text_lines}) == 1
    assert host_board.client.hello().board == "host"


def test_wrong_window_size_is_refused(host_board):
    with pytest.raises(RunnerError, match="expects 600"):
        host_board.client.infer(bytes(10))
    with pytest.raises(DeviceError) as err:
        host_board.client.request(Msg.INFER, bytes(10))
    assert err.value.code == ErrorCode.BAD_PAYLOAD
    with pytest.raises(DeviceError):
        host_board.client.request(Msg.READ, bytes(6) + b"\xff")


def test_bye_stops_the_board(host_board):
    host_board.client.bye()
    host_board.process.wait(timeout=5)
    assert host_board.process.returncode == 0
