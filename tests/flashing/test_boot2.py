"""The Pico's boot2: the boot ROM's CRC (CRC-32/MPEG-2, checked against that variant's published check
value), the 256-byte block layout, and the same position-independent code from either ARM compiler."""

from __future__ import annotations

import importlib.util
import shutil
import struct
from pathlib import Path

import pytest

from tinystudio.core.errors import UserError
from tinystudio.targets.rp2040 import boot2_block, boot2_crc, build_boot2
from tinystudio.targets.toolchain import CrossCompiler

SOURCE = Path(__file__).resolve().parents[2] / "firmware" / "boards" / "pico" / "boot2_w25q080.S"


def test_crc_is_the_boot_roms_variant_and_closes_the_block():
    assert boot2_crc(b"123456789") == 0x0376E6E7  # CRC-32/MPEG-2 check value
    block = boot2_block(b"\x00\xb5\x01\xbc")
    assert len(block) == 256 and block[:4] == b"\x00\xb5\x01\xbc" and block[4:252] == bytes(248)
    assert struct.unpack("<I", block[252:])[0] == boot2_crc(block[:252])
    with pytest.raises(UserError, match="it must fit in 252"):
        boot2_block(bytes(253))


def _block(compiler: CrossCompiler, out: Path) -> bytes:
    text = build_boot2(SOURCE, compiler, out, None).read_text()
    return bytes(int(tok, 16) for tok in text.split("{", 1)[1].split("}", 1)[0].replace(",", " ").split())


@pytest.mark.skipif(shutil.which("arm-none-eabi-gcc") is None or importlib.util.find_spec("ziglang") is None,
                    reason="needs both arm-none-eabi-gcc and the ziglang package")
def test_gcc_and_zig_assemble_the_same_boot2(tmp_path):
    import sys

    gcc = _block(CrossCompiler("gcc", (shutil.which("arm-none-eabi-gcc") or "",)), tmp_path / "gcc")
    zig = _block(CrossCompiler("zig", (sys.executable, "-m", "ziglang", "cc")), tmp_path / "zig")
    assert gcc == zig and len(gcc) == 256
    assert struct.unpack("<I", gcc[252:])[0] == boot2_crc(gcc[:252])
    assert gcc[:2] == b"\x00\xb5"  # push {lr}
