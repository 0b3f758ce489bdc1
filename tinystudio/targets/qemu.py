"""The QEMU target: Cortex-M4F on the emulated mps2-an386 board, built with arm-none-eabi-gcc (or zig cc)
against a linker script whose FLASH/RAM lengths are the target's budget, launched with a TCP serial link.

Counts are emulated instructions: QEMU runs with ``-icount shift=0,align=off,sleep=off`` so they are
identical run after run, but they are not real Cortex-M cycles.
"""

from __future__ import annotations

import os
import socket
import subprocess
from pathlib import Path
from typing import Any

import serial

from tinystudio.core.dsp import DspBlock
from tinystudio.core.errors import UserError
from tinystudio.core.progress import CancelToken, Progress
from tinystudio.targets.base import Artifact, BoardLink, Target
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
from tinystudio.targets.launch import BoardDidNotConnect, launch_process
from tinystudio.targets.toolchain import find_cross_compiler, find_qemu, run_tool

ICOUNT = "shift=0,align=off,sleep=off"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class QemuMps2Target(Target):
    """mps2-an386 under qemu-system-arm: the default bench board, available on any machine."""

    def board_dir(self) -> Path:
        return firmware_root() / "boards" / "mps2-an386"

    def build(
        self,
        model_dir: Path,
        cache_dir: Path,
        progress: Progress | None = None,
        cancel: CancelToken | None = None,
        dsp: DspBlock | None = None,
    ) -> Artifact:
        root = firmware_root()
        board = self.board_dir()
        model_dir, units, dsp_cfg = firmware_units(model_dir, board, dsp)
        compiler = find_cross_compiler()
        libc: list[str] = []
        if compiler.kind == "zig":  # no libc: the board's freestanding headers, roundf and log10f
            units.append(Unit(board / "freestanding" / "tsr_libm.c", True))
            libc = [f"-I{board / 'freestanding'}"]
        budget = self.budget
        assert budget is not None, "the QEMU board links against a memory budget"
        flags = [
            "-std=c99",
            "-O2",
            "-ffp-contract=off",
            *compiler.cpu_flags(),
            *compiler.compile_flags(),
            "-ffunction-sections",
            "-fdata-sections",
            "-Wall",
            "-Wextra",
            f"-I{root / 'runtime'}",
            f"-I{model_dir}",
            *libc,
            f"-DTSR_FLASH_BUDGET={budget.flash_bytes}u",
            f"-DTSR_RAM_BUDGET={budget.ram_bytes}u",
            *(dsp_cfg.defines() if dsp_cfg else []),
        ]
        key = build_key(units, compiler, flags, budget, dsp_cfg.source if dsp_cfg else "")
        out_dir = Path(cache_dir) / f"{self.name}-{key}"
        elf = out_dir / "firmware.elf"
        if not elf.is_file():
            units = [*units, *write_dsp_unit(dsp_cfg, out_dir)]
            objects = compile_units(compiler.command, units, flags, out_dir / "obj", progress, cancel)
            script = (board / "linker.ld.in").read_text()
            for name, value in (
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
                *compiler.cpu_flags(),
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

    def command(self, artifact: Artifact, port: int) -> list[str]:
        """The qemu-system-arm command line serving the UART on a local TCP port."""
        return [
            find_qemu(),
            "-M",
            "mps2-an386",
            "-display",
            "none",
            "-monitor",
            "none",
            "-semihosting-config",
            "enable=on,target=native",
            "-icount",
            ICOUNT,
            "-kernel",
            str(artifact.path),
            "-serial",
            f"tcp:127.0.0.1:{port},server=on,wait=on,nodelay=on",
        ]

    def launch(self, artifact: Artifact, *, timeout: float = 10.0) -> BoardLink:
        log_path = artifact.build_dir / "qemu.log"
        failure = "QEMU did not start the board"
        for _attempt in range(3):  # a port taken between choosing and binding: try another
            port = _free_port()

            def connect(proc: subprocess.Popen[bytes], port: int = port) -> Any:
                try:
                    return serial.serial_for_url(f"socket://127.0.0.1:{port}", timeout=0.05)
                except serial.SerialException:
                    return None

            try:
                return launch_process(self.command(artifact, port), connect, failure=failure,
                                      timeout=timeout, log_path=log_path)
            except BoardDidNotConnect:
                break
            except UserError as exc:
                last = exc
        else:
            raise last
        raise UserError(f"{failure}: it did not open its serial port within {timeout:g} s")
