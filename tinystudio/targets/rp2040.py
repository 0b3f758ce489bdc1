"""The Raspberry Pi Pico (RP2040): its image starts with the 256-byte second-stage boot loader (boot2)
that the boot ROM checks by CRC-32 before running it, and it is flashed by copying a UF2 file to the
BOOTSEL boot drive when one is mounted, else through a CMSIS-DAP probe like the other bench boards.

boot2 (firmware/boards/pico/boot2_w25q080.S) is position-independent code, assembled on its own; the boot
ROM copies it to 0x20041F00 and runs it there. Its bytes, padded to 252, get the CRC the boot ROM expects
and become a C array in the ``.boot2`` section, which the linker script puts first in flash (0x10000000),
before the vector table.
"""

from __future__ import annotations

import struct
from pathlib import Path

from tinystudio.core.errors import UserError
from tinystudio.core.progress import CancelToken, Progress
from tinystudio.targets.base import Artifact
from tinystudio.targets.bench import BenchTarget
from tinystudio.targets.build import Unit, first_error
from tinystudio.targets.pyocd_flash import Probe
from tinystudio.targets.toolchain import CrossCompiler, run_tool
from tinystudio.targets.uf2 import boot_drives, copy_to_drive, elf_to_uf2

BOOT2_BYTES = 256
BOOT_DRIVE_ID = "RP2"  # INFO_UF2.TXT of the RP2040's boot drive says "Board-ID: RPI-RP2"


def boot2_crc(data: bytes) -> int:
    """The boot ROM's CRC-32 of boot2: polynomial 0x04C11DB7, initial value 0xFFFFFFFF, no bit reflection,
    no final xor (CRC-32/MPEG-2)."""
    crc = 0xFFFFFFFF
    for byte in data:
        crc ^= byte << 24
        for _ in range(8):
            crc = ((crc << 1) ^ 0x04C11DB7) & 0xFFFFFFFF if crc & 0x80000000 else (crc << 1) & 0xFFFFFFFF
    return crc


def boot2_block(code: bytes) -> bytes:
    """boot2's code padded to 252 bytes, followed by its CRC (little-endian): the 256 bytes at 0x10000000."""
    if len(code) > BOOT2_BYTES - 4:
        raise UserError(f"the boot2 code is {len(code)} bytes; it must fit in {BOOT2_BYTES - 4}")
    padded = code.ljust(BOOT2_BYTES - 4, b"\0")
    return padded + struct.pack("<I", boot2_crc(padded))


def _text_bytes(obj: Path) -> bytes:
    """The code of the assembled boot2: position-independent, so the object file's .text is the code the
    boot ROM runs wherever it copies it (a relocation would mean it is not)."""
    from elftools.elf.elffile import ELFFile

    with open(obj, "rb") as handle:
        elf = ELFFile(handle)
        section = elf.get_section_by_name(".text")
        if section is None:
            raise UserError(f"{obj.name} has no code")
        if elf.get_section_by_name(".rel.text") or elf.get_section_by_name(".rela.text"):
            raise UserError("boot2 must not need relocations: it runs wherever the boot ROM copies it")
        return bytes(section.data())


def build_boot2(source: Path, compiler: CrossCompiler, out_dir: Path, cancel: CancelToken | None) -> Path:
    """Assemble boot2; write ``tsr_boot2.c`` with its 256-byte block (code, padding, CRC)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    obj = out_dir / "boot2.o"
    cpu = compiler.cpu_flags(("-mcpu=cortex-m0plus", "-mthumb"), ("thumb-freestanding-eabi", "cortex_m0plus"))
    result = run_tool([*compiler.command, *cpu, "-c", str(source), "-o", str(obj)], out_dir, cancel)
    if result.returncode != 0:
        raise UserError(f"building boot2 failed: {first_error(result.output)}")
    block = boot2_block(_text_bytes(obj))
    rows = ",\n".join("    " + ", ".join(f"0x{b:02X}" for b in block[i : i + 12]) for i in range(0, len(block), 12))
    source_c = out_dir / "tsr_boot2.c"
    source_c.write_text(
        "/* tsr_boot2.c - generated from boot2_w25q080.S by the build: the RP2040's second-stage boot loader,\n"
        " * 252 bytes and their CRC-32, first in flash. */\n"
        "#include <stdint.h>\n\n"
        f'__attribute__((section(".boot2"), used)) const uint8_t tsr_boot2[{BOOT2_BYTES}] = {{\n{rows}\n}};\n'
    )
    return source_c


class Rp2040Target(BenchTarget):
    """The Pico: boot2 in front of the image, a UF2 file beside the ELF, flashed by UF2 copy or a probe."""

    def generated_units(self, compiler: CrossCompiler, out_dir: Path, cancel: CancelToken | None) -> list[Unit]:
        return [Unit(build_boot2(self.board_dir() / "boot2_w25q080.S", compiler, out_dir / "boot2", cancel), True)]

    def uf2_path(self, artifact: Artifact) -> Path:
        """The UF2 file of an image (written beside its ELF on first use)."""
        path = artifact.path.with_suffix(".uf2")
        if not path.is_file():
            assert self.spec.bench is not None and self.spec.bench.uf2_family is not None
            elf_to_uf2(artifact.path, path, self.spec.bench.uf2_family)
        return path

    def flash(self, artifact: Artifact, progress: Progress | None = None,
              cancel: CancelToken | None = None) -> Probe | None:
        """Copy the UF2 file to a mounted boot drive (the Pico held in BOOTSEL), else flash through a probe."""
        drives = boot_drives(BOOT_DRIVE_ID)
        if not drives:
            return super().flash(artifact, progress, cancel)
        if progress is not None:
            progress(0.0, f"copying the image to the boot drive {drives[0]}")
        copy_to_drive(self.uf2_path(artifact), drives[0])
        if progress is not None:
            progress(1.0, "copied: the Pico restarts into the new image")
        return None

    def no_probe_hint(self) -> str:
        return ("hold BOOTSEL while plugging the Pico in (its boot drive is then mounted) "
                "or connect a CMSIS-DAP probe such as the Raspberry Pi Debug Probe")
