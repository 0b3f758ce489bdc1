"""Flashing through pyOCD, run for real: with no probe attached (this machine has none) pyOCD's own
'No connected debug probes' becomes one line saying what to connect; the probe list, the progress bar and
the lock and wrong-target messages are read in the formats the installed pyOCD writes them. Nothing here
pretends a board answered: what only a probe and a board can show is listed in the README."""

from __future__ import annotations

import importlib.util
import io
import json
from pathlib import Path

import pytest

from tinystudio.core.errors import UserError
from tinystudio.targets import get_target, pyocd_flash
from tinystudio.targets.pyocd_flash import FlashProgress, Probe

FIXTURE_MODEL = Path(__file__).resolve().parents[1] / "firmware" / "fixture_model"
pytestmark = pytest.mark.skipif(importlib.util.find_spec("pyocd") is None, reason="pyocd is not installed")


def _pyocd_source(relative: str) -> str:
    spec = importlib.util.find_spec("pyocd")
    assert spec is not None and spec.origin is not None
    return (Path(spec.origin).parent / relative).read_text()


def test_command_lines_name_the_target_the_probe_and_never_wait_for_a_probe(tmp_path):
    elf = tmp_path / "firmware.elf"
    args = pyocd_flash.flash_command(elf, "stm32f429xi", "066DFF485550755187121919")
    tool = pyocd_flash.pyocd_command()
    assert args[: len(tool)] == tool
    assert args[len(tool) :] == ["flash", "-W", "-t", "stm32f429xi", "--format", "elf",
                                 "-u", "066DFF485550755187121919", str(elf)]
    assert pyocd_flash.list_command()[-2:] == ["json", "--probes"]


def test_real_pyocd_lists_no_probe_here():
    assert pyocd_flash.list_probes() == []


def test_real_pyocd_flash_without_a_probe_is_one_line_naming_the_probe(tmp_path, fw_cache):
    target = get_target("nucleo-f429zi")
    artifact = target.build(FIXTURE_MODEL, fw_cache)
    code, output = pyocd_flash.run_flash(pyocd_flash.flash_command(artifact.path, "stm32f429xi"))
    assert code != 0 and "No connected debug probes" in output  # pyOCD's own words, from the real tool
    message = pyocd_flash.failure_message(output, "NUCLEO-F429ZI", "stm32f429xi", "ST-Link")
    assert message == ("no debug probe found: connect the NUCLEO-F429ZI through its ST-Link USB port "
                       "(pyOCD: No connected debug probes)")


def test_deploy_flash_step_without_a_probe_names_the_board_and_its_probe(fw_cache):
    for name, says in (("nrf52840dk", "no debug probe found for the nRF52840 DK: connect the board's J-Link"),
                       ("nucleo-h743zi", "no debug probe found for the NUCLEO-H743ZI: connect the board's ST-Link")):
        target = get_target(name)
        artifact = target.build(FIXTURE_MODEL, fw_cache)
        with pytest.raises(UserError, match=f"^{says}"):
            target.launch(artifact)


def test_probe_list_in_pyocds_json_format_picks_the_board_or_says_wrong_target():
    # The fields pyOCD's `json --probes` writes (pyocd/tools/lists.py, list_probes).
    assert "'board_name' : board_name" in _pyocd_source("tools/lists.py")
    listing = json.dumps({"pyocd_version": "0.46.0", "version": {"major": 1, "minor": 1}, "status": 0, "boards": [
        {"unique_id": "0672FF494851877267084229", "info": "ST NUCLEO-L476RG", "board_vendor": "ST",
         "board_name": "NUCLEO-L476RG", "target": "stm32l476rg", "vendor_name": "STMicroelectronics",
         "product_name": "STM32 STLink"}]})
    probes = pyocd_flash.parse_probes(listing)
    assert probes == [Probe("0672FF494851877267084229", "ST NUCLEO-L476RG", "NUCLEO-L476RG", "stm32l476rg")]
    target = get_target("nucleo-f429zi")
    with pytest.raises(UserError, match="^wrong target: the attached probe is on a NUCLEO-L476RG "
                                        r"\(stm32l476rg\), not a NUCLEO-F429ZI \(stm32f429\)"):
        target.choose_probe(probes)
    generic = Probe("E6614103E7", "Raspberry Pi Debug Probe", "Generic", "cortex_m")
    assert get_target("pico").choose_probe([*probes, generic]) == generic  # names no chip: may be the Pico
    right = Probe("0671FF", "ST NUCLEO-F429ZI", "NUCLEO-F429ZI", "stm32f429xi")
    assert target.choose_probe([*probes, right]) == right
    with pytest.raises(UserError, match="several debug probes could be the NUCLEO-F429ZI"):
        target.choose_probe([right, Probe("0672AA", "ST NUCLEO-F429ZI", "NUCLEO-F429ZI", "stm32f429xi")])
    target.connection = type(target.connection)(probe="0672aa")
    with pytest.raises(UserError, match=r"^no debug probe with id '0672aa' is attached \(attached: 0671FF\)"):
        target.choose_probe([right])
    with pytest.raises(UserError, match="pyOCD could not list the debug probes: libusb not found"):
        pyocd_flash.parse_probes(json.dumps({"status": 1, "error": "libusb not found", "boards": []}))


def test_locked_chip_message_from_pyocds_own_warning():
    # The warning pyOCD logs for a protected nRF52 (pyocd/target/family/target_nRF52.py).
    assert '"%s APPROTECT enabled: not automatically unlocking"' in _pyocd_source("target/family/target_nRF52.py")
    output = ("0000512 W NRF52840 APPROTECT enabled: not automatically unlocking [target_nRF52]\n"
              "0000733 E Memory transfer fault (Fault ack) @ 0x00000000-0x00000003 [load_cmd]\n")
    message = pyocd_flash.failure_message(output, "nRF52840 DK", "nrf52840", "J-Link")
    assert message.startswith("the nRF52840 DK is locked (read-out protection); a full chip erase unlocks it")
    assert "`pyocd erase --chip -t nrf52840 -O auto_unlock=true`" in message
    assert message.endswith("(pyOCD: Memory transfer fault (Fault ack) @ 0x00000000-0x00000003)")


def test_progress_follows_pyocds_own_bar():
    from pyocd.utility.progress import ProgressReportNoTTY

    out = io.StringIO()
    report = ProgressReportNoTTY(out)
    for step in range(0, 101, 5):
        report(step / 100)
    seen: list[float] = []
    bar = FlashProgress(lambda f, _m: seen.append(f))
    text = out.getvalue()
    for start in range(0, len(text), 7):  # as it arrives, in pieces
        bar.feed(text[start : start + 7])
    assert seen == sorted(seen) and seen[-1] == 1.0 and len(seen) == 40
    # A log line on the same pipe, in the middle of the bar, neither restarts nor ends it.
    seen.clear()
    half = text.index("=") + 20
    bar = FlashProgress(lambda f, _m: seen.append(f))
    bar.feed(text[:half] + "0000912 I Erased 16384 bytes (1 sector), [loader]\n" + text[half:])
    assert seen == sorted(seen) and seen[-1] == 1.0 and len(seen) == 40


def test_missing_pyocd_is_one_line_with_the_install_command(monkeypatch):
    monkeypatch.setattr(pyocd_flash.importlib.util, "find_spec", lambda name: None)
    monkeypatch.setenv("PATH", "")
    with pytest.raises(UserError, match=r"^pyOCD is missing .*: install it with `pip install pyocd==0\.46\.0`$"):
        pyocd_flash.pyocd_command()
