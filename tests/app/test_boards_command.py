"""`tinystudio boards`: every board with its core, clock and budget from the registry, the tools it needs as
this computer has them (a missing one says how to install it), and what of it is plugged in now. This
machine has no board attached: the real run shows none, and a sysfs folder laid out by the test (USB ids
of an ST-Link, a J-Link, a Pico in BOOTSEL, a Debug Probe) with matching serial ports shows how plugged-in
boards are recognised and listed first on the Deploy page and the Device page."""

from __future__ import annotations

import json
import shutil

import pytest

from cli_helpers import run_cli
from tinystudio.app import boards as app_boards
from tinystudio.app.boards import board_choices, board_overview, ports_boards_first
from tinystudio.device.ports import PortInfo
from tinystudio.device.usb import list_usb
from tinystudio.targets import BOARDS, DEFAULT_BOARD, pyocd_flash
from tinystudio.targets.arduino import ARDUINO_BOARDS


def _usb_tree(root, devices):
    for name, (vid, pid, serial, product) in devices.items():
        folder = root / name
        folder.mkdir(parents=True)
        for key, value in (("idVendor", vid), ("idProduct", pid), ("serial", serial), ("product", product)):
            (folder / key).write_text(value + "\n")
    (root / "1-1:1.0").mkdir()  # an interface folder: no ids, not a device
    return root


def _port(device, vid, pid, serial):
    return PortInfo(device=device, name=f"port {device}", vid=vid, pid=pid, serial_number=serial, score=90)


def test_real_listing_has_every_board_its_facts_and_tools_as_they_are_here():
    code, out, err = run_cli("boards", "--json")
    assert code == 0, err
    rows = {r["name"]: r for r in json.loads(out)["boards"]}
    assert list(rows) == [b.name for b in BOARDS] + [b.name for b in ARDUINO_BOARDS]
    for spec in BOARDS:
        row = rows[spec.name]
        assert (row["core"], row["clock_hz"], row["counter"]) == (spec.core, spec.clock_hz, spec.counter_kind.label)
        if spec.budget:
            assert (row["flash_bytes"], row["ram_bytes"]) == (spec.budget.flash_bytes, spec.budget.ram_bytes)
    tools = {t["name"]: t for t in rows["nucleo-f429zi"]["tools"]}
    assert set(tools) == {"ARM compiler", "pyOCD"} and tools["pyOCD"]["present"]
    assert {t["name"] for t in rows["mps2-an386"]["tools"]} == {"ARM compiler", "QEMU"}
    cli = {t["name"]: t for t in rows["esp32"]["tools"]}
    assert set(cli) == {"arduino-cli", "esptool"} and cli["esptool"]["present"]
    assert cli["arduino-cli"]["present"] == (shutil.which("arduino-cli") is not None)
    if not cli["arduino-cli"]["present"]:
        assert "install arduino-cli" in cli["arduino-cli"]["detail"]
    if not list_usb():  # nothing on this computer's USB bus: no board can be listed as attached
        assert all(r["attached"] == [] for r in rows.values())
        assert not rows["pico"]["ready"] and rows["mps2-an386"]["ready"]


def test_text_listing_says_how_to_install_a_missing_tool(monkeypatch):
    monkeypatch.setattr(pyocd_flash.importlib.util, "find_spec", lambda name: None)
    monkeypatch.setenv("PATH", "")
    code, out, _err = run_cli("boards")
    assert code == 0
    block = out.split("  nucleo-f429zi ")[1].split("\n  b-l475e-iot01a")[0]
    assert "Cortex-M4F, 180 MHz, flash 2048.0 KB, RAM 192.0 KB" in block
    assert "pyOCD: MISSING, install it with `pip install pyocd==0.46.0`" in block
    assert "ARM compiler: MISSING, install it with `sudo apt-get install gcc-arm-none-eabi" in block
    assert "attached: none" in block


def test_plugged_in_probes_ports_and_boot_drives_are_matched_by_vid_pid(tmp_path):
    usb = list_usb(_usb_tree(tmp_path / "sys", {
        "1-1": ("0483", "374b", "066DFF485550755187121919", "STM32 STLink"),
        "1-2": ("1366", "1015", "000683123456", "J-Link"),
        "1-3": ("2e8a", "0003", "E0C9125B0D9B", "RP2 Boot"),
        "1-4": ("2e8a", "000c", "E6614103E7", "Debug Probe (CMSIS-DAP)"),
        "1-5": ("046d", "c52b", "", "Unifying Receiver"),
    }))
    assert [d.ids for d in usb] == ["0483:374b", "1366:1015", "2e8a:0003", "2e8a:000c", "046d:c52b"]
    ports = [_port("/dev/ttyUSB0", 0x10C4, 0xEA60, "0001"), _port("/dev/ttyACM0", 0x0483, 0x374B,
             "066DFF485550755187121919"), _port("/dev/ttyACM1", 0x1366, 0x1015, "000683123456"),
             _port("/dev/ttyACM2", 0x2E8A, 0x000C, "E6614103E7"), _port("/dev/ttyS0", None, None, None)]
    rows = {r.name: r for r in board_overview(ports, usb)}
    f429 = rows["nucleo-f429zi"].attached
    assert [(a.kind, a.device, a.usb) for a in f429] == [("serial port", "/dev/ttyACM0", "0483:374b"),
                                                         ("debug probe", "1-1", "0483:374b")]
    assert rows["b-l475e-iot01a"].attached == f429  # same ST-Link ids: pyOCD tells the boards apart
    assert [(a.kind, a.device) for a in rows["nrf52840dk"].attached] == [("serial port", "/dev/ttyACM1"),
                                                                        ("debug probe", "1-2")]
    assert [(a.kind, a.usb) for a in rows["pico"].attached] == [
        ("serial port", "2e8a:000c"), ("debug probe", "2e8a:000c"), ("boot drive", "2e8a:0003")]
    assert [a.device for a in rows["esp32"].attached] == ["/dev/ttyUSB0"]
    assert rows["nano33ble"].attached == () and rows["mps2-an386"].attached == ()
    assert rows["pico"].ready and rows["nucleo-f429zi"].ready
    ordered = ports_boards_first([ports[4], ports[0], ports[1]])
    assert [p.device for p in ordered] == ["/dev/ttyUSB0", "/dev/ttyACM0", "/dev/ttyS0"]


def test_attached_boards_come_first_on_the_deploy_page(qtbot, monkeypatch):
    from tinystudio.gui.context import AppContext
    from tinystudio.gui.pages.deploy_page import DeployPage

    assert [c.name for c in board_choices(attached=set())][0] == DEFAULT_BOARD
    assert [c.name for c in board_choices(attached={"pico", "nrf52840dk"})][:3] == ["nrf52840dk", "pico",
                                                                                      DEFAULT_BOARD]
    monkeypatch.setattr(app_boards, "attached_board_names", lambda *a, **k: {"nucleo-h743zi"})
    context = AppContext()
    page = DeployPage(context)
    qtbot.addWidget(page)
    names = [page.target_combo.itemData(i) for i in range(page.target_combo.count())]
    assert names[:2] == ["nucleo-h743zi", DEFAULT_BOARD] and sorted(names) == sorted(b.name for b in BOARDS)
    context.close()


@pytest.mark.parametrize("plugged", [True, False])
def test_device_page_lists_a_known_boards_port_first(qtbot, monkeypatch, plugged):
    from tinystudio.gui.context import AppContext
    from tinystudio.gui.pages import device_page

    ftdi = PortInfo(device="/dev/ttyUSB3", name="FTDI FT232R", vid=0x0403, pid=0x6001, score=130)
    stlink = PortInfo(device="/dev/ttyACM0", name="ST-Link", vid=0x0483, pid=0x374B, score=120)
    monkeypatch.setattr(device_page, "list_boards", lambda: [ftdi, stlink] if plugged else [ftdi])
    context = AppContext()
    page = device_page.DevicePage(context)
    qtbot.addWidget(page)
    page.refresh_ports(select_best=False)
    listed = [page.port_box.itemData(i) for i in range(page.port_box.count())]
    assert listed[0] == ("/dev/ttyACM0" if plugged else "/dev/ttyUSB3")
    context.close()
