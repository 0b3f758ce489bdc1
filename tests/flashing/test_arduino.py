"""arduino-cli and esptool command lines and failures. esptool is the real, pinned tool: on a port that is
not there, and on a pseudo-terminal where no ESP32 answers, its own messages become one line each.
arduino-cli cannot be installed here (no registry carries it), so a FAKE arduino-cli script on PATH stands
in for it only to check the command lines TinyStudio runs and how its error output is read."""

from __future__ import annotations

import importlib.util
import os
import pty
import stat
import sys

import pytest

from tinystudio.core.errors import UserError
from tinystudio.targets import arduino
from tinystudio.targets.arduino import ARDUINO_BOARDS, arduino_board

FAKE_ARDUINO_CLI = """#!{python}
# FAKE arduino-cli for tests: records its arguments, answers like arduino-cli for the two cases below.
import json, os, sys
with open(os.environ["FAKE_ARDUINO_LOG"], "a") as log:
    log.write(json.dumps(sys.argv[1:]) + "\\n")
if "esp32:esp32:esp32" in sys.argv and sys.argv[1] == "compile":
    print("Error during build: Platform 'esp32:esp32' not found: platform not installed", file=sys.stderr)
    sys.exit(1)
if sys.argv[1] == "upload" and "/dev/ttyACM9" in sys.argv:
    print("Error during Upload: Failed uploading: uploading error: exit status 1", file=sys.stderr)
    sys.exit(1)
print("Sketch uses 81234 bytes (8%) of program storage space.")
"""


@pytest.fixture
def fake_arduino_cli(tmp_path, monkeypatch):
    """A FAKE arduino-cli first on PATH; returns the log of the argument lists it was called with."""
    bindir = tmp_path / "fake-bin"
    bindir.mkdir()
    script = bindir / "arduino-cli"
    script.write_text(FAKE_ARDUINO_CLI.format(python=sys.executable))
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    log = tmp_path / "calls.jsonl"
    monkeypatch.setenv("PATH", f"{bindir}{os.pathsep}{os.environ.get('PATH', '')}")
    monkeypatch.setenv("FAKE_ARDUINO_LOG", str(log))
    return log


def test_the_four_boards_and_their_fqbns():
    assert {b.title: b.fqbn for b in ARDUINO_BOARDS} == {
        "Arduino Nano 33 BLE Sense": "arduino:mbed_nano:nano33ble",
        "Arduino Nano 33 BLE Sense Rev2": "arduino:mbed_nano:nano33ble",
        "Arduino Nano RP2040 Connect": "arduino:mbed_nano:nanorp2040connect",
        "ESP32 board (ESP32 Dev Module)": "esp32:esp32:esp32",
    }
    assert arduino_board("esp32").core == "esp32:esp32" and arduino_board("nano33ble").core == "arduino:mbed_nano"


def test_missing_arduino_cli_is_one_line_with_how_to_install(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(UserError) as caught:
        arduino.compile_command(arduino_board("nano33ble"), tmp_path / "sketch", tmp_path / "out")
    assert str(caught.value).startswith("arduino-cli is missing (it builds and uploads the Arduino boards): install")
    assert "\n" not in str(caught.value)


def test_compile_and_upload_command_lines_through_a_fake_arduino_cli(fake_arduino_cli, tmp_path):
    import json

    sketch, out = tmp_path / "tinystudio_runner", tmp_path / "build"
    sketch.mkdir()
    board = arduino_board("nanorp2040connect")
    arduino.compile_sketch(board, sketch, out)
    arduino.upload_sketch(board, sketch, out, "/dev/ttyACM0")
    calls = [json.loads(line) for line in fake_arduino_cli.read_text().splitlines()]
    assert calls == [
        ["compile", "--fqbn", "arduino:mbed_nano:nanorp2040connect", "--output-dir", str(out), str(sketch)],
        ["upload", "--fqbn", "arduino:mbed_nano:nanorp2040connect", "--port", "/dev/ttyACM0", "--input-dir",
         str(out), str(sketch)],
    ]
    with pytest.raises(UserError, match=r"^arduino-cli has no esp32:esp32 core: install it with "
                                        r"`arduino-cli core install esp32:esp32` \(Error during build: "):
        arduino.compile_sketch(arduino_board("esp32"), sketch, out)
    with pytest.raises(UserError, match=r"^arduino-cli failed for the Arduino Nano 33 BLE Sense Rev2: "
                                        r"Error during Upload: Failed uploading"):
        arduino.upload_sketch(arduino_board("nano33ble-rev2"), sketch, out, "/dev/ttyACM9")


def test_esp32_images_and_esptool_command_line(tmp_path):
    board = arduino_board("esp32")
    for suffix in ("bootloader.bin", "partitions.bin", "bin"):
        (tmp_path / f"runner.ino.{suffix}").write_bytes(b"\xe9")
    images = arduino.esp32_images(tmp_path, "runner")
    assert [(hex(o), p.name) for o, p in images] == [
        ("0x1000", "runner.ino.bootloader.bin"), ("0x8000", "runner.ino.partitions.bin"), ("0x10000", "runner.ino.bin")]
    (tmp_path / "runner.ino.merged.bin").write_bytes(b"\xe9")
    merged = arduino.esp32_images(tmp_path, "runner")
    args = arduino.esptool_write_command(board, "/dev/ttyUSB0", merged)
    tool = arduino.esptool_command()
    assert args[len(tool) :] == ["--chip", "esp32", "--port", "/dev/ttyUSB0", "--baud", "921600",
                                 "--connect-attempts", "7", "write-flash",
                                 "0x0", str(tmp_path / "runner.ino.merged.bin")]
    with pytest.raises(UserError, match="is not an ESP32 board"):
        arduino.esptool_write_command(arduino_board("nano33ble"), "/dev/ttyACM0", merged)


@pytest.mark.skipif(importlib.util.find_spec("esptool") is None, reason="esptool is not installed")
def test_real_esptool_port_missing_and_no_esp32_answering(tmp_path):
    board = arduino_board("esp32")
    image = tmp_path / "runner.ino.merged.bin"
    image.write_bytes(b"\xe9" + bytes(255))
    args = arduino.esptool_write_command(board, "/dev/ttyNOSUCHPORT", [(0, image)])
    with pytest.raises(UserError) as caught:
        arduino.run_tool("esptool", args, board)
    assert str(caught.value) == ("the serial port of the ESP32 board (ESP32 Dev Module) is not there: plug the board "
                                 "in or choose its port (A fatal error occurred: Could not open /dev/ttyNOSUCHPORT, "
                                 "the port is busy or doesn't exist.)")
    controller, device = pty.openpty()  # a serial port where nothing answers esptool's sync
    try:
        args = arduino.esptool_write_command(board, os.ttyname(device), [(0, image)], baud=115200,
                                             connect_attempts=1)
        with pytest.raises(UserError, match=r"^the ESP32 board \(ESP32 Dev Module\) did not answer on its "
                                            r"serial port: hold BOOT while it resets, or check the port "
                                            r"\(.*Failed to connect"):
            arduino.run_tool("esptool", args, board, timeout=120)
    finally:
        os.close(controller)
        os.close(device)
