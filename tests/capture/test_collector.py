"""Data collection from a board TinyStudio flashed: the data-collection firmware (the runner without a model)
streams the board's sensor from boot with its own clock; `tinystudio capture --target BOARD` and the Device
page's one button put it on an emulated board and record a sample with the board's axes and rate."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from cli_helpers import run_cli
from tinystudio.core.errors import UserError
from tinystudio.core.store import Project

pytestmark = pytest.mark.slow

STUBS = Path(__file__).resolve().parents[1] / "deploy" / "arduino_stubs"
AXES = ["accX", "accY", "accZ"]  # the simulated sensor of the emulated boards and the host board


@pytest.fixture
def qemu_available() -> None:
    if shutil.which("qemu-system-arm") is None or shutil.which("arm-none-eabi-gcc") is None:
        pytest.skip("qemu-system-arm or arm-none-eabi-gcc is not installed")


@pytest.mark.usefixtures("qemu_available")
def test_cli_records_from_the_emulated_board_at_the_firmware_rate(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    path = tmp_path / "cap.tsproj"
    Project.create(path).close()
    code, out, err = run_cli("capture", str(path), "--target", "mps2-an386", "--rate", "40", "--seconds", "2",
                             "--label", "still", "--json")
    assert code == 0, err
    r = json.loads(out)
    assert r["axis_names"] == AXES and r["axes"] == 3
    assert r["rate_hz"] == pytest.approx(40.0, rel=0.01)  # from the board's own microsecond clock
    assert 80 <= r["frames"] <= 88 and r["complete"] and r["malformed"] == 0  # the last chunk may run over
    with Project.open(path) as project:
        x = project.load_signal(r["sample_id"])
        assert x.shape == (r["frames"], 3)
        assert abs(float(x[:, 2].mean()) - 9.81) < 0.3  # the simulated gravity axis


def test_cli_target_bad_board_is_one_line(tmp_path):
    path = tmp_path / "cap.tsproj"
    Project.create(path).close()
    code, _out, err = run_cli("capture", str(path), "--target", "no-such-board", "--seconds", "1", "--label", "x")
    assert code != 0 and len(err.strip().splitlines()) == 1 and "unknown target" in err


def test_host_board_collector_streams_named_lines_and_stops_on_close(tmp_path):
    from tinystudio.app.capture import open_session
    from tinystudio.app.collect import flash_collector

    running = flash_collector("host", cache_dir=tmp_path / "fw", rate_hz=100.0)
    try:
        session = open_session(running.port)
        try:
            status = session.wait_ready(10)
            assert status.layout is not None and status.layout.axis_names == AXES
            assert status.rate_hz == pytest.approx(100.0, rel=0.02)
        finally:
            session.stop()
    finally:
        running.close()
    assert not running.alive() or running.process is None


@pytest.mark.usefixtures("qemu_available")
def test_device_page_button_flashes_and_records(qtbot, tmp_path, monkeypatch):
    from tinystudio.gui.context import AppContext
    from tinystudio.gui.pages.device_page import DevicePage

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    context = AppContext()
    context.set_project(Project.create(tmp_path / "gui.tsproj"))
    page = DevicePage(context)
    qtbot.addWidget(page)
    try:
        page.collector_board_box.setCurrentIndex(page.collector_board_box.findData("mps2-an386"))
        page.collector_button.click()
        qtbot.waitUntil(lambda: page.session is not None, timeout=120000)
        assert page.collector is not None and page.selected_port().device == page.collector.port
        qtbot.waitUntil(lambda: page.session.status().rate_hz is not None, timeout=10000)
        page.fixed_check.setChecked(True)
        page.seconds_box.setValue(1.0)
        page.label_box.setCurrentText("still")
        page.record_button.click()
        qtbot.waitUntil(lambda: not page.session.recording, timeout=15000)
        qtbot.waitUntil(lambda: len(context.project.samples()) == 1, timeout=5000)
        sample = context.project.samples()[0]
        assert list(sample.axis_names) == AXES and sample.label == "still"
        assert sample.rate_hz == pytest.approx(50.0, rel=0.01) and 50 <= sample.frames <= 55
        process = page.collector.process
    finally:
        page.shutdown()
        context.close()
    assert process is not None and process.poll() is not None  # the emulator stops with the page


@pytest.mark.usefixtures("qemu_available")
def test_every_bench_board_gets_a_collector_image_that_fits_and_flashing_goes_to_the_probe(tmp_path):
    from tinystudio.app.collect import flash_collector
    from tinystudio.targets import get_target
    from tinystudio.targets.collector import build_collector, sensor_axes
    from tinystudio.targets.fit import check_fits
    from tinystudio.targets.registry import bench_boards

    for spec in bench_boards():
        target, artifact = build_collector(get_target(spec.name), tmp_path / "fw", 100.0)
        assert target.budget is not None
        check_fits(artifact.path, target.budget, spec.title)
        image = artifact.path.read_bytes()
        assert b"data-collection" in image and ",".join(sensor_axes(spec)).encode() in image
    assert sensor_axes(get_target("b-l475e-iot01a").spec)[3:] == ("gyrX", "gyrY", "gyrZ")
    # No probe is attached here: the flash step's own one line, after the image was built.
    with pytest.raises(UserError, match="probe|pyOCD") as err:
        flash_collector("nucleo-f429zi", cache_dir=tmp_path / "fw")
    assert "\n" not in str(err.value)


def test_arduino_boards_get_a_collection_sketch_and_upload_goes_through_arduino_cli(tmp_path, monkeypatch):
    from tinystudio.app.collect import collector_boards, flash_collector
    from tinystudio.core.export.arduino import collector_sketch
    from tinystudio.targets.collector import ARDUINO_SKETCHES

    names = [name for name, _title in collector_boards()]
    assert names[0] == "mps2-an386" and set(ARDUINO_SKETCHES) <= set(names)
    for board, key in ARDUINO_SKETCHES.items():
        sketch = collector_sketch(key, 100.0)
        header = "accX,accY,accZ,gyrX,gyrY,gyrZ" + (",magX,magY,magZ" if board.startswith("nano33") else "")
        assert f'Serial.println("{header}");' in sketch and "INTERVAL_US = 10000UL" in sketch, board
        if shutil.which("g++"):
            path = tmp_path / key / f"{key}.ino"
            path.parent.mkdir()
            path.write_text(sketch)
            subprocess.run(["g++", "-std=gnu++17", "-fsyntax-only", "-Wall", "-Werror", f"-I{STUBS}", "-include",
                            "Arduino.h", "-x", "c++", str(path)], check=True, capture_output=True, text=True)
    if shutil.which("arduino-cli"):
        pytest.skip("arduino-cli is installed: uploading would need the board")
    with pytest.raises(UserError, match="arduino-cli is missing") as err:
        flash_collector("nano33ble", cache_dir=tmp_path / "fw")
    assert "\n" not in str(err.value)
    Project.create(tmp_path / "p.tsproj").close()
    code, _out, err_text = run_cli("capture", str(tmp_path / "p.tsproj"), "--target", "esp32", "--port",
                                   "/dev/ttyUSB9", "--seconds", "1", "--label", "x")
    assert code != 0 and "arduino-cli is missing" in err_text
