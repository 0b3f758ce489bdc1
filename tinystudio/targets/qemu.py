"""The QEMU targets: QEMU's Cortex-M machines (mps2-an386 and one per core class, see registry.py), built by
CortexMTarget for the board's core and budget, launched with a TCP serial link on the board's first UART.

Counts are emulated instructions: QEMU runs with ``-icount shift=0,align=off,sleep=off`` so they are
identical run after run, but they are not real Cortex-M cycles.
"""

from __future__ import annotations

import socket
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING, Any

import serial

from tinystudio.core.errors import UserError
from tinystudio.core.progress import Progress
from tinystudio.device.runner_protocol import SampleFormat, bulk_blob
from tinystudio.targets.base import Artifact, BoardLink, MemoryBudget
from tinystudio.targets.board_files import board_file
from tinystudio.targets.cortexm import CortexMTarget
from tinystudio.targets.elf_size import read_symbol
from tinystudio.targets.launch import BoardDidNotConnect, launch_process
from tinystudio.targets.toolchain import find_qemu

if TYPE_CHECKING:
    from tinystudio.targets.registry import BoardSpec

BULK_HEADER_BYTES = 16
ICOUNT = "shift=0,align=off,sleep=off"
FLASH_FREE_SYMBOL = "__tsr_flash_free"  # linker.ld.in: the flash after the image

def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class QemuTarget(CortexMTarget):
    """A Cortex-M machine under qemu-system-arm (the machine is the board's name): available on any computer."""

    def __init__(self, spec: BoardSpec, budget: MemoryBudget | None = None,
                 extra_flags: tuple[str, ...] = ()) -> None:
        bulk = spec.bulk_memory
        # QEMU's serial socket holds what the host sends while the board computes: requests may go ahead.
        defines = ("-DTSR_LINK_FLOW_CONTROL=1", *((f"-DTSR_BULK_ADDR=0x{bulk[0]:08X}u",) if bulk else
                                                 ("-DTSR_BULK_IN_FLASH=1",)))
        super().__init__(spec, budget, (*extra_flags, *(d for d in defines if d not in extra_flags)))

    def bulk_region(self, artifact: Artifact | None = None) -> tuple[int, int] | None:
        """Where the launcher places a test set or tape, and its bytes: the registry's ``bulk_memory``, else
        the flash after ``artifact``'s image (a board without spare RAM); None when there is none."""
        if self.spec.bulk_memory is not None:
            return self.spec.bulk_memory
        if artifact is None or self.budget is None:
            return None
        start = read_symbol(artifact.path, FLASH_FREE_SYMBOL)
        end = self.firmware.flash_origin + self.budget.flash_bytes
        return (start, end - start) if start is not None and start < end else None

    def bulk_capacity(self, artifact: Artifact | None = None) -> int:
        """Bytes of test set the machine can hold in memory at launch (0: windows are streamed); a board that
        keeps it in flash after the image needs the built ``artifact`` to say."""
        region = self.bulk_region(artifact)
        return max(0, region[1] - BULK_HEADER_BYTES) if region else 0

    def command(self, artifact: Artifact, port: int, bulk: Path | None = None) -> list[str]:
        """The qemu-system-arm command line serving the UART on a local TCP port (``bulk``: a test set
        file placed in the machine's memory, see ``bulk_region``)."""
        region = self.bulk_region(artifact)
        loader = ["-device", f"loader,file={bulk},addr=0x{region[0]:08X}"] if bulk and region else []
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
            *loader,
        ]

    def launch(self, artifact: Artifact, *, timeout: float = 10.0, progress: Progress | None = None,
               bulk: list[bytes] | None = None, bulk_format: SampleFormat = SampleFormat.RAW,
               memory: bytes | None = None) -> BoardLink:
        """Start the machine; ``bulk`` (test windows in ``bulk_format``, at most ``bulk_capacity`` bytes) is
        placed in its memory so the host asks for windows by index (the link's ``bulk_windows`` says how many);
        ``memory``: other bytes placed there as they are instead (a tape for the simulated sensor)."""
        if not bulk and memory is None:
            return self._launch(artifact, timeout, None)
        blob = memory if memory is not None else bulk_blob(bulk or [], bulk_format)
        if len(blob) - BULK_HEADER_BYTES > self.bulk_capacity(artifact):  # the caller checks: a programming error
            raise ValueError(f"{len(blob)} bytes of test set do not fit {self.name}'s memory")
        name = board_file(artifact.build_dir, "testset", blob)
        try:
            link = self._launch(artifact, timeout, name)
        except BaseException:
            name.unlink(missing_ok=True)
            raise
        link.temp_files.append(name)  # QEMU loads it only once the serial link is open
        link.bulk_windows = len(bulk or [])
        return link

    def _launch(self, artifact: Artifact, timeout: float, bulk: Path | None) -> BoardLink:
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
                return launch_process(self.command(artifact, port, bulk), connect, failure=failure,
                                      timeout=timeout, log_path=log_path)
            except BoardDidNotConnect:
                break
            except UserError as exc:
                last = exc
        else:
            raise last
        raise UserError(f"{failure}: it did not open its serial port within {timeout:g} s")
