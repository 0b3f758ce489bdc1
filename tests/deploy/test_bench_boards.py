"""The real bench boards build: the runner with a really trained model (BasicMotions, int8, the DSP block
on the board, as deploy builds it) compiles for each board with arm-none-eabi-gcc -Wall -Wextra -Werror,
fits the board's budget, puts its vector table where the chip boots (0x08000000 on STM32, 0x00000000 on
the nRF52840, 0x10000100 behind a boot2 with a valid CRC on the RP2040) with a Thumb reset handler, and
the Pico's UF2 file reads back as the image. Without a board attached, deploying to one fails with one
line (no probe found), through the command line. No test here pretends that a board answered.

The drivers under these boards also run in the emulated suite: the STM32F4 USART on QEMU's netduinoplus2
and the Nordic legacy UART on QEMU's microbit (tests/firmware/test_emulated_boards.py).
"""

from __future__ import annotations

import shutil
import struct

import pytest
from elftools.elf.elffile import ELFFile

from cli_helpers import run_cli
from tinystudio.core.compress.int8 import INPUT_DSP_FEATURES
from tinystudio.core.errors import UserError
from tinystudio.core.pipeline_data import pipeline_data
from tinystudio.core.store import Project
from tinystudio.targets import MemoryBudget
from tinystudio.targets.bench import BenchTarget
from tinystudio.targets.fit import check_fits
from tinystudio.targets.registry import bench_boards
from tinystudio.targets.rp2040 import BOOT2_BYTES, boot2_crc
from tinystudio.targets.uf2 import loadable_bytes, read_uf2

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("arm-none-eabi-gcc") is None, reason="arm-none-eabi-gcc is not installed"),
]
BENCH = [b.name for b in bench_boards()]
BOOT_ADDRESS = {"nucleo-f429zi": 0x0800_0000, "b-l475e-iot01a": 0x0800_0000, "nucleo-h743zi": 0x0800_0000,
                "nrf52840dk": 0x0000_0000, "pico": 0x1000_0100}


@pytest.fixture(scope="module")
def trained_model(trained, tmp_path_factory):
    """The trained int8 variant as C, and the DSP block the board runs on each window."""
    from tinystudio.core.codegen import generate

    with Project.open(trained.path) as project:
        variant = next(v for v in project.variants() if v["id"] == trained.variant_id)
        tflite = project.variant_tflite(trained.variant_id)
        block = pipeline_data(project, trained.run_id).block
    folder = tmp_path_factory.mktemp("bench-model") / "model"
    generate(tflite, folder, name="bench")
    return folder, block if variant["config"].get("input") == INPUT_DSP_FEATURES else None


@pytest.fixture(scope="module")
def built(trained_model, tmp_path_factory):
    """Each bench board's image, every file compiled with -Werror (the generated model too)."""
    folder, block = trained_model
    cache = tmp_path_factory.mktemp("bench-fw")
    images = {}
    for spec in bench_boards():
        target = spec.target()
        assert isinstance(target, BenchTarget)
        target.extra_flags = ("-Werror",)
        images[spec.name] = (target, target.build(folder, cache, dsp=block))
    return images


def _words(elf_path, address, count):
    image = loadable_bytes(elf_path)
    return struct.unpack(f"<{count}I", bytes(image[address + i] for i in range(4 * count)))


def _symbol(elf_path, name):
    with open(elf_path, "rb") as handle:
        return ELFFile(handle).get_section_by_name(".symtab").get_symbol_by_name(name)[0]["st_value"]


@pytest.mark.parametrize("name", BENCH)
def test_board_image_fits_and_boots_from_its_vector_table(built, name):
    target, artifact = built[name]
    spec, fw, budget = target.spec, target.firmware, target.budget
    footprint = check_fits(artifact.path, budget, target.board_title)
    print(f"{name}: flash {footprint.flash} B of {budget.flash_bytes}, static RAM {footprint.static_ram} B "
          f"+ stack {footprint.reserved_stack} B of {budget.ram_bytes}")
    assert footprint.flash == artifact.flash_bytes and footprint.static_ram == artifact.static_ram_bytes
    assert fw.flash_origin <= _symbol(artifact.path, "ts_model_invoke") < fw.flash_origin + footprint.flash
    vectors = BOOT_ADDRESS[name]
    assert fw.flash_origin <= vectors < fw.flash_origin + budget.flash_bytes
    initial_sp, reset = _words(artifact.path, vectors, 2)
    assert initial_sp == fw.ram_origin + budget.ram_bytes  # the stack starts at the top of the board's RAM
    assert reset & 1, "the reset handler address must have the Thumb bit set"
    assert reset == _symbol(artifact.path, "Reset_Handler")  # ELF gives Thumb functions with bit 0 set
    assert fw.flash_origin <= reset < fw.flash_origin + footprint.flash
    assert spec.clock_hz and spec.counter_kind.label == "cycles"


def test_pico_image_starts_with_boot2_and_a_valid_crc_and_its_uf2_reads_back(built):
    target, artifact = built["pico"]
    image = loadable_bytes(artifact.path)
    boot2 = bytes(image[0x1000_0000 + i] for i in range(BOOT2_BYTES))
    (crc,) = struct.unpack("<I", boot2[-4:])
    assert crc == boot2_crc(boot2[:-4])
    assert boot2[:2] == bytes.fromhex("00b5")  # push {lr}: boot2's first instruction
    pages, family = read_uf2(target.uf2_path(artifact).read_bytes())
    assert family == 0xE48BFF56
    assert all(address % 256 == 0 and len(data) == 256 for address, data in pages.items())
    assert min(pages) == 0x1000_0000
    for address, value in image.items():
        assert pages[address - address % 256][address % 256] == value


def test_budget_check_names_what_overflows_before_flashing(built):
    target, artifact = built["nrf52840dk"]
    tight = MemoryBudget(flash_bytes=8 * 1024, ram_bytes=4 * 1024, min_stack_bytes=16 * 1024)
    with pytest.raises(UserError) as caught:
        check_fits(artifact.path, tight, target.board_title)
    message = str(caught.value)
    assert message.startswith("the image does not fit the nRF52840 DK: flash needs ")
    assert "of 8192 B (over by" in message and "RAM needs" in message and "the board needs at least 16384 B" in message
    assert "\n" not in message


@pytest.mark.parametrize(("board", "says"), [
    ("nucleo-f429zi", "no debug probe found for the NUCLEO-F429ZI: connect the board's ST-Link USB port"),
    ("pico", "no debug probe found for the Raspberry Pi Pico: hold BOOTSEL"),
])
def test_deploy_to_a_bench_board_without_hardware_is_one_line(project_copy, board, says):
    code, out, err = run_cli("deploy", str(project_copy), "--target", board)
    assert code == 1
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"tinystudio: error: {says}"), err
    assert "Traceback" not in err
    with Project.open(project_copy) as project:
        assert project.device_results() == []
