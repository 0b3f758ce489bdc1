"""Finding the compilers and emulator a target needs, and running them cancellably.

A missing tool is a UserError naming the exact install command, never a traceback.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from tinystudio.core import children
from tinystudio.core.errors import Cancelled, UserError
from tinystudio.core.progress import CancelToken

APT_ARM = "sudo apt-get install gcc-arm-none-eabi libnewlib-arm-none-eabi"
APT_QEMU = "sudo apt-get install qemu-system-arm"
APT_CC = "sudo apt-get install gcc"
M4F_FLAGS = ("-mcpu=cortex-m4", "-mthumb", "-mfloat-abi=hard", "-mfpu=fpv4-sp-d16")
M4F_ZIG_FLAGS = ("thumb-freestanding-eabihf", "cortex_m4+vfp4d16sp")


@dataclass(frozen=True)
class CrossCompiler:
    """A Cortex-M C compiler driver: arm-none-eabi-gcc (preferred) or zig cc."""

    kind: str  # "gcc" or "zig"
    command: tuple[str, ...]

    def cpu_flags(self, gcc: Sequence[str] = M4F_FLAGS, zig: Sequence[str] = M4F_ZIG_FLAGS) -> list[str]:
        """The core's flags in this compiler's spelling (a board gives both; the default is a Cortex-M4F)."""
        if self.kind == "gcc":
            return list(gcc)
        target, cpu = zig
        return ["-target", target, f"-mcpu={cpu}"]

    def compile_flags(self) -> list[str]:
        """Code-generation flags beyond the CPU: zig has no libc, so errno-free math lets sqrtf be VSQRT,
        and like gcc -O2 it then keeps no frame pointer."""
        return [] if self.kind == "gcc" else ["-fno-math-errno", "-fomit-frame-pointer"]

    def link_flags(self) -> list[str]:
        if self.kind == "gcc":
            return ["-nostartfiles", "--specs=nano.specs", "-Wl,--gc-sections"]
        return ["-Wl,--gc-sections", "-Wl,-e,Reset_Handler"]

    def map_flags(self, path: Path) -> list[str]:
        """Ask the linker for a map file (zig's linker driver does not take -Map)."""
        return [f"-Wl,-Map={path}"] if self.kind == "gcc" else []

    def link_libs(self) -> list[str]:
        return ["-lc", "-lm", "-lgcc"] if self.kind == "gcc" else []


def find_cross_compiler() -> CrossCompiler:
    """arm-none-eabi-gcc on PATH, else the ziglang package's zig cc; TINYSTUDIO_ARM_CC=gcc|zig insists."""
    wanted = os.environ.get("TINYSTUDIO_ARM_CC", "").strip().lower()
    if wanted not in ("", "gcc", "zig"):
        raise UserError(f"TINYSTUDIO_ARM_CC must be 'gcc' or 'zig', not {wanted!r}")
    gcc = shutil.which("arm-none-eabi-gcc")
    if gcc and wanted != "zig":
        return CrossCompiler("gcc", (gcc,))
    if importlib.util.find_spec("ziglang") is not None and wanted != "gcc":
        return CrossCompiler("zig", (sys.executable, "-m", "ziglang", "cc"))
    if wanted == "zig":
        raise UserError("the zig compiler is not installed: install it with `pip install ziglang==0.17.1`")
    raise UserError(f"no ARM compiler found (arm-none-eabi-gcc): install it with `{APT_ARM}`")


def find_qemu() -> str:
    qemu = shutil.which("qemu-system-arm")
    if not qemu:
        raise UserError(f"QEMU is missing (qemu-system-arm): install it with `{APT_QEMU}`")
    return qemu


def find_host_compiler() -> str:
    for name in ("cc", "gcc", "clang"):
        found = shutil.which(name)
        if found:
            return found
    raise UserError(f"no C compiler found (cc): install it with `{APT_CC}`")


@dataclass(frozen=True)
class ToolResult:
    returncode: int
    output: str


def run_tool(args: list[str], cwd: Path, cancel: CancelToken | None = None) -> ToolResult:
    """Run a build tool, polling the cancel token; stdout and stderr are merged."""
    try:
        proc = children.spawn(
            args, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, errors="replace"
        )
    except OSError as exc:
        raise UserError(f"cannot run {args[0]}: {exc.strerror}") from exc
    try:
        while True:
            try:
                output, _ = proc.communicate(timeout=0.1)
                return ToolResult(proc.returncode, output)
            except subprocess.TimeoutExpired:
                if cancel is not None and cancel.cancelled:
                    raise Cancelled("build cancelled") from None
                time.sleep(0)
    finally:
        children.stop(proc, grace=0.5)  # the whole group: the driver's cc1 and as too
