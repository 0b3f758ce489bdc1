"""The boards TinyStudio can build for, flash and test on, in one registry.

Each board is one ``BoardSpec``: its name (and aliases), the title people see, its core, clock, memory
budget and counter kind, and the factory of its ``Target`` (how to build, flash and connect). The GUI's
board list and the CLI's ``--target`` choices both come from ``BOARDS``; adding a board is one entry here
and the module its factory imports.
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

    def target(self, budget: MemoryBudget | None = None) -> Target:
        """A Target for this board; ``budget`` overrides the default where the board has one."""
        return self.factory(self, budget or self.budget)


def _qemu_mps2(spec: BoardSpec, budget: MemoryBudget | None) -> Target:
    from tinystudio.targets.qemu import QemuMps2Target

    return QemuMps2Target(spec, budget)


def _host(spec: BoardSpec, budget: MemoryBudget | None) -> Target:
    from tinystudio.targets.host import HostTarget

    return HostTarget(spec, budget)


BOARDS: tuple[BoardSpec, ...] = (
    BoardSpec(
        name="mps2-an386",
        title="Cortex-M4F on QEMU mps2-an386 (emulated instructions)",
        core="Cortex-M4F",
        clock_hz=25_000_000,
        budget=MemoryBudget(flash_bytes=1024 * 1024, ram_bytes=256 * 1024),
        counter_kind=CounterKind.INSTRUCTIONS,
        factory=_qemu_mps2,
        aliases=("qemu",),
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


def get_target(name: str, budget: MemoryBudget | None = None) -> Target:
    """The Target of board ``name``; ``budget`` overrides the default memory budget where the board has one."""
    return board_spec(name).target(budget)
