"""The host target: the runner firmware compiled natively with cc, serving the protocol on a
pseudo-terminal. Fast and toolchain-light, for tests; its counter is wall-clock microseconds.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import Any

import serial

from tinystudio.core.dsp import DspBlock
from tinystudio.core.errors import UserError
from tinystudio.core.progress import CancelToken, Progress
from tinystudio.targets.base import Artifact, BoardLink, MemoryBudget, Target
from tinystudio.targets.build import (
    build_key,
    compile_units,
    firmware_root,
    firmware_units,
    first_error,
    write_dsp_unit,
)
from tinystudio.targets.launch import BoardDidNotConnect, launch_process
from tinystudio.targets.registry import BoardSpec
from tinystudio.targets.toolchain import find_host_compiler, run_tool

PTY_ANNOUNCE = b"TSR_PTY "


class HostTarget(Target):
    """A native process on a pseudo-terminal speaking the runner protocol."""

    def __init__(self, spec: BoardSpec, budget: MemoryBudget | None = None,
                 extra_flags: tuple[str, ...] = ()) -> None:
        super().__init__(spec, budget)
        self.extra_flags = extra_flags  # more compiler flags, e.g. the data-collection firmware's

    def build(
        self,
        model_dir: Path,
        cache_dir: Path,
        progress: Progress | None = None,
        cancel: CancelToken | None = None,
        dsp: DspBlock | None = None,
    ) -> Artifact:
        root = firmware_root()
        model_dir, units, dsp_cfg = firmware_units(model_dir, root / "boards" / "host", dsp)
        compiler = find_host_compiler()
        flags = ["-std=c99", "-O2", "-ffp-contract=off", "-Wall", "-Wextra", f"-I{root / 'runtime'}", f"-I{model_dir}",
                 "-DTSR_LINK_FLOW_CONTROL=1"]  # the pseudo-terminal holds what the host sends ahead
        flags += dsp_cfg.defines() if dsp_cfg else []
        flags += self.extra_flags
        key = build_key(units, compiler, flags, dsp_cfg.source if dsp_cfg else "")
        out_dir = Path(cache_dir) / f"{self.name}-{key}"
        exe = out_dir / "host_board"
        if not exe.is_file():
            units = [*units, *write_dsp_unit(dsp_cfg, out_dir)]
            objects = compile_units([compiler], units, flags, out_dir / "obj", progress, cancel)
            if progress is not None:
                progress(0.95, "linking")
            tmp = out_dir / "host_board.tmp"
            link = [compiler, *(str(o) for o in objects), "-o", str(tmp), "-lpthread", "-lm"]
            result = run_tool(link, out_dir, cancel)
            if result.returncode != 0:
                raise UserError(f"linking the host board failed: {first_error(result.output)}")
            os.replace(tmp, exe)
        if progress is not None:
            progress(1.0, f"built {exe.name}")
        return Artifact(target=self.name, path=exe, build_dir=out_dir, model_dir=model_dir)

    def launch(self, artifact: Artifact, *, timeout: float = 10.0, progress: Progress | None = None,
               sensor_tape: Path | None = None) -> BoardLink:
        """Start the board process (``sensor_tape``: a file of recordings its simulated sensor plays)."""
        line = bytearray()

        def connect(proc: subprocess.Popen[bytes]) -> Any:
            """Read the board's first line (the pty path it serves), then open that terminal."""
            assert proc.stdout is not None
            os.set_blocking(proc.stdout.fileno(), False)
            chunk = proc.stdout.read(256)
            if chunk:
                line.extend(chunk)
            if b"\n" not in line:
                return None
            first = bytes(line).split(b"\n")[0]
            if not first.startswith(PTY_ANNOUNCE):
                raise UserError("the host board did not announce its pseudo-terminal")
            path = first[len(PTY_ANNOUNCE):].decode()
            try:
                return serial.Serial(path, timeout=0.05)
            except serial.SerialException as exc:
                raise UserError(f"cannot open the host board's terminal {path}: {exc}") from exc

        try:
            args = ["--sensor-tape", str(sensor_tape)] if sensor_tape is not None else []
            return launch_process([str(artifact.path), *args], connect, failure="cannot start the host board",
                                  timeout=timeout, log_path=artifact.build_dir / "host_board.log", stdout_pipe=True)
        except BoardDidNotConnect:
            raise UserError("the host board did not announce its pseudo-terminal") from None
