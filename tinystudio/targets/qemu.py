"""The QEMU targets: QEMU's Cortex-M machines (mps2-an386 and one per core class, see registry.py), built by
CortexMTarget for the board's core and budget, launched with a TCP serial link on the board's first UART.

Counts are emulated instructions: QEMU runs with ``-icount shift=0,align=off,sleep=off`` so they are
identical run after run, but they are not real Cortex-M cycles.
"""

from __future__ import annotations

import socket
import subprocess
from typing import Any

import serial

from tinystudio.core.errors import UserError
from tinystudio.core.progress import Progress
from tinystudio.targets.base import Artifact, BoardLink
from tinystudio.targets.cortexm import CortexMTarget
from tinystudio.targets.launch import BoardDidNotConnect, launch_process
from tinystudio.targets.toolchain import find_qemu

ICOUNT = "shift=0,align=off,sleep=off"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class QemuTarget(CortexMTarget):
    """A Cortex-M machine under qemu-system-arm (the machine is the board's name): available on any computer."""

    def command(self, artifact: Artifact, port: int) -> list[str]:
        """The qemu-system-arm command line serving the UART on a local TCP port."""
        return [
            find_qemu(),
            "-M",
            self.name,
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

    def launch(self, artifact: Artifact, *, timeout: float = 10.0, progress: Progress | None = None) -> BoardLink:
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
