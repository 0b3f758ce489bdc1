"""Building the runner firmware for a Cortex-M board: the runtime, the board's folder, the shared Cortex-M
startup and SysTick counter (firmware/boards/cortex-m), the shared peripheral drivers the board names
(firmware/drivers) and the generated model, compiled for the board's core with the flags its registry
entry gives and linked against a script whose FLASH/RAM origins and lengths are the board's memory and
budget. How an image reaches the board (an emulator, a probe) is the subclass's ``launch``.
"""

from __future__ import annotations

import os
from fractions import Fraction
from pathlib import Path

from tinystudio.core.dsp import DspBlock
from tinystudio.core.errors import UserError
from tinystudio.core.progress import CancelToken, Progress
from tinystudio.device.runner_protocol import CounterKind
from tinystudio.targets.base import Artifact, MemoryBudget, Target
from tinystudio.targets.build import (
    Unit,
    build_key,
    compile_units,
    firmware_root,
    firmware_units,
    link_failure_message,
    write_dsp_unit,
)
from tinystudio.targets.elf_size import read_footprint
from tinystudio.targets.registry import BoardSpec, CortexMFirmware
from tinystudio.targets.toolchain import CrossCompiler, find_cross_compiler, run_tool

NS_PER_EMULATED_INSTRUCTION = 1  # QEMU -icount shift=0


def counter_defines(spec: BoardSpec) -> list[str]:
    """The SysTick-to-counter conversion of tsr_systick.c: counter units per tick (a reduced fraction)
    and per microsecond, for the unit the board's counter kind names."""
    assert spec.clock_hz is not None, "a Cortex-M board has a processor clock"
    if spec.counter_kind is CounterKind.INSTRUCTIONS:  # one tick is 10^9 / clock ns, one instruction 1 ns
        per_tick = Fraction(10**9, spec.clock_hz * NS_PER_EMULATED_INSTRUCTION)
        per_us = 1000 // NS_PER_EMULATED_INSTRUCTION
    else:
        per_tick, per_us = Fraction(1), spec.clock_hz // 1_000_000
    return [
        f"-DTSR_CLOCK_HZ={spec.clock_hz}u",
        f"-DTSR_COUNTER_PER_TICK_NUM={per_tick.numerator}u",
        f"-DTSR_COUNTER_PER_TICK_DEN={per_tick.denominator}u",
        f"-DTSR_COUNTER_PER_US={per_us}u",
    ]


class CortexMTarget(Target):
    """A Cortex-M board whose firmware is built from its registry entry's ``CortexMFirmware``."""

    def __init__(self, spec: BoardSpec, budget: MemoryBudget | None = None,
                 extra_flags: tuple[str, ...] = ()) -> None:
        super().__init__(spec, budget)
        if spec.firmware is None:
            raise ValueError(f"board {spec.name} has no Cortex-M firmware description")
        self.firmware: CortexMFirmware = spec.firmware
        self.extra_flags = extra_flags  # more compiler flags, e.g. a kernel switch for a comparison build

    def board_dir(self) -> Path:
        return firmware_root() / "boards" / self.firmware.board_dir

    def shared_sources(self) -> list[Path]:
        """The shared Cortex-M files and the drivers this board uses."""
        root = firmware_root()
        common = [root / "boards" / "cortex-m" / f"{name}.c" for name in self.firmware.common]
        return [*common, *(root / "drivers" / f"{name}.c" for name in self.firmware.drivers)]

    def generated_units(self, compiler: CrossCompiler, out_dir: Path, cancel: CancelToken | None) -> list[Unit]:
        """C files a board makes at build time into ``out_dir`` (the RP2040's boot2), compiled with the rest."""
        return []

    def build(
        self,
        model_dir: Path,
        cache_dir: Path,
        progress: Progress | None = None,
        cancel: CancelToken | None = None,
        dsp: DspBlock | None = None,
    ) -> Artifact:
        root = firmware_root()
        model_dir, units, dsp_cfg = firmware_units(model_dir, self.board_dir(), dsp, self.shared_sources())
        compiler = find_cross_compiler()
        cpu = compiler.cpu_flags(self.firmware.cpu_flags, self.firmware.zig_cpu_flags)
        libc: list[str] = []
        if compiler.kind == "zig":  # no libc: freestanding headers, roundf and log10f of our own
            units.append(Unit(root / "freestanding" / "tsr_libm.c", True))
            libc = [f"-I{root / 'freestanding'}"]
        budget = self.budget
        assert budget is not None, "a Cortex-M board links against a memory budget"
        flags = [
            "-std=c99",
            "-O2",
            "-ffp-contract=off",
            *cpu,
            *compiler.compile_flags(),
            "-ffunction-sections",
            "-fdata-sections",
            "-Wall",
            "-Wextra",
            f"-I{root / 'runtime'}",
            f"-I{root / 'boards' / 'cortex-m'}",
            f"-I{root / 'drivers'}",
            f"-I{model_dir}",
            *libc,
            f"-DTSR_FLASH_BUDGET={budget.flash_bytes}u",
            f"-DTSR_RAM_BUDGET={budget.ram_bytes}u",
            *counter_defines(self.spec),
            *(dsp_cfg.defines() if dsp_cfg else []),
            *self.extra_flags,
        ]
        key = build_key(units, compiler, flags, budget, self.firmware, dsp_cfg.source if dsp_cfg else "")
        out_dir = Path(cache_dir) / f"{self.name}-{key}"
        elf = out_dir / "firmware.elf"
        if not elf.is_file():
            units = [*units, *write_dsp_unit(dsp_cfg, out_dir), *self.generated_units(compiler, out_dir, cancel)]
            objects = compile_units(compiler.command, units, flags, out_dir / "obj", progress, cancel)
            script = (root / "boards" / "cortex-m" / "linker.ld.in").read_text()
            for name, value in (
                ("FLASH_ORIGIN", f"0x{self.firmware.flash_origin:08X}"),
                ("RAM_ORIGIN", f"0x{self.firmware.ram_origin:08X}"),
                ("FLASH_BYTES", budget.flash_bytes),
                ("RAM_BYTES", budget.ram_bytes),
                ("MIN_STACK_BYTES", budget.min_stack_bytes),
            ):
                script = script.replace(f"@{name}@", str(value))
            (out_dir / "linker.ld").write_text(script)
            if progress is not None:
                progress(0.95, "linking")
            tmp = out_dir / "firmware.elf.tmp"
            args = [
                *compiler.command,
                *cpu,
                *compiler.link_flags(),
                "-T",
                str(out_dir / "linker.ld"),
                *compiler.map_flags(out_dir / "firmware.map"),
                *(str(o) for o in objects),
                *compiler.link_libs(),
                "-o",
                str(tmp),
            ]
            result = run_tool(args, out_dir, cancel)
            if result.returncode != 0:
                raise UserError(link_failure_message(result.output, budget.flash_bytes, budget.ram_bytes))
            os.replace(tmp, elf)
        footprint = read_footprint(elf)
        if progress is not None:
            progress(1.0, f"built {elf.name}: {footprint.flash} B flash, {footprint.static_ram} B static RAM")
        return Artifact(
            target=self.name,
            path=elf,
            build_dir=out_dir,
            model_dir=model_dir,
            flash_bytes=footprint.flash,
            static_ram_bytes=footprint.static_ram,
            sections=footprint.sections,
        )
