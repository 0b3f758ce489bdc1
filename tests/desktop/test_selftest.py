"""`tinystudio selftest` walks the whole chain through the use cases and exits 0 only when every step
passes; without a compiler or emulator the deploy is skipped with the install command."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from cli_helpers import run_cli
from tinystudio.app.selftest import STEPS, choose_board

LINE = re.compile(r"^(PASS|FAIL|SKIP)\s+(.+?)\s+(\d+\.\d) s\s+(.*)$")


@pytest.mark.slow
def test_selftest_passes_every_step_from_source(tmp_path, monkeypatch):
    monkeypatch.setenv("TMPDIR", str(tmp_path))  # its temporary project lands here, and is removed after
    code, out, err = run_cli("selftest")
    steps = [m.groups() for m in map(LINE.match, out.splitlines()) if m]
    assert [s[1] for s in steps] == [name for name, _ in STEPS]
    assert all(s[0] == "PASS" for s in steps), out + err
    assert code == 0
    assert re.search(r"self-test passed: 7 of 7 steps passed in [\d.]+ s", out)
    details = {s[1]: s[3] for s in steps}
    assert "abduction 5, pendulum 5" in details["simulated capture"]
    expected = "QEMU" if shutil.which("qemu-system-arm") and shutil.which("arm-none-eabi-gcc") else "Host"
    assert expected in details["deploy"] and "agreement with the host" in details["deploy"]
    assert not any(Path(tmp_path).glob("tinystudio-selftest-*"))  # nothing left behind


def test_without_compilers_or_emulator_no_board_is_chosen_and_the_note_says_what_to_install(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))  # an empty PATH: no gcc, no arm-none-eabi-gcc, no QEMU
    monkeypatch.setenv("TINYSTUDIO_ARM_CC", "gcc")  # and no zig fallback
    board, note = choose_board()
    assert board is None
    assert "apt-get install qemu-system-arm" in note and "apt-get install gcc" in note
