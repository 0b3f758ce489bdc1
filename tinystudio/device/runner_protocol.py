"""Runner protocol framing and message layouts (pure, no I/O), mirroring firmware/runtime/tsr_protocol.h.

A frame is COBS(type u8 | seq u8 | length u16 LE | payload | CRC-16/CCITT-FALSE u16 LE) + 0x00; this
module encodes and decodes frames and parses each response payload into a typed record.
"""

from __future__ import annotations

import binascii
import struct
from dataclasses import dataclass
from enum import IntEnum, IntFlag

PROTOCOL_VERSION = 1
MAX_PAYLOAD = 512
HEADER_BYTES = 4
CRC_BYTES = 2
MAX_FRAME = HEADER_BYTES + MAX_PAYLOAD + CRC_BYTES
MAX_ENCODED = MAX_FRAME + MAX_FRAME // 254 + 2
RESPONSE = 0x80
BULK_MAGIC = 0x31425354  # "TSB1": header of a test set placed in an emulated board's memory at launch


class Msg(IntEnum):
    """Message types."""

    HELLO = 0x01
    INFER = 0x02
    UPLOAD = 0x03
    READ = 0x04
    BENCH = 0x05
    STACK = 0x06
    STREAM = 0x07
    BYE = 0x08
    FEATURES = 0x09
    INFER_AT = 0x0A
    FORMAT = 0x0B
    INFER_RUN = 0x0C
    INFER_ALL = 0x0D
    PROFILE = 0x0E  # profiling builds only (device/profile_client.py)
    PROFILE_READ = 0x0F
    LIVE_START = 0x12
    LIVE_CONTROL = 0x13
    STREAM_LINE = 0x90
    STREAM_END = 0x91
    LIVE_SAMPLES = 0x94
    LIVE_WINDOW = 0x95
    ERROR = 0x7F


class ErrorCode(IntEnum):
    """Codes carried by an ERROR frame."""

    BAD_FRAME = 1
    BAD_CRC = 2
    UNKNOWN = 3
    BAD_PAYLOAD = 4
    TOO_LONG = 5
    MODEL = 6


class CounterKind(IntEnum):
    """What one unit of the board's counter means."""

    CYCLES = 0
    INSTRUCTIONS = 1
    MICROSECONDS = 2

    @property
    def label(self) -> str:
        return {0: "cycles", 1: "emulated instructions", 2: "microseconds"}[int(self)]


class Caps(IntFlag):
    """What a board offers beyond protocol 1 (HELLO's last word; a board without it offers none)."""

    INPUT_I16 = 1 << 0  # FORMAT int16: DSP firmware takes int16 samples with a scale and offset
    INPUT_I8 = 1 << 1  # FORMAT int8: firmware without DSP takes the model's quantized int8 input
    PIPELINED = 1 << 2  # INFER_RUN / INFER_ALL, and the link holds requests sent ahead
    PROFILE = 1 << 3  # per-layer profile
    LIVE = 1 << 4  # live mode
    BULK = 1 << 5  # a test set is in the board's memory since launch (INFER_AT, INFER_RUN)


class SampleFormat(IntEnum):
    """How a window's bytes travel (FORMAT): as the board takes them, int16 samples, or int8 model input."""

    RAW = 0
    I16 = 1
    I8 = 2

    @property
    def label(self) -> str:
        return {0: "raw", 1: "int16", 2: "int8"}[int(self)]


RUN_FEATURES = 1  # INFER_RUN / INFER_ALL flag: send the DSP features after each answer
RUN_END = 0xFFFF  # part number of INFER_RUN's last frame
RUN_PART_HEADER = 6  # u32 window index | u16 part


class StreamMode(IntEnum):
    FRAMED = 0
    TEXT = 1


class ProtocolError(Exception):
    """A frame that cannot be decoded (bad COBS, length or CRC)."""


def crc16(data: bytes, crc: int = 0xFFFF) -> int:
    """CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF, no reflection, xorout 0): binascii's CRC-CCITT (XMODEM
    form) started from ``crc``, in C (the pure-Python loop cost most of the host's time per answer frame)."""
    return binascii.crc_hqx(bytes(data), crc)


def cobs_encode(data: bytes) -> bytes:
    """Consistent Overhead Byte Stuffing: the result holds no 0x00 byte (delimiter not included)."""
    out = bytearray([0])
    code_at = 0
    code = 1
    for byte in data:
        if byte == 0:
            out[code_at] = code
            code_at = len(out)
            out.append(0)
            code = 1
        else:
            out.append(byte)
            code += 1
            if code == 0xFF:
                out[code_at] = code
                code_at = len(out)
                out.append(0)
                code = 1
    out[code_at] = code
    return bytes(out)


def cobs_decode(data: bytes) -> bytes:
    """Inverse of cobs_encode; raises ProtocolError on malformed input."""
    out = bytearray()
    i = 0
    n = len(data)
    while i < n:
        code = data[i]
        i += 1
        if code == 0 or i + code - 1 > n:
            raise ProtocolError("bad COBS block")
        block = data[i : i + code - 1]
        if 0 in block:
            raise ProtocolError("zero byte inside a COBS block")
        out += block
        i += code - 1
        if code != 0xFF and i < n:
            out.append(0)
    return bytes(out)


@dataclass(frozen=True)
class Frame:
    """One decoded frame."""

    type: int
    seq: int
    payload: bytes


def encode_frame(msg_type: int, seq: int, payload: bytes = b"") -> bytes:
    """Wire bytes of one frame, including the trailing 0x00 delimiter."""
    if len(payload) > MAX_PAYLOAD:
        raise ValueError(f"payload of {len(payload)} bytes exceeds the {MAX_PAYLOAD}-byte maximum")
    raw = struct.pack("<BBH", msg_type & 0xFF, seq & 0xFF, len(payload)) + payload
    raw += struct.pack("<H", crc16(raw))
    return cobs_encode(raw) + b"\x00"


def decode_frame(encoded: bytes) -> Frame:
    """Decode one frame from its COBS bytes (without the delimiter)."""
    raw = cobs_decode(encoded)
    if len(raw) < HEADER_BYTES + CRC_BYTES:
        raise ProtocolError("frame too short")
    msg_type, seq, length = struct.unpack_from("<BBH", raw)
    if length != len(raw) - HEADER_BYTES - CRC_BYTES:
        raise ProtocolError("length field does not match the frame")
    (crc,) = struct.unpack_from("<H", raw, HEADER_BYTES + length)
    if crc != crc16(raw[: HEADER_BYTES + length]):
        raise ProtocolError("CRC mismatch")
    return Frame(msg_type, seq, bytes(raw[HEADER_BYTES : HEADER_BYTES + length]))


class FrameSplitter:
    """Accumulates received bytes and yields complete COBS chunks (delimiters removed)."""

    def __init__(self) -> None:
        self._buf = bytearray()
        self.overflows = 0

    def feed(self, data: bytes) -> list[bytes]:
        chunks: list[bytes] = []
        for part_index, part in enumerate(bytes(data).split(b"\x00")):
            if part_index > 0:
                if self._buf:
                    chunks.append(bytes(self._buf))
                self._buf.clear()
            self._buf += part
            if len(self._buf) > 4 * MAX_ENCODED:
                self._buf.clear()
                self.overflows += 1
        return chunks

    def take_pending(self) -> bytes:
        """Bytes received after the last delimiter (e.g. plain text of a stream)."""
        data = bytes(self._buf)
        self._buf.clear()
        return data


# ---- response payloads ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Quantization:
    scale: float
    zero_point: int


@dataclass(frozen=True)
class HelloInfo:
    """What a board says about itself and the model it carries (HELLO response)."""

    protocol_version: int
    firmware_version: str
    counter_kind: CounterKind
    clock_hz: int
    max_payload: int
    arena_bytes: int
    flash_budget: int
    ram_budget: int
    flash_used: int
    ram_used: int
    stack_bytes: int
    raw_input_bytes: int
    input_bytes: int
    output_bytes: int
    op_count: int
    input_quant: Quantization
    output_quant: Quantization
    dsp_kind: int
    input_shape: tuple[int, ...]
    output_shape: tuple[int, ...]
    board: str
    model_name: str
    model_hash: str
    caps: Caps = Caps(0)

    @classmethod
    def parse(cls, payload: bytes) -> HelloInfo:
        try:
            head = struct.unpack_from("<BBBB12I", payload)
            offset = struct.calcsize("<BBBB12I")
            in_scale, in_zp, out_scale, out_zp = struct.unpack_from("<fifi", payload, offset)
            offset += 16
            dsp_kind = payload[offset]
            offset += 1
            shapes: list[tuple[int, ...]] = []
            for _ in range(2):
                rank = payload[offset]
                shapes.append(struct.unpack_from(f"<{rank}I", payload, offset + 1))
                offset += 1 + 4 * rank
            texts: list[str] = []
            for _ in range(3):
                n = payload[offset]
                texts.append(payload[offset + 1 : offset + 1 + n].decode("ascii", "replace"))
                offset += 1 + n
            # Boards of protocol 1 as first released end here: no capability word, so no capability.
            caps = Caps(struct.unpack_from("<I", payload, offset)[0]) if len(payload) >= offset + 4 else Caps(0)
            counter = CounterKind(head[3])
        except (struct.error, IndexError) as exc:
            raise ProtocolError(f"malformed HELLO payload: {exc}") from exc
        except ValueError:  # a counter this release does not know (newer firmware, or not our firmware at all)
            raise ProtocolError(f"the board names a counter kind this TinyStudio does not know ({head[3]}): "
                                "update TinyStudio or deploy again") from None
        return cls(
            protocol_version=head[0],
            firmware_version=f"{head[1]}.{head[2]}",
            counter_kind=counter,
            clock_hz=head[4],
            max_payload=head[5],
            arena_bytes=head[6],
            flash_budget=head[7],
            ram_budget=head[8],
            flash_used=head[9],
            ram_used=head[10],
            stack_bytes=head[11],
            raw_input_bytes=head[12],
            input_bytes=head[13],
            output_bytes=head[14],
            op_count=head[15],
            input_quant=Quantization(in_scale, in_zp),
            output_quant=Quantization(out_scale, out_zp),
            dsp_kind=dsp_kind,
            input_shape=shapes[0],
            output_shape=shapes[1],
            board=texts[0],
            model_name=texts[1],
            model_hash=texts[2],
            caps=caps,
        )


@dataclass(frozen=True)
class InferResult:
    """One inference: model status, DSP and NN counter deltas, the raw int8 output bytes."""

    status: int
    dsp_count: int
    nn_count: int
    output: bytes


@dataclass(frozen=True)
class BenchResult:
    """N inferences on the current window: min / mean / max counter deltas for NN and DSP."""

    status: int
    runs: int
    nn_min: int
    nn_mean: int
    nn_max: int
    dsp_min: int
    dsp_mean: int
    dsp_max: int

    @classmethod
    def parse(cls, payload: bytes) -> BenchResult:
        if len(payload) != 32:
            raise ProtocolError("malformed BENCH payload")
        status, *rest = struct.unpack("<i7I", payload)
        return cls(status, *rest)


@dataclass(frozen=True)
class StackResult:
    """Painted stack region and its peak use since boot, in bytes."""

    region_bytes: int
    peak_bytes: int


def bulk_blob(windows: list[bytes], sample_format: SampleFormat = SampleFormat.RAW) -> bytes:
    """A test set as the firmware reads it from memory (INFER_AT, INFER_RUN): magic, count, window bytes, sample
    format, then the windows in that format, each padded to a multiple of 4 bytes."""
    size = len(windows[0]) if windows else 0
    if any(len(w) != size for w in windows):
        raise ValueError("every window of a test set has the same size")
    pad = b"\x00" * (-size % 4)  # every window word-aligned, as the firmware reads it
    return struct.pack("<4I", BULK_MAGIC, len(windows), size, int(sample_format)) + b"".join(w + pad for w in windows)


def error_text(payload: bytes) -> tuple[int, str]:
    """Code and message of an ERROR frame."""
    if not payload:
        return 0, "empty error"
    return payload[0], payload[1:].decode("ascii", "replace")
