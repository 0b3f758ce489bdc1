"""Active current and supply voltage of each board's chip, for the energy estimate of an inference.

Figures are typical run-mode currents from the chips' datasheets (source named in each row). An emulated
board has no current of its own: it takes the figure of the real chip class it stands for, scaled to its
own clock (run current grows about linearly with the clock), and says so in ``source``.
"""

from __future__ import annotations

from dataclasses import dataclass

from tinystudio.targets.registry import board_spec


@dataclass(frozen=True)
class ChipPower:
    """A chip's typical run current at a clock, from its datasheet."""

    chip: str
    core: str
    clock_hz: int
    active_ma: float
    volts: float
    source: str


STM32F429 = ChipPower("STM32F429ZI", "Cortex-M4F", 180_000_000, 46.0, 3.3,
                      "STM32F429 datasheet DS9405, typical run current at 180 MHz from flash, peripherals off")
STM32L475 = ChipPower("STM32L475VG", "Cortex-M4F", 80_000_000, 8.0, 3.0,
                      "STM32L475 datasheet DS10969, typical run mode 100 uA/MHz at 80 MHz")
STM32H743 = ChipPower("STM32H743ZI", "Cortex-M7", 400_000_000, 100.0, 3.3,
                      "STM32H743 datasheet DS12110, typical run current at 400 MHz, peripherals off")
NRF52840 = ChipPower("nRF52840", "Cortex-M4F", 64_000_000, 3.3, 3.0,
                     "nRF52840 Product Specification v1.x, CPU running from flash, DC/DC at 3 V")
RP2040 = ChipPower("RP2040", "Cortex-M0+", 125_000_000, 21.0, 3.3,
                   "RP2040 datasheet, typical active current at 125 MHz")

REAL: dict[str, ChipPower] = {
    "nucleo-f429zi": STM32F429,
    "b-l475e-iot01a": STM32L475,
    "nucleo-h743zi": STM32H743,
    "nrf52840dk": NRF52840,
    "pico": RP2040,
}
# The real chip class each emulated board stands for.
EMULATED: dict[str, ChipPower] = {
    "mps2-an386": STM32F429,
    "netduinoplus2": STM32F429,
    "mps2-an385": STM32F429,
    "mps2-an500": STM32H743,
    "mps2-an505": STM32L475,
    "mps3-an547": STM32H743,
    "microbit": RP2040,
}


@dataclass(frozen=True)
class BoardPower:
    """The figures the energy estimate of one board uses."""

    board: str
    chip: str
    clock_hz: int
    active_ma: float
    volts: float
    source: str
    emulated: bool


def board_power(name: str) -> BoardPower | None:
    """The power figures of board ``name``; None for a board without a chip (the host process)."""
    spec = board_spec(name)
    if spec.name in REAL:
        c = REAL[spec.name]
        return BoardPower(spec.name, c.chip, c.clock_hz, c.active_ma, c.volts, c.source, False)
    c = EMULATED.get(spec.name)
    if c is None or not spec.clock_hz:
        return None
    ma = c.active_ma * spec.clock_hz / c.clock_hz
    source = (f"emulated board: the {c.chip} class figure scaled to {spec.clock_hz / 1e6:g} MHz "
              f"({c.source})")
    return BoardPower(spec.name, f"{c.chip} class", spec.clock_hz, ma, c.volts, source, True)
