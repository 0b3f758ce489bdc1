"""The boards a user can deploy to, as the GUI's board list and the CLI's ``--target`` choices show them
(both read the target registry through here, so the two lists cannot differ)."""

from __future__ import annotations

from dataclasses import dataclass

from tinystudio.core.errors import UserError
from tinystudio.targets.registry import BOARDS, DEFAULT_BOARD, board_names, board_spec

__all__ = ["DEFAULT_BOARD", "BoardChoice", "board_choices", "board_clock", "missing_tools", "target_names"]


@dataclass(frozen=True)
class BoardChoice:
    """One entry of a board list: the name to pass on, and what a person reads."""

    name: str
    title: str
    core: str
    counter: str


def board_choices() -> list[BoardChoice]:
    """Every registered board, the default first."""
    choices = [BoardChoice(b.name, b.title, b.core, b.counter_kind.label) for b in BOARDS]
    return sorted(choices, key=lambda c: c.name != DEFAULT_BOARD)


def target_names() -> tuple[str, ...]:
    """The names ``--target`` accepts (aliases included)."""
    return board_names()


def missing_tools(name: str) -> str | None:
    """None when this computer has what board ``name`` needs to build and run its firmware (compiler,
    emulator), else the one line saying what is missing and how to install it."""
    from tinystudio.targets import toolchain
    from tinystudio.targets.host import HostTarget

    target = board_spec(name).target()
    try:
        if isinstance(target, HostTarget):  # a native process: only the host's C compiler
            toolchain.find_host_compiler()
        else:
            toolchain.find_qemu()
            toolchain.find_cross_compiler()
    except UserError as exc:
        return str(exc)
    return None


def board_clock(name: str) -> int | None:
    """The processor clock of a board (Hz), None when unknown or when its counter is not a clock."""
    try:
        return board_spec(name).clock_hz
    except UserError:
        return None
