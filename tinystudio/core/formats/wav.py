"""WAV (RIFF) reader for PCM 8/16/24/32-bit and 32-bit float audio, streamed block by block.

Python's ``wave`` module reads neither float WAV nor WAVE_FORMAT_EXTENSIBLE headers, which phone and
DAW recordings use, so the few RIFF chunks we need are parsed here. Channels become axes.
"""

from __future__ import annotations

import struct
from pathlib import Path
from typing import BinaryIO

import numpy as np

from tinystudio.core.errors import UserError
from tinystudio.core.formats import nonfinite
from tinystudio.core.formats.recording import Recording, Spool
from tinystudio.core.limits import sample_rate

_PCM, _FLOAT, _EXTENSIBLE = 1, 3, 0xFFFE
_BLOCK_BYTES = 1 << 20
_UNKNOWN_LENGTH = 0xFFFFFFFF
"""The length streaming writers put in the header when they cannot know it: the audio runs to the end."""


def read_wav(path: Path, drop_nonfinite: bool = False) -> tuple[list[Recording], int]:
    """Decode a WAV file; float audio with nan or inf frames is refused, or those frames left out when asked."""
    try:
        fh = open(path, "rb")
    except OSError as exc:
        raise UserError(f"cannot read {path}: {exc.strerror}") from exc
    with fh:
        return _read(fh, path, drop_nonfinite)


def _read(fh: BinaryIO, path: Path, drop_nonfinite: bool) -> tuple[list[Recording], int]:
    head = fh.read(12)
    if len(head) == 0:
        raise UserError(f"{path.name} is empty")
    if len(head) < 12 or head[:4] != b"RIFF" or head[8:12] != b"WAVE":
        raise UserError(f"{path.name} is not a WAV file")
    fmt: tuple[int, int, int, int] | None = None
    while True:
        chunk = fh.read(8)
        if len(chunk) < 8:
            raise UserError(f"{path.name}: no audio data found (truncated WAV)")
        cid, size = chunk[:4], struct.unpack("<I", chunk[4:])[0]
        if cid == b"fmt ":
            body = fh.read(size + (size & 1))
            if len(body) < 16:
                raise UserError(f"{path.name}: damaged WAV format chunk")
            tag, channels, rate, _, _, bits = struct.unpack("<HHIIHH", body[:16])
            if tag == _EXTENSIBLE and len(body) >= 26:
                tag = struct.unpack("<H", body[24:26])[0]
            fmt = (tag, channels, rate, bits)
        elif cid == b"data":
            if fmt is None:
                raise UserError(f"{path.name}: audio data before its format")
            size, note = _data_size(fh, size)
            recordings, dropped = _decode(fh, size, fmt, path, drop_nonfinite)
            if note:
                recordings[0].notes.append(note)
            return recordings, dropped
        else:
            fh.seek(size + (size & 1), 1)


def _data_size(fh: BinaryIO, size: int) -> tuple[int, str | None]:
    """The data chunk's true length, and a note when the header's length is not the audio's.

    A recorder that is killed (or unplugged) before closing its file leaves the length it wrote first:
    0, or the length of its first block (Python's ``wave``), though the audio runs to the end of the
    file. Bytes after the chunk that are neither another chunk (LIST, id3, ...) nor zero padding are
    that audio. A file that ends before its audio (an interrupted copy) keeps what it holds, and says so.
    """
    here = fh.tell()
    end = fh.seek(0, 2)
    after = here + size + (size & 1)
    note = None
    if after + 8 <= end:
        fh.seek(after)
        rest = fh.read(min(end - after, 1 << 16))
        cid, length = rest[:4], struct.unpack("<I", rest[4:8])[0]
        chunk = all(0x20 <= b <= 0x7E for b in cid) and length <= end - after - 8
        if not chunk and any(rest):
            size = end - here
            note = ("its header gives a shorter length than the audio it holds (a recording that was not "
                    "closed): read to the end")
    elif here + size > end and size != _UNKNOWN_LENGTH:
        note = f"the file ends before its audio does (cut short): {end - here} of {size} bytes of audio kept"
    fh.seek(here)
    return size, note


def _decode(
    fh: BinaryIO, size: int, fmt: tuple[int, int, int, int], path: Path, drop_nonfinite: bool
) -> tuple[list[Recording], int]:
    tag, channels, rate, bits = fmt
    if channels < 1 or rate <= 0:
        raise UserError(f"{path.name}: {channels} channels at {rate} Hz is not playable audio")
    sample_rate(f"{path.name}: the sample rate", rate)
    if tag == _FLOAT and bits == 32:
        in_dtype, out_dtype = np.dtype("<f4"), "float32"
    elif tag == _PCM and bits in (8, 16, 24, 32):
        in_dtype = None if bits == 24 else np.dtype({8: "u1", 16: "<i2", 32: "<i4"}[bits])
        out_dtype = {8: "int16", 16: "int16", 24: "int32", 32: "int32"}[bits]
    else:
        raise UserError(f"{path.name}: WAV encoding {tag} with {bits} bits is not supported (use PCM or float)")
    frame_bytes = channels * bits // 8
    names = ["audio"] if channels == 1 else [f"ch{i + 1}" for i in range(channels)]
    spool = Spool(channels, out_dtype)
    frame = dropped = 0
    left = size - size % frame_bytes
    step = max(frame_bytes, _BLOCK_BYTES - _BLOCK_BYTES % frame_bytes)
    while left > 0:
        data = fh.read(min(step, left))
        data = data[: len(data) - len(data) % frame_bytes]
        if not data:
            break  # a truncated file keeps what it has
        left -= len(data)
        if in_dtype is None:  # 24-bit little-endian, sign-extended into int32
            b = np.frombuffer(data, dtype=np.uint8).reshape(-1, 3).astype(np.int32)
            block = (b[:, 0] | (b[:, 1] << 8) | (b[:, 2] << 16)) << 8 >> 8
        else:
            block = np.frombuffer(data, dtype=in_dtype)
            if bits == 8:
                block = block.astype(np.int16) - 128
        block = block.reshape(-1, channels)
        if tag == _FLOAT:
            bad = nonfinite.bad_rows(block)
            if bad.any():
                if not drop_nonfinite:
                    spool.close()
                    row = int(np.argmax(bad))
                    col = int(np.argmax(~np.isfinite(block[row])))
                    raise nonfinite.refusal(f"{path.name}, frame {frame + row + 1}", names[col], str(block[row, col]))
                dropped += int(bad.sum())
                frame += len(block)
                block = block[~bad]
            else:
                frame += len(block)
        spool.append(block)
    if spool.frames == 0:
        spool.close()
        raise UserError(f"{path.name} holds no audio frames" + (" with finite values" if dropped else ""))
    return [Recording(spool, 0, spool.frames, float(rate), names, [""] * channels, name=path.name)], dropped


def write_wav(path: Path, signal: np.ndarray, rate_hz: float) -> None:
    """Write int16 PCM (ints) or 32-bit float (floats) audio."""
    is_float = signal.dtype.kind == "f"
    data = signal.astype("<f4" if is_float else "<i2").tobytes()
    channels = signal.shape[1]
    bits = 32 if is_float else 16
    rate = int(round(rate_hz))
    fmt = struct.pack("<HHIIHH", _FLOAT if is_float else _PCM, channels, rate, rate * channels * bits // 8,
                      channels * bits // 8, bits)
    body = b"WAVE" + b"fmt " + struct.pack("<I", len(fmt)) + fmt + b"data" + struct.pack("<I", len(data)) + data
    path.write_bytes(b"RIFF" + struct.pack("<I", len(body)) + body)
