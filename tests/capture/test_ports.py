"""Port naming, ranking and the one-line messages for ports that cannot be opened."""

from __future__ import annotations

import sys

import pytest
from serial.tools.list_ports_common import ListPortInfo

from tinystudio.core.errors import UserError
from tinystudio.device.capture import CaptureSession
from tinystudio.device.ports import describe, permission_fix, preferred


def usb_port(device: str, vid: int | None, pid: int | None, serial: str | None = None) -> ListPortInfo:
    info = ListPortInfo(device, skip_link_detection=True)
    info.vid, info.pid, info.serial_number = vid, pid, serial
    return info


@pytest.mark.parametrize(
    ("vid", "pid", "name"),
    [
        (0x2341, 0x0043, "Arduino Uno"),
        (0x303A, 0x1001, "Espressif"),
        (0x2E8A, 0x000A, "Raspberry Pi Pico"),
        (0x0483, 0x374B, "ST-Link"),
        (0x10C4, 0xEA60, "CP210x"),
        (0x1A86, 0x7523, "CH340"),
        (0x0403, 0x6001, "FTDI"),
        (0x1915, 0x520F, "Nordic"),
        (0x2886, 0x8045, "Seeed"),
        (0x2341, 0xFFFF, "Arduino"),
    ],
)
def test_boards_are_named_by_usb_ids(vid, pid, name):
    assert name in describe(usb_port("/dev/ttyACM0", vid, pid)).name


def test_the_likeliest_board_is_preferred_over_the_first_port():
    ports = [
        describe(usb_port("/dev/ttyS0", None, None)),
        describe(usb_port("/dev/ttyUSB3", 0x067B, 0x2303)),
        describe(usb_port("/dev/ttyACM1", 0x2E8A, 0x000A, "E6614")),
    ]
    best = preferred(ports)
    assert best is not None and best.device == "/dev/ttyACM1"


def test_same_board_keeps_its_identity_on_another_port_name():
    a = describe(usb_port("/dev/ttyACM0", 0x2341, 0x0043, "75735"))
    b = describe(usb_port("/dev/ttyACM1", 0x2341, 0x0043, "75735"))
    assert a.identity == b.identity


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="dialout is Linux")
def test_permission_message_gives_the_dialout_fix():
    msg = permission_fix("/dev/ttyACM0")
    assert "sudo usermod -aG dialout $USER" in msg
    assert "log out" in msg


def test_a_port_that_does_not_exist_is_one_clear_line():
    with pytest.raises(UserError, match="does not exist") as err:
        CaptureSession("/dev/ttyTINYSTUDIO_MISSING").start()
    assert "\n" not in str(err.value)


def test_a_port_already_in_use_is_refused_clearly(fake_board):
    with CaptureSession(fake_board.path):
        with pytest.raises(UserError, match="in use"):
            CaptureSession(fake_board.path).start()
