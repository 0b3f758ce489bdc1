"""Runner protocol framing in Python: CRC-16/CCITT-FALSE, COBS, frames, streaming splitter."""

import struct

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tinystudio.device.runner_protocol import (
    MAX_PAYLOAD,
    BenchResult,
    FrameSplitter,
    Msg,
    ProtocolError,
    cobs_decode,
    cobs_encode,
    crc16,
    decode_frame,
    encode_frame,
)


def test_crc16_ccitt_false_check_value():
    assert crc16(b"123456789") == 0x29B1
    assert crc16(b"") == 0xFFFF


@pytest.mark.parametrize("size", [0, 1, 253, 254, 255, 508, 1000])
def test_cobs_round_trip_at_block_boundaries(size):
    for fill in (0x00, 0x11):
        data = bytes([fill]) * size
        encoded = cobs_encode(data)
        assert 0 not in encoded
        assert len(encoded) <= size + size // 254 + 1
        assert cobs_decode(encoded) == data


@given(st.binary(max_size=2000))
def test_cobs_round_trip(data):
    encoded = cobs_encode(data)
    assert 0 not in encoded
    assert cobs_decode(encoded) == data


@given(st.integers(0, 255), st.integers(0, 255), st.binary(max_size=MAX_PAYLOAD))
def test_frame_round_trip(msg_type, seq, payload):
    wire = encode_frame(msg_type, seq, payload)
    assert wire.endswith(b"\x00") and 0 not in wire[:-1]
    frame = decode_frame(wire[:-1])
    assert (frame.type, frame.seq, frame.payload) == (msg_type, seq, payload)


@given(st.binary(min_size=1, max_size=64), st.data())
def test_any_single_byte_corruption_is_detected(payload, data):
    wire = bytearray(encode_frame(Msg.INFER, 7, payload)[:-1])
    raw = bytearray(cobs_decode(bytes(wire)))
    index = data.draw(st.integers(0, len(raw) - 1))
    raw[index] ^= data.draw(st.integers(1, 255))
    with pytest.raises(ProtocolError):
        decode_frame(cobs_encode(bytes(raw)))


def test_truncated_and_malformed_frames_raise():
    wire = encode_frame(Msg.HELLO, 1, b"abc")[:-1]
    for cut in range(1, len(wire)):
        with pytest.raises(ProtocolError):
            decode_frame(wire[:cut])
    with pytest.raises(ProtocolError):
        decode_frame(b"\x05\x01")  # block longer than the data


def test_payload_above_maximum_is_refused():
    with pytest.raises(ValueError):
        encode_frame(Msg.UPLOAD, 1, bytes(MAX_PAYLOAD + 1))


@given(st.lists(st.binary(max_size=100), max_size=8), st.integers(1, 50))
def test_splitter_recovers_frames_from_any_chunking(payloads, step):
    wire = b"".join(encode_frame(Msg.STREAM_LINE, i, p) for i, p in enumerate(payloads))
    splitter = FrameSplitter()
    chunks = []
    for offset in range(0, len(wire), step):
        chunks += splitter.feed(wire[offset : offset + step])
    assert [decode_frame(c).payload for c in chunks] == payloads


def test_bench_payload_parses_signed_status():
    payload = struct.pack("<i7I", -1, 3, 10, 11, 12, 0, 0, 0)
    result = BenchResult.parse(payload)
    assert result.status == -1 and result.runs == 3 and result.nn_mean == 11
    with pytest.raises(ProtocolError):
        BenchResult.parse(payload[:-1])
