"""Where the firmware sources and the bundled resources live: inside the installed package
(tinystudio/_data/, filled by the wheel build and by the desktop bundle), else beside the package in a
source checkout. The one place that knows this layout."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parents[1]
_INSTALLED = _PACKAGE / "_data"
_CHECKOUT = _PACKAGE.parent


def _locate(name: str, marker: str) -> Path:
    """The first of the installed and the checkout copy of `name` that holds `marker`; else the installed
    path, so that a missing folder is reported where an installed package expects it."""
    for base in (_INSTALLED, _CHECKOUT):
        if (base / name / marker).exists():
            return base / name
    return _INSTALLED / name


def firmware_dir() -> Path:
    """The C sources of the runner firmware (runtime, kernels, boards)."""
    return _locate("firmware", "runtime")


def resources_dir() -> Path:
    """Data files the application reads at run time, such as the simulated board's recordings."""
    return _locate("resources", "simboard")
