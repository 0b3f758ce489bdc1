"""The Linux desktop entry: TinyStudio in the applications menu with its icon, for the current user
(``$XDG_DATA_HOME``, default ``~/.local/share``: applications/ and icons/hicolor/). The entry runs this
installation: the bundle's executable, the installed ``tinystudio`` command, or this Python with ``-m``."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from tinystudio.core.errors import UserError
from tinystudio.core.paths import resources_dir

APP_ID = "tinystudio"
TEMPLATE = """[Desktop Entry]
Type=Application
Name=TinyStudio
GenericName=TinyML studio
Comment=Capture sensor data, train, compress and test TinyML models on microcontrollers
Exec={exec} %f
TryExec={try_exec}
Icon=tinystudio
Terminal=false
Categories=Development;Science;Electronics;
Keywords=TinyML;microcontroller;sensor;machine learning;Arduino;
StartupWMClass=tinystudio
"""


@dataclass(frozen=True)
class Installed:
    """Where the entry and its icons went."""

    entry: Path
    icons: list[Path]


def data_home() -> Path:
    return Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")


def launch_command() -> list[str]:
    """How the menu entry starts this installation."""
    if getattr(sys, "frozen", False):  # the desktop bundle
        return [sys.executable]
    found = shutil.which("tinystudio")
    if found:
        return [found]
    return [sys.executable, "-m", "tinystudio"]


def _quote(arg: str) -> str:
    """An Exec argument, quoted as the Desktop Entry Specification asks when it has special characters."""
    if arg and all(c.isalnum() or c in "/._-+" for c in arg):
        return arg
    escaped = arg.replace("\\", "\\\\").replace('"', '\\"').replace("`", "\\`").replace("$", "\\$")
    return f'"{escaped}"'


def entry_text(command: list[str] | None = None) -> str:
    """The .desktop file for ``command`` (default: ``launch_command()``)."""
    command = command or launch_command()
    return TEMPLATE.format(exec=" ".join(_quote(a) for a in command), try_exec=_quote(command[0]))


def _targets(home: Path) -> tuple[Path, list[tuple[Path, Path]]]:
    icons = resources_dir() / "icons"
    pairs = [(icons / "tinystudio-256.png", home / "icons" / "hicolor" / "256x256" / "apps" / f"{APP_ID}.png"),
             (icons / "tinystudio.svg", home / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg")]
    return home / "applications" / f"{APP_ID}.desktop", pairs


def install() -> Installed:
    """Write the entry and copy the icons; refresh the menu's caches when their tools are there."""
    if not sys.platform.startswith("linux"):
        raise UserError("install-desktop makes a Linux menu entry; on this system start TinyStudio directly")
    home = data_home()
    entry, icons = _targets(home)
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        entry.write_text(entry_text(), encoding="utf-8")
        for source, dest in icons:
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, dest)
    except OSError as exc:
        raise UserError(f"cannot install the desktop entry: {exc.strerror or exc} ({exc.filename})") from None
    _refresh(["update-desktop-database", "-q", str(entry.parent)])
    _refresh(["gtk-update-icon-cache", "-q", "-t", str(home / "icons" / "hicolor")])
    return Installed(entry, [dest for _, dest in icons])


def uninstall() -> list[Path]:
    """Remove what ``install`` wrote; the paths removed."""
    entry, icons = _targets(data_home())
    removed = []
    for path in (entry, *(dest for _, dest in icons)):
        if path.is_file():
            path.unlink()
            removed.append(path)
    return removed


def _refresh(command: list[str]) -> None:
    if shutil.which(command[0]):
        subprocess.run(command, check=False, capture_output=True, timeout=30)
