"""Boards whose USB needs a vendor core: compiled and uploaded with arduino-cli when it is installed
(the Arduino form of the firmware: a sketch folder), ESP32 images written with esptool.

arduino-cli is not a Python package: it is found on PATH, and when it is missing the one line says how
to get it. Each board is its fully qualified board name (FQBN), the core that provides it and the USB
VID/PIDs its serial port shows.
"""

from __future__ import annotations

import importlib.util
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from tinystudio.core import children
from tinystudio.core.errors import UserError
from tinystudio.core.progress import Progress

ARDUINO_CLI_INSTALL = ("install arduino-cli from the Arduino CLI installation page "
                       "(arduino.github.io/arduino-cli), then `arduino-cli core update-index`")
PIP_ESPTOOL = "pip install esptool==5.6.0"
ESP32_APP_OFFSETS = (("bootloader.bin", 0x1000), ("partitions.bin", 0x8000), ("bin", 0x10000))


@dataclass(frozen=True)
class ArduinoBoard:
    """One board arduino-cli builds for."""

    name: str
    title: str
    fqbn: str
    usb: tuple[tuple[int, int | None], ...]
    esp_chip: str | None = None  # esptool's --chip for an ESP32 board

    @property
    def core(self) -> str:
        """The arduino-cli core (platform) providing the board: the FQBN's first two parts."""
        return ":".join(self.fqbn.split(":")[:2])


_NANO33 = ((0x2341, 0x805A), (0x2341, 0x005A))
ARDUINO_BOARDS: tuple[ArduinoBoard, ...] = (
    ArduinoBoard("nano33ble", "Arduino Nano 33 BLE Sense", "arduino:mbed_nano:nano33ble", _NANO33),
    ArduinoBoard("nano33ble-rev2", "Arduino Nano 33 BLE Sense Rev2", "arduino:mbed_nano:nano33ble", _NANO33),
    ArduinoBoard("nanorp2040connect", "Arduino Nano RP2040 Connect", "arduino:mbed_nano:nanorp2040connect",
                 ((0x2341, 0x005E), (0x2341, 0x805E))),
    ArduinoBoard("esp32", "ESP32 board (ESP32 Dev Module)", "esp32:esp32:esp32",
                 ((0x303A, None), (0x10C4, 0xEA60), (0x1A86, 0x7523)), esp_chip="esp32"),
)


def arduino_board(name: str) -> ArduinoBoard:
    for board in ARDUINO_BOARDS:
        if board.name == name:
            return board
    raise UserError(f"unknown Arduino board {name!r}; choose one of: {', '.join(b.name for b in ARDUINO_BOARDS)}")


def find_arduino_cli() -> str:
    found = shutil.which("arduino-cli")
    if not found:
        raise UserError(f"arduino-cli is missing (it builds and uploads the Arduino boards): {ARDUINO_CLI_INSTALL}")
    return found


def esptool_command() -> list[str]:
    if importlib.util.find_spec("esptool") is not None:
        return [sys.executable, "-m", "esptool"]
    found = shutil.which("esptool") or shutil.which("esptool.py")
    if found:
        return [found]
    raise UserError(f"esptool is missing (it writes ESP32 images): install it with `{PIP_ESPTOOL}`")


def compile_command(board: ArduinoBoard, sketch: Path, out_dir: Path) -> list[str]:
    """Build ``sketch`` (a sketch folder) for the board; the images land in ``out_dir``."""
    return [find_arduino_cli(), "compile", "--fqbn", board.fqbn, "--output-dir", str(out_dir), str(sketch)]


def upload_command(board: ArduinoBoard, sketch: Path, out_dir: Path, port: str) -> list[str]:
    """Upload what ``compile_command`` built, through the board's serial port."""
    return [find_arduino_cli(), "upload", "--fqbn", board.fqbn, "--port", port, "--input-dir", str(out_dir),
            str(sketch)]


def esp32_images(out_dir: Path, sketch_name: str) -> list[tuple[int, Path]]:
    """(flash offset, file) of the images arduino-cli built for an ESP32: the merged image at 0 when there is
    one, else boot loader, partition table and application at their usual offsets."""
    merged = out_dir / f"{sketch_name}.ino.merged.bin"
    if merged.is_file():
        return [(0x0, merged)]
    images = []
    for suffix, offset in ESP32_APP_OFFSETS:
        path = out_dir / f"{sketch_name}.ino.{suffix}"
        if not path.is_file():
            raise UserError(f"{path.name} is missing in {out_dir}: build the sketch with arduino-cli first")
        images.append((offset, path))
    return images


def esptool_write_command(board: ArduinoBoard, port: str, images: list[tuple[int, Path]],
                          baud: int = 921600, connect_attempts: int = 7) -> list[str]:
    """esptool 5's write-flash of ``images`` to the ESP32 on ``port``."""
    if board.esp_chip is None:
        raise UserError(f"{board.title} is not an ESP32 board")
    args = [*esptool_command(), "--chip", board.esp_chip, "--port", port, "--baud", str(baud),
            "--connect-attempts", str(connect_attempts), "write-flash"]
    for offset, path in images:
        args += [f"0x{offset:x}", str(path)]
    return args


_PERCENT = re.compile(r"(\d{1,3}(?:\.\d+)?)\s?%")


def tool_failure(tool: str, output: str, board: ArduinoBoard) -> str:
    """One line from arduino-cli's or esptool's output: their own error, and the fix where we know it."""
    lines = [line.strip() for line in output.splitlines() if line.strip()]
    said = next((line for line in lines if re.match(r"^(Error|ERROR|Failed|A fatal error)", line)), None)
    said = said or (lines[-1] if lines else "no output")
    said = re.sub(r"^ERROR: ", "", said)
    text = output.lower()
    if tool == "arduino-cli" and (("platform" in text and "not found" in text) or "unknown fqbn" in text
                                  or "not installed" in text):
        return f"arduino-cli has no {board.core} core: install it with `arduino-cli core install {board.core}` ({said})"
    if "could not open" in text or ("no such file or directory" in text and "port" in text):
        return f"the serial port of the {board.title} is not there: plug the board in or choose its port ({said})"
    if "failed to connect" in text or "no serial data received" in text:
        return (f"the {board.title} did not answer on its serial port: hold BOOT while it resets, "
                f"or check the port ({said})")
    return f"{tool} failed for the {board.title}: {said}"


def run_tool(tool: str, args: list[str], board: ArduinoBoard, progress: Progress | None = None,
             timeout: float = 600.0) -> str:
    """Run arduino-cli or esptool as a child that dies with TinyStudio; its output, or a UserError."""
    try:
        result = children.run(args, timeout=timeout, text=True, errors="replace")
    except subprocess.TimeoutExpired:
        raise UserError(f"{tool} did not finish within {timeout:g} s") from None
    except OSError as exc:
        raise UserError(f"cannot run {tool}: {exc.strerror}") from exc
    output = (result.stdout or "") + (result.stderr or "")
    if progress is not None:
        for match in _PERCENT.finditer(output):
            progress(min(1.0, float(match.group(1)) / 100.0), f"{tool}: {match.group(0)}")
    if result.returncode != 0:
        raise UserError(tool_failure(tool, output, board))
    return output


def compile_sketch(board: ArduinoBoard, sketch: Path, out_dir: Path, progress: Progress | None = None) -> Path:
    """Build a sketch folder for ``board`` with arduino-cli; the folder holding the images."""
    out_dir.mkdir(parents=True, exist_ok=True)
    run_tool("arduino-cli", compile_command(board, sketch, out_dir), board, progress)
    return out_dir


def upload_sketch(board: ArduinoBoard, sketch: Path, out_dir: Path, port: str,
                  progress: Progress | None = None) -> None:
    """Upload a built sketch: esptool for an ESP32 (the images arduino-cli built), arduino-cli otherwise."""
    if board.esp_chip is not None:
        args = esptool_write_command(board, port, esp32_images(out_dir, sketch.name))
        run_tool("esptool", args, board, progress)
    else:
        run_tool("arduino-cli", upload_command(board, sketch, out_dir, port), board, progress)
