"""Protocol fuzzing against both boards: random, truncated, corrupted, oversized and ill-formed frames
are answered with ERROR frames or ignored; the board never hangs or dies and HELLO still works."""

import random
import struct
import time

from tinystudio.device.runner_protocol import (
    MAX_ENCODED,
    MAX_PAYLOAD,
    Msg,
    cobs_decode,
    cobs_encode,
    encode_frame,
)

SAFE_TYPES = [Msg.HELLO, Msg.INFER, Msg.UPLOAD, Msg.READ, Msg.STACK, 0x00, 0x09, 0x42, 0x7F, 0x81, 0xFF]


def _bad_frames(rng: random.Random, count: int) -> list[bytes]:
    frames = []
    for i in range(count):
        kind = i % 7
        valid = encode_frame(rng.choice(SAFE_TYPES), rng.randrange(256), rng.randbytes(rng.randrange(40)))
        if kind == 0:  # random noise
            frames.append(rng.randbytes(rng.randrange(1, 80)) + b"\x00")
        elif kind == 1:  # truncated frame
            frames.append(valid[: rng.randrange(1, len(valid) - 1)] + b"\x00")
        elif kind == 2:  # corrupted byte inside the COBS data
            body = bytearray(valid[:-1])
            body[rng.randrange(len(body))] = rng.randrange(1, 256)
            frames.append(bytes(body) + b"\x00")
        elif kind == 3:  # oversized frame
            frames.append(bytes([0xFF]) * (MAX_ENCODED + rng.randrange(1, 300)) + b"\x00")
        elif kind == 4:  # well-formed frame, arbitrary type and payload (never BENCH/STREAM/BYE)
            frames.append(valid)
        elif kind == 5:  # valid CRC but a lying length field
            raw = bytearray(cobs_decode(valid[:-1]))
            raw[2] = (raw[2] + rng.randrange(1, 200)) & 0xFF
            frames.append(cobs_encode(bytes(raw)) + b"\x00")
        else:  # commands with out-of-range arguments
            bad = [
                encode_frame(Msg.BENCH, 1, struct.pack("<H", 0)),
                encode_frame(Msg.BENCH, 1, b"\x01"),
                encode_frame(Msg.STREAM, 1, struct.pack("<IIB", 0, 0, 0)),
                encode_frame(Msg.STREAM, 1, struct.pack("<IIB", 1, 0, 9)),
                encode_frame(Msg.UPLOAD, 1, struct.pack("<I", 0xFFFFFFF0) + b"xx"),
                encode_frame(Msg.READ, 1, struct.pack("<IH", 2, MAX_PAYLOAD + 1)),
                encode_frame(Msg.INFER, 1, bytes(MAX_PAYLOAD - 1)),
            ]
            frames.append(rng.choice(bad))
    return frames


def test_board_survives_bad_frames(any_board):
    client = any_board.client
    rng = random.Random(1234)
    assert client.hello().model_name == "fixture_dense"
    for round_index in range(3):
        wire = b"".join(_bad_frames(rng, 60))
        client.send_raw(wire)
        info = client.hello(timeout=10)
        assert info.model_name == "fixture_dense", f"round {round_index}"
        assert any_board.alive()
    # The board answered the noise with ERROR frames (some may have been skipped as stale).
    client.send_raw(encode_frame(0x42, 200, b"?"))
    frame = client._next_frame(time.monotonic() + 5)
    while frame is not None and frame.seq != 200:
        frame = client._next_frame(time.monotonic() + 5)
    assert frame is not None and frame.type == Msg.ERROR
    # A window still infers correctly afterwards.
    assert client.infer(bytes(600)).status == 0
