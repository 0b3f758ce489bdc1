"""Serial port discovery and opening: names boards by USB VID/PID, ranks the likeliest board first,
and turns open failures (missing, busy, no permission) into one-line messages with the fix."""

from __future__ import annotations

import errno
import os
import sys
from dataclasses import dataclass

import serial
from serial.tools import list_ports

from tinystudio.core.errors import UserError
from tinystudio.device.simboard_link import left_behind

SIMULATED_PORT = "sim://board"
"""The pseudo port name the GUI and CLI use for the built-in simulated board."""

# (vid, pid or None for any) -> board name. Specific entries win over vendor-wide ones.
_BOARDS: dict[tuple[int, int | None], str] = {
    (0x2341, None): "Arduino",
    (0x2A03, None): "Arduino",
    (0x2341, 0x0043): "Arduino Uno",
    (0x2341, 0x0001): "Arduino Uno",
    (0x2341, 0x0042): "Arduino Mega 2560",
    (0x2341, 0x8036): "Arduino Leonardo",
    (0x2341, 0x804E): "Arduino MKR1000",
    (0x2341, 0x8057): "Arduino Nano 33 IoT",
    (0x2341, 0x805A): "Arduino Nano 33 BLE",
    (0x2341, 0x005A): "Arduino Nano 33 BLE",
    (0x2341, 0x025B): "Arduino Portenta H7",
    (0x2341, 0x035B): "Arduino Portenta H7",
    (0x2341, 0x0069): "Arduino Uno R4 Minima",
    (0x2341, 0x1002): "Arduino Uno R4 WiFi",
    (0x2341, 0x0070): "Arduino Nano ESP32",
    (0x2341, 0x005E): "Arduino Nano RP2040 Connect",
    (0x303A, None): "Espressif ESP32",
    (0x303A, 0x1001): "Espressif ESP32-S3/C3 (USB JTAG/serial)",
    (0x303A, 0x0002): "Espressif ESP32-S2",
    (0x2E8A, None): "Raspberry Pi RP2040",
    (0x2E8A, 0x0005): "Raspberry Pi Pico (MicroPython)",
    (0x2E8A, 0x000A): "Raspberry Pi Pico",
    (0x2E8A, 0x000C): "Raspberry Pi Debug Probe",
    (0x0483, None): "STMicroelectronics",
    (0x0483, 0x374B): "ST-Link V2-1 (STM32 Nucleo/Discovery)",
    (0x0483, 0x3752): "ST-Link V2-1 (STM32 Nucleo/Discovery)",
    (0x0483, 0x374E): "ST-Link V3 (STM32 Nucleo)",
    (0x0483, 0x374F): "ST-Link V3 (STM32 Nucleo)",
    (0x0483, 0x3753): "ST-Link V3 (STM32 Nucleo)",
    (0x0483, 0x5740): "STM32 Virtual COM Port",
    (0x10C4, None): "Silicon Labs",
    (0x10C4, 0xEA60): "Silicon Labs CP210x",
    (0x10C4, 0xEA70): "Silicon Labs CP2105",
    (0x1A86, None): "WCH",
    (0x1A86, 0x7523): "WCH CH340",
    (0x1A86, 0x55D4): "WCH CH9102",
    (0x1A86, 0x55D3): "WCH CH343",
    (0x0403, None): "FTDI",
    (0x0403, 0x6001): "FTDI FT232R",
    (0x0403, 0x6010): "FTDI FT2232",
    (0x0403, 0x6014): "FTDI FT232H",
    (0x0403, 0x6015): "FTDI FT231X",
    (0x1915, None): "Nordic Semiconductor",
    (0x1915, 0x520F): "Nordic nRF52840 Dongle",
    (0x1915, 0xC00A): "Nordic nRF52 DK",
    (0x1366, 0x1015): "SEGGER J-Link (Nordic DK)",
    (0x1366, None): "SEGGER J-Link",
    (0x2886, None): "Seeed Studio",
    (0x2886, 0x802F): "Seeed XIAO SAMD21",
    (0x2886, 0x8045): "Seeed XIAO nRF52840 Sense",
    (0x2886, 0x0045): "Seeed XIAO nRF52840 Sense",
    (0x2886, 0x8056): "Seeed XIAO ESP32S3",
    (0x239A, None): "Adafruit",
    (0x1B4F, None): "SparkFun",
    (0x16C0, 0x0483): "Teensy",
    (0x0D28, 0x0204): "Arm Mbed DAPLink (micro:bit, FRDM)",
    (0x1FC9, None): "NXP",
    (0x067B, 0x2303): "Prolific PL2303",
    (0x04B4, None): "Cypress/Infineon KitProg",
    (0x2FE3, 0x0100): "Zephyr CDC ACM",
    (0x0456, None): "Analog Devices",
    (0x1D50, 0x6018): "Black Magic Probe",
}

# Vendors that are nearly always a development board rather than a modem or a phone.
_BOARD_VENDORS = {v for (v, _p) in _BOARDS}
# Generic USB-serial bridges: often a board, but also cables and adapters, so they rank below MCU vendors.
_BRIDGE_VENDORS = {0x10C4, 0x1A86, 0x0403, 0x067B}


@dataclass(frozen=True)
class PortInfo:
    """One serial port as the user sees it: a path, a human name and how likely it is a board."""

    device: str
    name: str
    description: str = ""
    vid: int | None = None
    pid: int | None = None
    serial_number: str | None = None
    score: int = 0
    simulated: bool = False

    @property
    def label(self) -> str:
        """Text for a port list: name first, then the path."""
        if self.simulated:
            return self.name
        return f"{self.name} ({self.device})"

    @property
    def identity(self) -> str:
        """What stays the same when the board comes back on another port name."""
        if self.serial_number:
            return f"sn:{self.vid}:{self.pid}:{self.serial_number}"
        return f"dev:{self.device}"


def board_name(vid: int | None, pid: int | None) -> str | None:
    """The board (or USB bridge) name for a USB VID/PID, or None if unknown."""
    if vid is None:
        return None
    return _BOARDS.get((vid, pid)) or _BOARDS.get((vid, None))


def _score(device: str, vid: int | None, pid: int | None) -> int:
    score = 0
    if vid is not None:
        score += 50
        if vid in _BOARD_VENDORS:
            score += 20 if vid in _BRIDGE_VENDORS else 40
        if (vid, pid) in _BOARDS:
            score += 10
    base = os.path.basename(device)
    if base.startswith(("ttyACM", "ttyUSB", "cu.usbmodem", "cu.usbserial", "cu.SLAB", "cu.wchusbserial")):
        score += 20
    if base.startswith(("ttyS", "ttyAMA", "cu.Bluetooth", "tty.Bluetooth", "cu.debug", "cu.wlan")):
        score -= 40
    return score


def describe(info: object) -> PortInfo:
    """Turn a pyserial ``ListPortInfo`` into a ranked, named ``PortInfo``."""
    device = str(getattr(info, "device", ""))
    vid = getattr(info, "vid", None)
    pid = getattr(info, "pid", None)
    description = str(getattr(info, "description", "") or "")
    name = board_name(vid, pid)
    if name is None:
        product = getattr(info, "product", None)
        name = str(product) if product else (description if description not in ("", "n/a") else "Serial port")
    return PortInfo(
        device=device,
        name=name,
        description=description,
        vid=vid,
        pid=pid,
        serial_number=getattr(info, "serial_number", None),
        score=_score(device, vid, pid),
    )


def list_boards() -> list[PortInfo]:
    """Every serial port, likeliest board first (USB boards we know, then USB, then the rest)."""
    ports = [describe(p) for p in list_ports.comports()]
    return sorted(ports, key=lambda p: (-p.score, p.device))


def simulated_port() -> PortInfo:
    """The entry for the built-in simulated board, offered after real boards."""
    return PortInfo(
        device=SIMULATED_PORT,
        name="Simulated board",
        description="built-in board streaming recorded motion data",
        serial_number="TINYSIM0001",
        score=-1,
        simulated=True,
    )


def preferred(ports: list[PortInfo]) -> PortInfo | None:
    """The port to select by default: the best real board if it looks like one, else the first entry."""
    if not ports:
        return None
    best = max(ports, key=lambda p: p.score)
    return best


def port_signature(ports: list[PortInfo]) -> tuple[str, ...]:
    """A value that changes when a board is plugged or unplugged (compare between polls)."""
    return tuple(sorted(p.device + "|" + (p.serial_number or "") for p in ports))


def find_by_identity(identity: str, extra: list[PortInfo] | None = None) -> PortInfo | None:
    """The port currently carrying the board with this identity (same serial number, any port name)."""
    candidates = list_boards() + (extra or [])
    for p in candidates:
        if p.identity == identity:
            return p
    if identity.startswith("dev:"):
        path = identity[4:]
        if os.path.exists(path) and not left_behind(path):
            return PortInfo(device=path, name=path)
    return None


def permission_fix(device: str) -> str:
    """The exact fix for 'permission denied' on this platform."""
    if sys.platform.startswith("linux"):
        return (
            f"permission denied on {device}: add yourself to the dialout group with "
            "`sudo usermod -aG dialout $USER`, then log out and log in again"
        )
    return f"permission denied on {device}: close other programs using it or check your serial driver"


def open_port(device: str, baud: int = 115200, timeout: float = 0.05) -> serial.Serial:
    """Open a serial port exclusively, or raise ``UserError`` with one clear line saying why not."""
    if not device:
        raise UserError("no serial port given")
    if device.startswith("/") and not os.path.exists(device):
        raise UserError(
            f"serial port {device} does not exist (is the board plugged in? "
            "`tinystudio capture --list` shows the ports)"
        )
    try:
        port = serial.Serial(device, baudrate=baud, timeout=timeout, exclusive=True)
    except serial.SerialException as exc:
        raise UserError(_explain(device, exc)) from exc
    except OSError as exc:
        raise UserError(_explain(device, exc)) from exc
    except ValueError as exc:
        raise UserError(f"cannot open {device} at {baud} baud: {exc}") from exc
    return port


def _explain(device: str, exc: BaseException) -> str:
    err = getattr(exc, "errno", None)
    text = str(exc)
    if err == errno.EACCES or "Permission denied" in text:
        return permission_fix(device)
    if err in (errno.ENOENT, errno.ENODEV, errno.ENXIO) or "No such file" in text:
        return f"serial port {device} does not exist (is the board plugged in?)"
    if err in (errno.EBUSY, errno.EAGAIN, errno.EWOULDBLOCK) or "exclusively lock" in text or "busy" in text:
        return f"serial port {device} is in use by another program (close the serial monitor or other app)"
    return f"cannot open serial port {device}: {text.splitlines()[0] if text else type(exc).__name__}"
