"""UF2 images, the format a UF2 boot drive (the RP2040's BOOTSEL drive) takes: the ELF's loadable bytes
in 256-byte pages, one page per 512-byte block with the chip's family id; and the boot drives mounted now.

Format (Microsoft's UF2 specification): each block holds magic 0x0A324655 and 0x9E5D5157, flags (0x2000:
the family id field is set), target address, payload size, block number, block count, family id, 476
data bytes of which the payload comes first, and the end magic 0x0AB16F30.
"""

from __future__ import annotations

import os
import struct
import sys
from collections.abc import Iterable
from pathlib import Path

from tinystudio.core.errors import UserError

MAGIC_START0, MAGIC_START1, MAGIC_END = 0x0A324655, 0x9E5D5157, 0x0AB16F30
FLAG_FAMILY_ID = 0x00002000
BLOCK_BYTES, PAGE_BYTES, DATA_BYTES = 512, 256, 476
_HEADER = struct.Struct("<8I")


def loadable_bytes(elf: Path) -> dict[int, int]:
    """Address -> byte of every loadable, file-backed byte of an ELF image at its load (physical) address."""
    from elftools.elf.elffile import ELFFile

    image: dict[int, int] = {}
    with open(elf, "rb") as handle:
        for segment in ELFFile(handle).iter_segments():
            if segment["p_type"] != "PT_LOAD" or segment["p_filesz"] == 0:
                continue
            base = segment["p_paddr"]
            for offset, value in enumerate(segment.data()[: segment["p_filesz"]]):
                image[base + offset] = value
    return image


def to_uf2(image: dict[int, int], family_id: int) -> bytes:
    """The UF2 file for ``image`` (address -> byte): one block per 256-byte page that holds any of its bytes
    (bytes of such a page that the image leaves out are written as 0)."""
    pages = sorted({address - address % PAGE_BYTES for address in image})
    blocks = []
    for number, page in enumerate(pages):
        payload = bytes(image.get(page + i, 0) for i in range(PAGE_BYTES))
        header = _HEADER.pack(MAGIC_START0, MAGIC_START1, FLAG_FAMILY_ID, page, PAGE_BYTES, number, len(pages),
                              family_id)
        blocks.append(header + payload.ljust(DATA_BYTES, b"\0") + struct.pack("<I", MAGIC_END))
    return b"".join(blocks)


def read_uf2(blob: bytes) -> tuple[dict[int, bytes], int | None]:
    """Pages (address -> payload) and the family id of a UF2 file; a UserError when a block is damaged."""
    if len(blob) % BLOCK_BYTES:
        raise UserError(f"not a UF2 file: {len(blob)} bytes is not a whole number of 512-byte blocks")
    pages: dict[int, bytes] = {}
    family = None
    for index in range(len(blob) // BLOCK_BYTES):
        block = blob[index * BLOCK_BYTES : (index + 1) * BLOCK_BYTES]
        m0, m1, flags, address, size, number, _count, fam = _HEADER.unpack_from(block)
        (end,) = struct.unpack_from("<I", block, BLOCK_BYTES - 4)
        if (m0, m1, end) != (MAGIC_START0, MAGIC_START1, MAGIC_END) or size > DATA_BYTES or number != index:
            raise UserError(f"not a UF2 file: block {index} is damaged")
        if flags & FLAG_FAMILY_ID:
            family = fam
        pages[address] = block[_HEADER.size : _HEADER.size + size]
    return pages, family


def elf_to_uf2(elf: Path, out: Path, family_id: int) -> Path:
    """Write ``out`` (a .uf2 file) from the ELF image ``elf``."""
    out.write_bytes(to_uf2(loadable_bytes(elf), family_id))
    return out


def _mount_points() -> list[Path]:
    """Where removable drives are mounted on this computer."""
    found: list[Path] = []
    if sys.platform.startswith("linux"):
        try:
            lines = Path("/proc/mounts").read_text().splitlines()
        except OSError:
            lines = []
        for line in lines:
            fields = line.split()
            if len(fields) >= 3 and fields[2] in ("vfat", "msdos", "fuseblk", "exfat"):
                found.append(Path(fields[1].replace("\\040", " ")))
    elif sys.platform == "darwin":
        found.extend(Path("/Volumes").glob("*"))
    elif os.name == "nt":
        found.extend(Path(f"{letter}:\\") for letter in "DEFGHIJKLMNOPQRSTUVWXYZ")
    return found


def boot_drives(board_id_contains: str, roots: Iterable[Path] | None = None) -> list[Path]:
    """Mounted UF2 boot drives whose INFO_UF2.TXT names the chip (``"RP2"`` for an RP2040 in BOOTSEL mode);
    ``roots`` replaces the computer's mount points (a test gives a folder made to look like one)."""
    drives = []
    for root in _mount_points() if roots is None else roots:
        info = Path(root) / "INFO_UF2.TXT"
        try:
            text = info.read_text(errors="replace")
        except OSError:
            continue
        if board_id_contains in text:
            drives.append(Path(root))
    return drives


def copy_to_drive(uf2: Path, drive: Path) -> Path:
    """Copy the UF2 file onto the boot drive and flush it to the device (the board reboots into it)."""
    dest = drive / uf2.name
    try:
        with open(uf2, "rb") as src, open(dest, "wb") as out:
            out.write(src.read())
            out.flush()
            os.fsync(out.fileno())
    except OSError as exc:
        raise UserError(f"copying {uf2.name} to the boot drive {drive} failed: {exc.strerror or exc}") from exc
    return dest
