"""The boards TinyStudio can build for, flash and test on, in one registry.

Each board is one ``BoardSpec``: its name (and aliases), the title people see, its core, clock, memory
budget and counter kind, how its firmware is built (``CortexMFirmware``: board folder, shared drivers,
compiler flags of its core, memory origins) and the factory of its ``Target`` (how to build, flash and
connect). The GUI's board list and the CLI's ``--target`` choices both come from ``BOARDS``; adding a board
is one entry here, its folder under firmware/boards and the module its factory imports.

The emulated boards are QEMU 7.2's Cortex-M machines, one per core class (M0, M3, M4F, M7, M33, M55);
their QEMU machine name is the board name.
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


def _host(spec: BoardSpec, budget: MemoryBudget | None) -> Target:
    from tinystudio.targets.host import HostTarget

    return HostTarget(spec, budget)


_KB = 1024
_M0 = ("-mcpu=cortex-m0", "-mthumb", "-mfloat-abi=soft")
_M3 = ("-mcpu=cortex-m3", "-mthumb", "-mfloat-abi=soft")
_M4F = ("-mcpu=cortex-m4", "-mthumb", "-mfloat-abi=hard", "-mfpu=fpv4-sp-d16")
_M7 = ("-mcpu=cortex-m7", "-mthumb", "-mfloat-abi=hard", "-mfpu=fpv5-d16")
_M33 = ("-mcpu=cortex-m33", "-mthumb", "-mfloat-abi=hard", "-mfpu=fpv5-sp-d16")
_M55 = ("-mcpu=cortex-m55", "-mthumb", "-mfloat-abi=hard")  # FPU and Helium (MVE) included
_ZIG_SOFT, _ZIG_HARD = "thumb-freestanding-eabi", "thumb-freestanding-eabihf"


def _emulated(name: str, title: str, core: str, clock_hz: int, flash_kb: int, ram_kb: int,
              firmware: CortexMFirmware, min_stack_kb: int = 8, aliases: tuple[str, ...] = ()) -> BoardSpec:
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
    )


_CMSDK = ("tsr_uart_cmsdk",)

BOARDS: tuple[BoardSpec, ...] = (
    _emulated(
        "mps2-an386", "Cortex-M4F on QEMU mps2-an386", "Cortex-M4F", 25_000_000, 1024, 256,
        CortexMFirmware("mps2-an386", _M4F, (_ZIG_HARD, "cortex_m4+vfp4d16sp"), _CMSDK),
        aliases=("qemu",),
    ),
    _emulated(
        "microbit", "Cortex-M0 on QEMU microbit (nRF51822, 16 KB RAM)", "Cortex-M0", 16_000_000, 256, 16,
        CortexMFirmware("microbit", _M0, (_ZIG_SOFT, "cortex_m0"), ("tsr_uart_nrf",)),
        min_stack_kb=2,
    ),
    _emulated(
        "mps2-an385", "Cortex-M3 on QEMU mps2-an385", "Cortex-M3", 25_000_000, 1024, 256,
        CortexMFirmware("mps2-an385", _M3, (_ZIG_SOFT, "cortex_m3"), _CMSDK),
    ),
    _emulated(
        "netduinoplus2", "Cortex-M4F on QEMU netduinoplus2 (STM32F405)", "Cortex-M4F", 168_000_000, 1024, 128,
        CortexMFirmware("netduinoplus2", _M4F, (_ZIG_HARD, "cortex_m4+vfp4d16sp"), ("tsr_uart_stm32f4",),
                        flash_origin=0x0800_0000),
    ),
    _emulated(
        "mps2-an500", "Cortex-M7 on QEMU mps2-an500", "Cortex-M7", 25_000_000, 1024, 256,
        CortexMFirmware("mps2-an500", _M7, (_ZIG_HARD, "cortex_m7+fp_armv8d16"), _CMSDK),
    ),
    _emulated(
        "mps2-an505", "Cortex-M33 on QEMU mps2-an505", "Cortex-M33", 20_000_000, 1024, 256,
        CortexMFirmware("mps2-an505", _M33, (_ZIG_HARD, "cortex_m33+dsp+fp_armv8d16sp"), _CMSDK,
                        flash_origin=0x1000_0000, ram_origin=0x3800_0000),
    ),
    _emulated(
        "mps3-an547", "Cortex-M55 with Helium on QEMU mps3-an547", "Cortex-M55", 32_000_000, 512, 256,
        CortexMFirmware("mps3-an547", _M55, (_ZIG_HARD, "cortex_m55+mve_fp+fp_armv8d16"), _CMSDK),
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


def emulated_boards() -> tuple[BoardSpec, ...]:
    """The boards QEMU runs, in registry order."""
    return tuple(b for b in BOARDS if b.emulated)


def get_target(name: str, budget: MemoryBudget | None = None) -> Target:
    """The Target of board ``name``; ``budget`` overrides the default memory budget where the board has one."""
    return board_spec(name).target(budget)
