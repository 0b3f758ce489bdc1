"""UF2 copy to an RP2040 boot drive: a temporary folder with an INFO_UF2.TXT made to look like the Pico's
BOOTSEL drive (no Pico is attached here) is found among other folders, the Pico target writes its image
there instead of looking for a probe, and the written file parses back to the ELF image's bytes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tinystudio.core.errors import UserError
from tinystudio.targets import get_target, uf2
from tinystudio.targets.uf2 import boot_drives, loadable_bytes, read_uf2, to_uf2

FIXTURE_MODEL = Path(__file__).resolve().parents[1] / "firmware" / "fixture_model"
INFO_RP2 = "UF2 Bootloader v3.0\nModel: Raspberry Pi RP2\nBoard-ID: RPI-RP2\n"
needs_gcc = pytest.mark.skipif(shutil.which("arm-none-eabi-gcc") is None, reason="arm-none-eabi-gcc missing")


def _drive(folder: Path, info: str) -> Path:
    folder.mkdir()
    (folder / "INFO_UF2.TXT").write_text(info)
    return folder


def test_only_a_drive_whose_info_names_rp2_is_a_boot_drive(tmp_path):
    pico = _drive(tmp_path / "RPI-RP2", INFO_RP2)
    other = _drive(tmp_path / "MICROBIT", "UF2 Bootloader\nBoard-ID: nRF51-microbit-v1\n")
    plain = tmp_path / "USBSTICK"
    plain.mkdir()
    assert boot_drives("RP2", roots=[plain, other, pico, tmp_path / "gone"]) == [pico]


def test_blocks_round_trip_with_family_and_page_addresses():
    image = {0x1000_0000 + i: i % 251 for i in range(700)} | {0x1000_2000: 7}
    blob = to_uf2(image, 0xE48BFF56)
    assert len(blob) == 4 * 512  # pages 0x10000000, +0x100, +0x200 and 0x10002000
    pages, family = read_uf2(blob)
    assert family == 0xE48BFF56 and sorted(pages) == [0x1000_0000, 0x1000_0100, 0x1000_0200, 0x1000_2000]
    for address, value in image.items():
        assert pages[address - address % 256][address % 256] == value
    damaged = bytearray(blob)
    damaged[512 + 3] ^= 0xFF
    with pytest.raises(UserError, match="block 1 is damaged"):
        read_uf2(bytes(damaged))


@needs_gcc
def test_pico_flashes_by_copying_its_uf2_to_the_boot_drive(tmp_path, fw_cache, monkeypatch):
    drive = _drive(tmp_path / "RPI-RP2", INFO_RP2)
    monkeypatch.setattr(uf2, "_mount_points", lambda: [tmp_path / "elsewhere", drive])
    target = get_target("pico")
    artifact = target.build(FIXTURE_MODEL, fw_cache)
    steps: list[str] = []
    assert target.flash(artifact, lambda _f, m: steps.append(m)) is None  # no probe was used
    written = drive / "firmware.uf2"
    pages, family = read_uf2(written.read_bytes())
    assert family == 0xE48BFF56
    image = loadable_bytes(artifact.path)
    assert min(image) == 0x1000_0000 and all(pages[a - a % 256][a % 256] == v for a, v in image.items())
    assert steps[-1] == "copied: the Pico restarts into the new image"
    # Flashed, but its UART (GP0/GP1) reaches this computer only through a probe's or adapter's serial port.
    monkeypatch.setattr("tinystudio.targets.bench.list_boards", lambda: [])
    with pytest.raises(UserError, match="^no serial port of the Raspberry Pi Pico found"):
        target.launch(artifact)
