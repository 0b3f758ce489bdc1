"""The check every image passes before it is flashed to a real board: flash, RAM and the reserved stack,
read from the ELF file, against the board's memory budget, with one line naming what overflows."""

from __future__ import annotations

from pathlib import Path

from tinystudio.core.errors import UserError
from tinystudio.targets.base import MemoryBudget
from tinystudio.targets.elf_size import ElfFootprint, read_footprint


def overflows(footprint: ElfFootprint, budget: MemoryBudget) -> list[str]:
    """What does not fit, one phrase each (empty when the image fits)."""
    problems = []
    if footprint.flash > budget.flash_bytes:
        problems.append(f"flash needs {footprint.flash} B of {budget.flash_bytes} B "
                        f"(over by {footprint.flash - budget.flash_bytes} B)")
    ram = footprint.static_ram + footprint.reserved_stack
    if ram > budget.ram_bytes:
        problems.append(f"RAM needs {ram} B ({footprint.static_ram} B static + {footprint.reserved_stack} B stack) "
                        f"of {budget.ram_bytes} B (over by {ram - budget.ram_bytes} B)")
    if footprint.reserved_stack < budget.min_stack_bytes:
        problems.append(f"the stack has {footprint.reserved_stack} B reserved, "
                        f"the board needs at least {budget.min_stack_bytes} B")
    return problems


def check_fits(elf: Path, budget: MemoryBudget, board: str) -> ElfFootprint:
    """The image's footprint, or a UserError naming every part that overflows ``board``'s budget."""
    footprint = read_footprint(elf)
    problems = overflows(footprint, budget)
    if problems:
        raise UserError(f"the image does not fit the {board}: " + "; ".join(problems))
    return footprint
