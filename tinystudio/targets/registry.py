"""The boards TinyStudio can build for, flash and test on, in one registry.

Each board is one ``BoardSpec``: its name (and aliases), the title people see, its core, clock, memory
budget and counter kind, how its firmware is built (``CortexMFirmware``: board folder, shared drivers,
compiler flags of its core, memory origins) and the factory of its ``Target`` (how to build, flash and
connect). The GUI's board list and the CLI's ``--target`` choices both come from ``BOARDS``; adding a board
is one entry here, its folder under firmware/boards and the module its factory imports.

The emulated boards are QEMU 7.2's Cortex-M machines, one per core class (M0, M3, M4F, M7, M33, M55);
their QEMU machine name is the board name. The real boards (``bench``) are built the same way with their
own clocks, pins and memory, flashed with pyOCD (or a UF2 boot drive) and reached over the serial port of
their probe, found by USB VID/PID or given by the user; they count true cycles.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from tinystudio.core.errors import UserError
from tinystudio.device.runner_protocol import CounterKind
from tinystudio.targets.base import MemoryBudget

if TYPE_CHECKING:
    from tinystudio.targets.base import Target


@dataclass(frozen=True)
class CortexMFirmware:
    """How the runner firmware is built for one Cortex-M board."""

    board_dir: str  # folder under firmware/boards holding the board's own C files (its tsr_hal_*)
    cpu_flags: tuple[str, ...]  # arm-none-eabi-gcc flags of the core: -mcpu, -mfpu, -mfloat-abi
    zig_cpu_flags: tuple[str, ...]  # the same core for zig cc (-target, -mcpu)
    drivers: tuple[str, ...] = ()  # shared peripheral drivers, firmware/drivers/<name>.c
    flash_origin: int = 0x0000_0000
    ram_origin: int = 0x2000_0000
    # The shared Cortex-M files (firmware/boards/cortex-m/<name>.c): an emulated board counts with SysTick
    # and ends through semihosting; a real board counts with the DWT (SysTick on an M0+) and resets.
    common: tuple[str, ...] = ("tsr_semihost", "tsr_startup", "tsr_systick")


@dataclass(frozen=True)
class BenchBoard:
    """How a real board on the bench is flashed and reached: pyOCD's built-in target, the chip its probe
    must report (a prefix of pyOCD's target name), and the USB VID/PIDs (PID None: any) of the serial
    port carrying its UART and of the debug probes that flash it."""

    pyocd_target: str
    chip: str
    serial_usb: tuple[tuple[int, int | None], ...]
    probe_usb: tuple[tuple[int, int | None], ...]
    probe_kind: str  # what a person calls the probe: "ST-Link", "J-Link", "CMSIS-DAP"
    uf2_family: int | None = None  # a UF2 boot drive's family id, where the chip has one


@dataclass(frozen=True)
class BoardSpec:
    """One board: what people read about it and how to make its Target (``factory(spec, budget)``)."""

    name: str
    title: str
    core: str
    clock_hz: int | None  # None: the counter is not a processor clock (the host board counts microseconds)
    budget: MemoryBudget | None  # None: no linker-enforced budget
    counter_kind: CounterKind
    factory: Callable[[BoardSpec, MemoryBudget | None], Target]
    aliases: tuple[str, ...] = ()
    firmware: CortexMFirmware | None = None  # None: not a Cortex-M board (the host process)
    bench: BenchBoard | None = None  # None: not a real board (emulated, or the host process)
    # Emulated boards: memory of the machine that the firmware never links into (address, bytes), where the
    # launcher places the test set at launch; None: the flash after the image (QEMU loads it there too).
    bulk_memory: tuple[int, int] | None = None

    @property
    def emulated(self) -> bool:
        """True for a board QEMU runs (so the test suite can deploy to it on any machine)."""
        return self.factory is _qemu

    def target(self, budget: MemoryBudget | None = None) -> Target:
        """A Target for this board; ``budget`` overrides the default where the board has one."""
        return self.factory(self, budget or self.budget)


def _qemu(spec: BoardSpec, budget: MemoryBudget | None) -> Target:
    from tinystudio.targets.qemu import QemuTarget

    return QemuTarget(spec, budget)


def _bench(spec: BoardSpec, budget: MemoryBudget | None) -> Target:
    from tinystudio.targets.bench import BenchTarget

    return BenchTarget(spec, budget)


def _rp2040(spec: BoardSpec, budget: MemoryBudget | None) -> Target:
    from tinystudio.targets.rp2040 import Rp2040Target

    return Rp2040Target(spec, budget)


def _host(spec: BoardSpec, budget: MemoryBudget | None) -> Target:
    from tinystudio.targets.host import HostTarget

    return HostTarget(spec, budget)


_KB = 1024
_MB = 1024 * _KB
_M0 = ("-mcpu=cortex-m0", "-mthumb", "-mfloat-abi=soft")
_M3 = ("-mcpu=cortex-m3", "-mthumb", "-mfloat-abi=soft")
_M0P = ("-mcpu=cortex-m0plus", "-mthumb", "-mfloat-abi=soft")
_M4F = ("-mcpu=cortex-m4", "-mthumb", "-mfloat-abi=hard", "-mfpu=fpv4-sp-d16")
_M7 = ("-mcpu=cortex-m7", "-mthumb", "-mfloat-abi=hard", "-mfpu=fpv5-d16")
_M33 = ("-mcpu=cortex-m33", "-mthumb", "-mfloat-abi=hard", "-mfpu=fpv5-sp-d16")
_M55 = ("-mcpu=cortex-m55", "-mthumb", "-mfloat-abi=hard")  # FPU and Helium (MVE) included
_ZIG_SOFT, _ZIG_HARD = "thumb-freestanding-eabi", "thumb-freestanding-eabihf"


def _emulated(name: str, title: str, core: str, clock_hz: int, flash_kb: int, ram_kb: int,
              firmware: CortexMFirmware, min_stack_kb: int = 8, aliases: tuple[str, ...] = (),
              bulk_memory: tuple[int, int] | None = None) -> BoardSpec:
    """A QEMU machine: counts emulated instructions (-icount), so every one shares that counter kind."""
    return BoardSpec(
        name=name,
        title=f"{title} (emulated instructions)",
        core=core,
        clock_hz=clock_hz,
        budget=MemoryBudget(flash_kb * _KB, ram_kb * _KB, min_stack_kb * _KB),
        counter_kind=CounterKind.INSTRUCTIONS,
        factory=_qemu,
        aliases=aliases,
        firmware=firmware,
        bulk_memory=bulk_memory,
    )


_CMSDK = ("tsr_uart_cmsdk",)
_REAL_DWT = ("tsr_startup", "tsr_dwt", "tsr_exit_reset")
_REAL_SYSTICK = ("tsr_startup", "tsr_systick", "tsr_exit_reset")
_ST_LINK = ((0x0483, 0x374B), (0x0483, 0x374E), (0x0483, 0x374F), (0x0483, 0x3752), (0x0483, 0x3753))
_J_LINK = ((0x1366, None),)
_CMSIS_DAP = ((0x0D28, 0x0204), (0x2E8A, 0x000C))
RP2040_BOOT_USB = (0x2E8A, 0x0003)
UF2_FAMILY_RP2040 = 0xE48BFF56


Factory = Callable[[BoardSpec, MemoryBudget | None], "Target"]


def _real(name: str, title: str, core: str, clock_hz: int, flash_kb: int, ram_kb: int,
          firmware: CortexMFirmware, bench: BenchBoard, factory: Factory = _bench) -> BoardSpec:
    """A board on the bench: counts true cycles at its clock, flashed through its probe."""
    return BoardSpec(
        name=name,
        title=title,
        core=core,
        clock_hz=clock_hz,
        budget=MemoryBudget(flash_kb * _KB, ram_kb * _KB),
        counter_kind=CounterKind.CYCLES,
        factory=factory,
        firmware=firmware,
        bench=bench,
    )


BOARDS: tuple[BoardSpec, ...] = (
    _emulated(
        "mps2-an386", "Cortex-M4F on QEMU mps2-an386", "Cortex-M4F", 25_000_000, 1024, 256,
        CortexMFirmware("mps2-an386", _M4F, (_ZIG_HARD, "cortex_m4+vfp4d16sp"), _CMSDK),
        aliases=("qemu",), bulk_memory=(0x2100_0000, 16 * _MB),  # PSRAM
    ),
    _emulated(
        "microbit", "Cortex-M0 on QEMU microbit (nRF51822, 16 KB RAM)", "Cortex-M0", 16_000_000, 256, 16,
        CortexMFirmware("microbit", _M0, (_ZIG_SOFT, "cortex_m0"), ("tsr_uart_nrf",)),
        min_stack_kb=2,
    ),
    _emulated(
        "mps2-an385", "Cortex-M3 on QEMU mps2-an385", "Cortex-M3", 25_000_000, 1024, 256,
        CortexMFirmware("mps2-an385", _M3, (_ZIG_SOFT, "cortex_m3"), _CMSDK),
        bulk_memory=(0x2100_0000, 16 * _MB),  # PSRAM
    ),
    _emulated(
        "netduinoplus2", "Cortex-M4F on QEMU netduinoplus2 (STM32F405)", "Cortex-M4F", 168_000_000, 1024, 128,
        CortexMFirmware("netduinoplus2", _M4F, (_ZIG_HARD, "cortex_m4+vfp4d16sp"), ("tsr_uart_stm32f4",),
                        flash_origin=0x0800_0000),
        bulk_memory=(0x2002_0000, 64 * _KB),  # QEMU gives the STM32F405 192 KB of SRAM; the budget links 128
    ),
    _emulated(
        "mps2-an500", "Cortex-M7 on QEMU mps2-an500", "Cortex-M7", 25_000_000, 1024, 256,
        CortexMFirmware("mps2-an500", _M7, (_ZIG_HARD, "cortex_m7+fp_armv8d16"), _CMSDK),
        bulk_memory=(0x6000_0000, 16 * _MB),  # PSRAM
    ),
    _emulated(
        "mps2-an505", "Cortex-M33 on QEMU mps2-an505", "Cortex-M33", 20_000_000, 1024, 256,
        CortexMFirmware("mps2-an505", _M33, (_ZIG_HARD, "cortex_m33+dsp+fp_armv8d16sp"), _CMSDK,
                        flash_origin=0x1000_0000, ram_origin=0x3800_0000),
        bulk_memory=(0x8000_0000, 16 * _MB),  # the machine's 16 MB outside the SSE-200's protection
    ),
    _emulated(
        "mps3-an547", "Cortex-M55 with Helium on QEMU mps3-an547", "Cortex-M55", 32_000_000, 512, 256,
        CortexMFirmware("mps3-an547", _M55, (_ZIG_HARD, "cortex_m55+mve_fp+fp_armv8d16"), _CMSDK),
        bulk_memory=(0x2100_0000, 4 * _MB),  # the second SRAM (outside the SSE-300's protection)
    ),
    _real(
        "nucleo-f429zi", "NUCLEO-F429ZI (STM32F429ZI, 180 MHz)", "Cortex-M4F", 180_000_000, 2048, 192,
        CortexMFirmware("nucleo-f429zi", _M4F, (_ZIG_HARD, "cortex_m4+vfp4d16sp"), ("tsr_uart_stm32f4",),
                        flash_origin=0x0800_0000, common=_REAL_DWT),
        BenchBoard("stm32f429xi", "stm32f429", _ST_LINK, _ST_LINK, "ST-Link"),
    ),
    _real(
        "b-l475e-iot01a", "B-L475E-IOT01A Discovery kit (STM32L475VG, 80 MHz, LSM6DSL IMU)", "Cortex-M4F",
        80_000_000, 1024, 96,
        CortexMFirmware("b-l475e-iot01a", _M4F, (_ZIG_HARD, "cortex_m4+vfp4d16sp"),
                        ("tsr_uart_stm32_v2", "tsr_i2c_stm32_v2"), flash_origin=0x0800_0000, common=_REAL_DWT),
        BenchBoard("stm32l475xg", "stm32l475", _ST_LINK, _ST_LINK, "ST-Link"),
    ),
    _real(
        "nucleo-h743zi", "NUCLEO-H743ZI (STM32H743ZI, 400 MHz)", "Cortex-M7", 400_000_000, 2048, 512,
        CortexMFirmware("nucleo-h743zi", _M7, (_ZIG_HARD, "cortex_m7"), ("tsr_uart_stm32_v2",),
                        flash_origin=0x0800_0000, ram_origin=0x2400_0000, common=_REAL_DWT),
        BenchBoard("stm32h743xx", "stm32h743", _ST_LINK, _ST_LINK, "ST-Link"),
    ),
    _real(
        "nrf52840dk", "nRF52840 DK (nRF52840, 64 MHz)", "Cortex-M4F", 64_000_000, 1024, 256,
        CortexMFirmware("nrf52840dk", _M4F, (_ZIG_HARD, "cortex_m4+vfp4d16sp"), ("tsr_uart_nrf",),
                        common=_REAL_DWT),
        BenchBoard("nrf52840", "nrf52840", _J_LINK, (*_J_LINK, (0x0D28, 0x0204)), "J-Link"),
    ),
    _real(
        "pico", "Raspberry Pi Pico (RP2040, 125 MHz)", "Cortex-M0+", 125_000_000, 2048, 264,
        CortexMFirmware("pico", _M0P, (_ZIG_SOFT, "cortex_m0plus"), ("tsr_uart_pl011",),
                        flash_origin=0x1000_0000, common=_REAL_SYSTICK),
        BenchBoard("rp2040", "rp2040", ((0x2E8A, 0x000C),), _CMSIS_DAP, "CMSIS-DAP",
                   uf2_family=UF2_FAMILY_RP2040),
        factory=_rp2040,
    ),
    BoardSpec(
        name="host",
        title="Host process on a pseudo-terminal (microseconds)",
        core="host CPU",
        clock_hz=None,
        budget=None,
        counter_kind=CounterKind.MICROSECONDS,
        factory=_host,
    ),
)
DEFAULT_BOARD = "mps2-an386"


def board_names() -> tuple[str, ...]:
    """The names ``--target`` accepts, aliases included, in registry order."""
    return tuple(n for b in BOARDS for n in (b.name, *b.aliases))


def board_spec(name: str) -> BoardSpec:
    """The board called ``name`` (or one of its aliases); a UserError listing the boards otherwise."""
    for spec in BOARDS:
        if name == spec.name or name in spec.aliases:
            return spec
    raise UserError(f"unknown target {name!r}; choose one of: {', '.join(b.name for b in BOARDS)}")


def bench_boards() -> tuple[BoardSpec, ...]:
    """The real boards (flashed through a probe or a boot drive), in registry order."""
    return tuple(b for b in BOARDS if b.bench is not None)


def emulated_boards() -> tuple[BoardSpec, ...]:
    """The boards QEMU runs, in registry order."""
    return tuple(b for b in BOARDS if b.emulated)


def get_target(name: str, budget: MemoryBudget | None = None) -> Target:
    """The Target of board ``name``; ``budget`` overrides the default memory budget where the board has one."""
    return board_spec(name).target(budget)
