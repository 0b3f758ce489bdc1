"""Boards you can build for and flash: one module per way of building and flashing.

``get_target(name)`` returns a Target; ``TARGET_NAMES`` lists them.
"""

from __future__ import annotations

from tinystudio.core.errors import UserError
from tinystudio.targets.base import Artifact, BoardLink, MemoryBudget, Target

TARGET_NAMES = ("mps2-an386", "host")


def get_target(name: str, budget: MemoryBudget | None = None) -> Target:
    """A target by name; ``budget`` overrides the default memory budget where the board has one."""
    if name in ("mps2-an386", "qemu"):
        from tinystudio.targets.qemu import DEFAULT_BUDGET, QemuMps2Target

        return QemuMps2Target(budget or DEFAULT_BUDGET)
    if name == "host":
        from tinystudio.targets.host import HostTarget

        return HostTarget()
    raise UserError(f"unknown target {name!r}; choose one of: {', '.join(TARGET_NAMES)}")


__all__ = ["Artifact", "BoardLink", "MemoryBudget", "Target", "TARGET_NAMES", "get_target"]
