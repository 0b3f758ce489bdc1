"""The boards a user can deploy to, as the GUI's board list and the CLI's ``--target`` choices show them
(both read the target registry through here, so the two lists cannot differ)."""

from __future__ import annotations

from dataclasses import dataclass

from tinystudio.targets.registry import BOARDS, DEFAULT_BOARD, board_names

__all__ = ["DEFAULT_BOARD", "BoardChoice", "board_choices", "target_names"]


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
