"""The data-collection firmware of every board in the registry: the runner without a model
(firmware/collector) whose tsr_collector.c streams the board's sensor from boot as Serial Plotter lines
with the board's own microsecond clock, at a rate chosen when it is built.

An emulated board runs it under QEMU in real time (no -icount, so its clock and the host's agree) with its
UART on a pseudo-terminal the capture opens like any serial port; the host board runs it natively on a
pseudo-terminal; a bench board gets it through its probe (the Target's flash step) and is read on its
serial port. The result is a ``CollectorBoard``: the port to capture from, and the process to stop.
"""

from __future__ import annotations

import os
import re
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from tinystudio.core import children
from tinystudio.core.errors import UserError
from tinystudio.core.limits import MAX_SIM_RATE_HZ, sample_rate
from tinystudio.core.progress import CancelToken, Progress, no_progress
from tinystudio.targets.base import Artifact, Target
from tinystudio.targets.build import firmware_root
from tinystudio.targets.registry import BoardSpec
from tinystudio.targets.toolchain import find_qemu

DEFAULT_RATE_HZ = 50.0
SIMULATED_AXES = ("accX", "accY", "accZ")  # tsr_sim_sensor.c: three slow waves, the third around 9.81
SENSOR_AXES = {"b-l475e-iot01a": ("accX", "accY", "accZ", "gyrX", "gyrY", "gyrZ")}  # its LSM6DSL
_PTY_LINE = re.compile(rb"char device redirected to (/dev/\S+)")
# The board outlives the job that starts it (the Device page starts it in a worker thread), and Linux kills
# a child when the thread that spawned it ends: spawn from one thread that lives as long as TinyStudio.
_SPAWNER = ThreadPoolExecutor(max_workers=1, thread_name_prefix="collector-spawner")


def _spawn_lasting(args: list[str]) -> subprocess.Popen[bytes]:
    return _SPAWNER.submit(children.spawn, args, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT).result()


@dataclass
class CollectorBoard:
    """A board running the data-collection firmware: capture from ``port``; ``close()`` stops the emulator
    or the host process (a flashed board keeps streaming)."""

    board: str
    title: str
    port: str
    rate_hz: float
    axes: tuple[str, ...]
    process: subprocess.Popen[bytes] | None = None

    def alive(self) -> bool:
        return self.process is None or self.process.poll() is None

    def close(self) -> None:
        if self.process is not None:
            children.stop(self.process, grace=0.5)
            self.process = None


def sensor_axes(spec: BoardSpec) -> tuple[str, ...]:
    """The names of the axes the board's tsr_hal_sensor_read gives, in its order."""
    return SENSOR_AXES.get(spec.name, SIMULATED_AXES)


def collector_flags(rate_hz: float, axes: tuple[str, ...]) -> tuple[str, ...]:
    """Compiler flags turning the runner into the data-collection firmware."""
    interval = max(1, round(1e6 / rate_hz))
    return (f"-DTSR_COLLECT_INTERVAL_US={interval}u", f'-DTSR_COLLECT_AXES="{",".join(axes)}"')


def collector_target(target: Target, rate_hz: float) -> Target:
    """The same board with the collector's flags (every Cortex-M target takes extra flags)."""
    from tinystudio.targets.cortexm import CortexMTarget

    flags = collector_flags(rate_hz, sensor_axes(target.spec))
    if isinstance(target, CortexMTarget):
        made = type(target)(target.spec, target.budget, extra_flags=flags)
        made.connection = target.connection
        return made
    from tinystudio.targets.host import HostTarget

    if isinstance(target, HostTarget):
        return HostTarget(target.spec, target.budget, extra_flags=flags)
    raise UserError(f"the {target.title} has no data-collection firmware")


def build_collector(target: Target, cache_dir: Path, rate_hz: float, progress: Progress | None = None,
                    cancel: CancelToken | None = None) -> tuple[Target, Artifact]:
    """Build the data-collection firmware for ``target`` at ``rate_hz``."""
    made = collector_target(target, rate_hz)
    artifact = made.build(firmware_root() / "collector", cache_dir, progress, cancel)
    return made, artifact


def qemu_command(target: Target, artifact: Artifact) -> list[str]:
    """QEMU in real time (its virtual clock follows the host's) with the board's UART on a new pty."""
    return [find_qemu(), "-M", target.name, "-display", "none", "-monitor", "none",
            "-semihosting-config", "enable=on,target=native", "-kernel", str(artifact.path), "-serial", "pty"]


def _announced(proc: subprocess.Popen[bytes], pattern: re.Pattern[bytes], what: str, timeout: float,
               cancel: CancelToken | None) -> str:
    """The device path a starting process prints (QEMU: 'char device redirected to ...')."""
    assert proc.stdout is not None
    os.set_blocking(proc.stdout.fileno(), False)
    seen = b""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if cancel is not None and cancel.cancelled:
            break
        chunk = proc.stdout.read(4096)
        if chunk:
            seen += chunk
            match = pattern.search(seen)
            if match:
                return match.group(1).decode()
        elif proc.poll() is not None:
            tail = seen.decode(errors="replace").strip().splitlines()[-1:]
            children.stop(proc, grace=0.5)
            raise UserError(f"{what} stopped at once: {tail[0] if tail else 'no output'}")
        time.sleep(0.02)
    children.stop(proc, grace=0.5)
    if cancel is not None:
        cancel.raise_if_cancelled()
    raise UserError(f"{what} did not open its serial port within {timeout:g} s")


def start_collector(target: Target, artifact: Artifact, rate_hz: float, *, port: str | None = None,
                    timeout: float = 10.0, progress: Progress = no_progress,
                    cancel: CancelToken | None = None) -> CollectorBoard:
    """Put the built data-collection firmware on the board and say where its stream is."""
    from tinystudio.targets.host import PTY_ANNOUNCE, HostTarget

    spec = target.spec
    axes = sensor_axes(spec)
    if spec.emulated:
        proc = _spawn_lasting(qemu_command(target, artifact))
        path = _announced(proc, _PTY_LINE, "QEMU", timeout, cancel)
        return CollectorBoard(spec.name, spec.title, path, rate_hz, axes, proc)
    if isinstance(target, HostTarget):
        proc = _spawn_lasting([str(artifact.path)])
        path = _announced(proc, re.compile(re.escape(PTY_ANNOUNCE) + rb"(\S+)"), "the host board", timeout, cancel)
        return CollectorBoard(spec.name, spec.title, path, rate_hz, axes, proc)
    flash = getattr(target, "flash", None)
    find_port = getattr(target, "find_port", None)
    if flash is None or find_port is None:
        raise UserError(f"flashing the {spec.title} needs a flash step TinyStudio does not have for it yet")
    if target.budget is not None:
        from tinystudio.targets.fit import check_fits

        check_fits(artifact.path, target.budget, spec.title)
    if port:
        from dataclasses import replace

        target.connection = replace(target.connection, port=port)
    probe = flash(artifact, progress, cancel)
    return CollectorBoard(spec.name, spec.title, str(find_port(probe)), rate_hz, axes, None)


def check_rate(rate_hz: float) -> float:
    return sample_rate("the data-collection rate (Hz)", rate_hz, MAX_SIM_RATE_HZ)


# The arduino-cli boards (targets/arduino.py) and the sketch each gets (core/export/arduino.py).
ARDUINO_SKETCHES = {"nano33ble": "nano33ble", "nano33ble-rev2": "nano33ble_rev2",
                    "nanorp2040connect": "nanorp2040", "esp32": "esp32"}
SKETCH_NAME = "tinystudio_collect"


def is_arduino(board: str) -> bool:
    return board in ARDUINO_SKETCHES


def flash_arduino_collector(board: str, port: str | None, rate_hz: float, cache_dir: Path,
                            progress: Progress = no_progress) -> CollectorBoard:
    """Compile the board's data-collection sketch with arduino-cli and upload it (esptool for an ESP32)."""
    from tinystudio.core.export.arduino import IMU_AXES, MAG_AXES, collector_sketch, sketch_board
    from tinystudio.device.ports import list_boards
    from tinystudio.targets.arduino import arduino_board, compile_sketch, upload_sketch
    from tinystudio.targets.bench import usb_matches

    spec = arduino_board(board)
    key = ARDUINO_SKETCHES[board]
    folder = cache_dir / f"arduino-{board}-{rate_hz:g}" / SKETCH_NAME
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{SKETCH_NAME}.ino").write_text(collector_sketch(key, rate_hz), encoding="utf-8")
    progress(0.05, f"compiling the data-collection sketch for the {spec.title} with arduino-cli")
    out = compile_sketch(spec, folder, folder.parent / "build", lambda f, m: progress(0.05 + 0.6 * f, m))
    if not port:
        found = [p.device for p in list_boards() if usb_matches(p.vid, p.pid, spec.usb)]
        if not found:
            raise UserError(f"no serial port of the {spec.title} found: plug it in, or name its port with --port")
        if len(found) > 1:
            raise UserError(f"several serial ports could be the {spec.title} ({', '.join(found)}): name one")
        port = found[0]
    progress(0.7, f"uploading to the {spec.title} on {port}")
    upload_sketch(spec, folder, out, port, lambda f, m: progress(0.7 + 0.3 * f, m))
    axes = (*IMU_AXES, *(MAG_AXES if sketch_board(key).has_magnetometer else ()))
    return CollectorBoard(board, spec.title, port, rate_hz, axes, None)
