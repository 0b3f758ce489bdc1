"""Boards you can build for and flash, listed in ``registry.BOARDS``; one module per way of building
and flashing (qemu.py, host.py).

``get_target(name)`` returns a Target; ``TARGET_NAMES`` lists the names ``--target`` accepts.
"""

from __future__ import annotations

from tinystudio.targets.base import Artifact, BoardLink, MemoryBudget, Target
from tinystudio.targets.registry import BOARDS, DEFAULT_BOARD, BoardSpec, board_names, board_spec, get_target

TARGET_NAMES = board_names()

__all__ = [
    "Artifact", "BOARDS", "BoardLink", "BoardSpec", "DEFAULT_BOARD", "MemoryBudget", "Target", "TARGET_NAMES",
    "board_spec", "get_target",
]
