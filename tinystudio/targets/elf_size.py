"""Flash and RAM footprint of a 32-bit little-endian ELF image, read from its section headers.

Pure Python so it works with every toolchain (GCC or zig) and needs no binutils.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field
from pathlib import Path

from tinystudio.core.errors import UserError

_SHF_WRITE = 0x1
_SHF_ALLOC = 0x2
_SHT_NOBITS = 8


@dataclass(frozen=True)
class ElfFootprint:
    """Bytes by role: flash holds code, constants and .data's initial values; RAM holds .data and .bss."""

    text: int  # code and read-only data (.text, .rodata, vectors, exidx)
    data: int  # initialized RAM (copied from flash at boot)
    bss: int  # zeroed RAM (includes the model arena and the runtime's buffers)
    reserved_stack: int  # the minimum stack the linker reserved (.stack)
    sections: dict[str, int] = field(default_factory=dict)

    @property
    def flash(self) -> int:
        return self.text + self.data

    @property
    def static_ram(self) -> int:
        return self.data + self.bss


def read_footprint(path: Path) -> ElfFootprint:
    """Sum the allocated sections of an ELF32 file by role."""
    blob = Path(path).read_bytes()
    if blob[:4] != b"\x7fELF" or blob[4] != 1 or blob[5] != 1:
        raise UserError(f"{path} is not a 32-bit little-endian ELF file")
    shoff = struct.unpack_from("<I", blob, 0x20)[0]
    shentsize, shnum, shstrndx = struct.unpack_from("<HHH", blob, 0x2E)
    headers = [struct.unpack_from("<10I", blob, shoff + i * shentsize) for i in range(shnum)]
    strtab_off = headers[shstrndx][4]

    def name_of(offset: int) -> str:
        end = blob.index(b"\x00", strtab_off + offset)
        return blob[strtab_off + offset : end].decode("ascii", "replace")

    text = data = bss = stack = 0
    sections: dict[str, int] = {}
    for name_off, sh_type, flags, _addr, _off, size, *_rest in headers:
        if not flags & _SHF_ALLOC or size == 0:
            continue
        name = name_of(name_off)
        sections[name] = size
        if name == ".stack":
            stack += size
        elif sh_type == _SHT_NOBITS:
            bss += size
        elif flags & _SHF_WRITE:
            data += size
        else:
            text += size
    return ElfFootprint(text, data, bss, stack, sections)


_SHT_SYMTAB = 2


def read_symbol(path: Path, name: str) -> int | None:
    """The value of symbol ``name`` in an ELF32 file's symbol table (a linker script's address), or None."""
    blob = Path(path).read_bytes()
    shoff = struct.unpack_from("<I", blob, 0x20)[0]
    shentsize, shnum, _shstrndx = struct.unpack_from("<HHH", blob, 0x2E)
    headers = [struct.unpack_from("<10I", blob, shoff + i * shentsize) for i in range(shnum)]
    wanted = name.encode("ascii")
    for _name, sh_type, _flags, _addr, off, size, link, _info, _align, entsize in headers:
        if sh_type != _SHT_SYMTAB or not entsize:
            continue
        strtab_off = headers[link][4]
        for at in range(off, off + size, entsize):
            st_name, st_value = struct.unpack_from("<II", blob, at)
            end = blob.index(b"\x00", strtab_off + st_name)
            if blob[strtab_off + st_name : end] == wanted:
                return int(st_value)
    return None
