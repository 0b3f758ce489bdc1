"""The boards a user can deploy to, as the GUI's board list and the CLI's ``--target`` choices show them
(both read the target registry through here, so the two lists cannot differ)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from tinystudio.core.errors import UserError
from tinystudio.targets.registry import BOARDS, DEFAULT_BOARD, board_names, board_spec

if TYPE_CHECKING:
    from tinystudio.device.ports import PortInfo
    from tinystudio.device.usb import UsbDevice

__all__ = [
    "DEFAULT_BOARD", "Attached", "BoardChoice", "BoardStatus", "ToolStatus", "attached_board_names", "board_choices",
    "board_clock", "board_overview", "missing_tools", "ports_boards_first", "target_names",
]


@dataclass(frozen=True)
class BoardChoice:
    """One entry of a board list: the name to pass on, and what a person reads."""

    name: str
    title: str
    core: str
    counter: str


def board_choices(attached: set[str] | None = None) -> list[BoardChoice]:
    """Every registered board: real boards plugged in now first, then the default, then the others in
    registry order; ``attached`` replaces the boards found plugged in."""
    plugged = attached_board_names() if attached is None else attached
    choices = [BoardChoice(b.name, b.title, b.core, b.counter_kind.label) for b in BOARDS]
    return sorted(choices, key=lambda c: (c.name not in plugged, c.name != DEFAULT_BOARD))


def target_names() -> tuple[str, ...]:
    """The names ``--target`` accepts (aliases included)."""
    return board_names()


def missing_tools(name: str) -> str | None:
    """None when this computer has what board ``name`` needs to build and run its firmware (compiler,
    emulator), else the one line saying what is missing and how to install it."""
    from tinystudio.targets import toolchain
    from tinystudio.targets.host import HostTarget

    spec = board_spec(name)
    target = spec.target()
    try:
        if isinstance(target, HostTarget):  # a native process: only the host's C compiler
            toolchain.find_host_compiler()
        elif spec.bench is not None:  # a real board: the compiler and the flashing tool
            from tinystudio.targets.pyocd_flash import pyocd_command

            toolchain.find_cross_compiler()
            pyocd_command()
        else:
            toolchain.find_qemu()
            toolchain.find_cross_compiler()
    except UserError as exc:
        return str(exc)
    return None


def board_clock(name: str) -> int | None:
    """The processor clock of a board (Hz), None when unknown or when its counter is not a clock."""
    try:
        return board_spec(name).clock_hz
    except UserError:
        return None


# -- what is attached now, and what each board needs (`tinystudio boards`) ---------------------------------


@dataclass(frozen=True)
class ToolStatus:
    """A tool a board needs: found (``detail`` is where) or missing (``detail`` says how to install it)."""

    name: str
    present: bool
    detail: str


@dataclass(frozen=True)
class Attached:
    """A serial port, debug probe or boot drive of a matching board plugged in now."""

    kind: str  # "serial port", "debug probe" or "boot drive"
    device: str  # the port's path, or the USB device's bus location
    usb: str  # VID:PID
    description: str
    serial_number: str = ""


@dataclass(frozen=True)
class BoardStatus:
    """One board as `tinystudio boards` shows it."""

    name: str
    title: str
    kind: str  # "emulated", "bench", "host" or "arduino"
    core: str
    clock_hz: int | None
    flash_bytes: int | None
    ram_bytes: int | None
    counter: str
    tools: tuple[ToolStatus, ...]
    attached: tuple[Attached, ...]

    @property
    def ready(self) -> bool:
        """Every tool is here (and, for a real board, something of it is plugged in)."""
        tools_ok = all(t.present for t in self.tools)
        return tools_ok and (self.kind in ("emulated", "host") or bool(self.attached))


def _tool(name: str, find: Callable[[], object]) -> ToolStatus:
    try:
        found = find()
    except UserError as exc:
        return ToolStatus(name, False, str(exc))
    if isinstance(found, str):  # a path
        where = found
    elif isinstance(found, list | tuple):  # a command line
        where = " ".join(found)
    else:  # a compiler: its command
        where = " ".join(getattr(found, "command", ()))
    return ToolStatus(name, True, where)


def _tools(kind: str, esp32: bool = False) -> tuple[ToolStatus, ...]:
    from tinystudio.targets import arduino, pyocd_flash, toolchain

    if kind == "host":
        return (_tool("C compiler", toolchain.find_host_compiler),)
    if kind == "arduino":
        tools = [_tool("arduino-cli", arduino.find_arduino_cli)]
        return (*tools, _tool("esptool", arduino.esptool_command)) if esp32 else tuple(tools)
    compiler = _tool("ARM compiler", toolchain.find_cross_compiler)
    if kind == "emulated":
        return compiler, _tool("QEMU", toolchain.find_qemu)
    return compiler, _tool("pyOCD", pyocd_flash.pyocd_command)


def _attached_ports(ports: list[PortInfo], ids: tuple[tuple[int, int | None], ...]) -> list[Attached]:
    from tinystudio.targets.bench import usb_matches

    return [Attached("serial port", p.device, f"{p.vid:04x}:{p.pid or 0:04x}", p.name, p.serial_number or "")
            for p in ports if usb_matches(p.vid, p.pid, ids)]


def _attached_usb(devices: list[UsbDevice], ids: tuple[tuple[int, int | None], ...], kind: str) -> list[Attached]:
    from tinystudio.targets.bench import usb_matches

    return [Attached(kind, d.location, d.ids, " ".join(x for x in (d.manufacturer, d.product) if x) or d.ids,
                     d.serial_number) for d in devices if usb_matches(d.vid, d.pid, ids)]


def board_overview(ports: list[PortInfo] | None = None, usb: list[UsbDevice] | None = None) -> list[BoardStatus]:
    """Every board TinyStudio knows (registry targets, then the arduino-cli boards) with its facts, the tools
    it needs and what of it is attached now; ``ports`` and ``usb`` replace this computer's lists."""
    from tinystudio.device.ports import list_boards
    from tinystudio.device.usb import list_usb
    from tinystudio.targets.arduino import ARDUINO_BOARDS
    from tinystudio.targets.registry import RP2040_BOOT_USB

    ports = list_boards() if ports is None else ports
    usb = list_usb() if usb is None else usb
    rows = []
    for spec in BOARDS:
        kind = "bench" if spec.bench else "emulated" if spec.emulated else "host"
        attached: list[Attached] = []
        if spec.bench is not None:
            attached += _attached_ports(ports, spec.bench.serial_usb)
            attached += _attached_usb(usb, spec.bench.probe_usb, "debug probe")
            if spec.bench.uf2_family is not None:
                attached += _attached_usb(usb, (RP2040_BOOT_USB,), "boot drive")
        budget = spec.budget
        rows.append(BoardStatus(spec.name, spec.title, kind, spec.core, spec.clock_hz,
                                budget.flash_bytes if budget else None, budget.ram_bytes if budget else None,
                                spec.counter_kind.label, _tools(kind), tuple(attached)))
    for board in ARDUINO_BOARDS:
        rows.append(BoardStatus(board.name, board.title, "arduino", "", None, None, None, "",
                                _tools("arduino", board.esp_chip is not None),
                                tuple(_attached_ports(ports, board.usb))))
    return rows


def attached_board_names(ports: list[PortInfo] | None = None, usb: list[UsbDevice] | None = None) -> set[str]:
    """The registry boards with a serial port, probe or boot drive plugged in now (none when listing fails)."""
    try:
        return {row.name for row in board_overview(ports, usb) if row.attached and row.kind == "bench"}
    except OSError:
        return set()


def ports_boards_first(ports: list[PortInfo]) -> list[PortInfo]:
    """Serial ports with those of a known board (registry or arduino-cli board, by USB VID/PID) first,
    each group in the order given (the likeliest board first)."""
    from tinystudio.targets.arduino import ARDUINO_BOARDS
    from tinystudio.targets.bench import usb_matches

    ids = [i for spec in BOARDS if spec.bench for i in spec.bench.serial_usb]
    ids += [i for board in ARDUINO_BOARDS for i in board.usb]
    known = tuple(ids)
    return sorted(ports, key=lambda p: not usb_matches(p.vid, p.pid, known))
