"""`tinystudio install-desktop` puts a menu entry that starts this installation, and the icon, into the
user's XDG data folder; --uninstall removes them. packaging/linux/tinystudio.desktop is the same entry."""

from __future__ import annotations

import os
import shlex
from pathlib import Path

from PySide6.QtGui import QImage

from cli_helpers import run_cli
from tinystudio.app.desktop_entry import entry_text

ROOT = Path(__file__).resolve().parents[2]


def _fields(text: str) -> dict[str, str]:
    return dict(line.split("=", 1) for line in text.splitlines() if "=" in line)


def test_install_and_uninstall_the_menu_entry(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    code, out, err = run_cli("install-desktop")
    assert code == 0, err
    entry = tmp_path / "applications" / "tinystudio.desktop"
    png = tmp_path / "icons" / "hicolor" / "256x256" / "apps" / "tinystudio.png"
    svg = tmp_path / "icons" / "hicolor" / "scalable" / "apps" / "tinystudio.svg"
    assert str(entry) in out and str(png) in out
    fields = _fields(entry.read_text())
    assert fields["Type"] == "Application" and fields["Name"] == "TinyStudio" and fields["Icon"] == "tinystudio"
    command = shlex.split(fields["Exec"])
    assert command[-1] == "%f" and os.access(command[0], os.X_OK)  # it starts a program that exists
    image = QImage(str(png))
    assert (image.width(), image.height()) == (256, 256)
    assert svg.read_text().lstrip().startswith("<svg")

    code, out, _ = run_cli("install-desktop", "--uninstall")
    assert code == 0 and not entry.exists() and not png.exists() and not svg.exists()
    assert out.count("removed") == 3


def test_the_packaged_desktop_file_is_the_entry_for_the_installed_command():
    assert (ROOT / "packaging" / "linux" / "tinystudio.desktop").read_text() == entry_text(["tinystudio"])
