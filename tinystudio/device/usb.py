"""The USB devices plugged in now, by vendor and product id: debug probes and boot drives show no serial
port of their own (or not only one), so boards are recognised from the USB bus itself.

On Linux the kernel lists every device in sysfs (no library, no permission needed); elsewhere pyusb with
the libusb that the libusb-package wheel ships (pyOCD's own dependency) is asked, when it is installed.
"""

from __future__ import annotations

import contextlib
import sys
from dataclasses import dataclass
from pathlib import Path

SYSFS_USB = Path("/sys/bus/usb/devices")


@dataclass(frozen=True)
class UsbDevice:
    """One USB device: ids, and the strings it reports (empty when unreadable)."""

    vid: int
    pid: int
    serial_number: str = ""
    product: str = ""
    manufacturer: str = ""
    location: str = ""  # the bus path (sysfs name) or bus:address

    @property
    def ids(self) -> str:
        return f"{self.vid:04x}:{self.pid:04x}"


def _read(folder: Path, name: str) -> str:
    try:
        return (folder / name).read_text(errors="replace").strip()
    except OSError:
        return ""


def _from_sysfs(root: Path) -> list[UsbDevice]:
    devices = []
    for folder in sorted(root.glob("*")):
        vid, pid = _read(folder, "idVendor"), _read(folder, "idProduct")
        if not vid or not pid:
            continue  # an interface, not a device
        try:
            devices.append(UsbDevice(int(vid, 16), int(pid, 16), _read(folder, "serial"), _read(folder, "product"),
                                     _read(folder, "manufacturer"), folder.name))
        except ValueError:
            continue
    return devices


def _from_pyusb() -> list[UsbDevice]:
    try:
        import libusb_package  # type: ignore[import-not-found]
    except ImportError:
        return []
    devices = []
    with contextlib.suppress(Exception):  # no backend, no permission: no devices rather than a crash
        for dev in libusb_package.find(find_all=True):
            devices.append(UsbDevice(int(dev.idVendor), int(dev.idProduct), location=f"{dev.bus}:{dev.address}"))
    return devices


def list_usb(root: Path | None = None) -> list[UsbDevice]:
    """Every USB device attached now; ``root`` replaces the sysfs folder (a test gives one of its own)."""
    if root is not None:
        return _from_sysfs(root)
    if sys.platform.startswith("linux") and SYSFS_USB.is_dir():
        return _from_sysfs(SYSFS_USB)
    return _from_pyusb()
