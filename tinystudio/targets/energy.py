"""Active current and supply voltage of each board's chip, for the energy estimate of an inference.

Each row names where its figure comes from. ``verified`` is True only where the figure was checked
against the vendor's document text (the table and row are named in ``source``); every other row is a
typical figure that was not checked, and the estimate says "typical, unverified" beside it. An emulated
board has no current of its own: it takes the figure of the real chip class it stands for, scaled to its
own clock (run current grows about linearly with the clock), and says so in ``source``.
"""

from __future__ import annotations

from dataclasses import dataclass

from tinystudio.core.errors import UserError
from tinystudio.targets.registry import board_spec

UNVERIFIED = "typical, unverified"


@dataclass(frozen=True)
class ChipPower:
    """A chip's run current at a clock, and where that figure comes from."""

    chip: str
    core: str
    clock_hz: int
    active_ma: float
    volts: float
    source: str
    verified: bool = False  # True: checked against the vendor document named in ``source``


STM32F429 = ChipPower(
    "STM32F429ZI", "Cortex-M4F", 180_000_000, 46.0, 3.3,
    "STM32F427xx/STM32F429xx datasheet (DS9405), section 'Supply current characteristics', run mode from "
    "flash at 180 MHz, peripherals disabled; the table text was not checked")
STM32L475 = ChipPower(
    "STM32L475VG", "Cortex-M4F", 80_000_000, 8.0, 3.0,
    "STM32L475xx datasheet (DS10969), run mode about 100 uA/MHz (LDO) at 80 MHz; the table text was not checked")
STM32H743 = ChipPower(
    "STM32H743ZI", "Cortex-M7", 400_000_000, 100.0, 3.3,
    "STM32H743xI/G datasheet (DS12110), section 'Supply current characteristics', run mode at 400 MHz, "
    "peripherals disabled; the table text was not checked")
NRF52840 = ChipPower(
    "nRF52840", "Cortex-M4F", 64_000_000, 3.3, 3.0,
    "nRF52840 Product Specification, 'Electrical specification / CPU running': CPU running CoreMark from flash "
    "at 64 MHz, DC/DC at 3 V; the row was not checked")
RP2040 = ChipPower(
    "RP2040", "Cortex-M0+", 125_000_000, 21.0, 3.3,
    "a typical figure for both cores at 125 MHz; the RP2040 datasheet's 'Power Consumption' section (5.4) "
    "lists no full-speed run current, only its Popcorn demo at 48 MHz, BOOTSEL, DORMANT and SLEEP")
NRF5340_APP = ChipPower(
    "nRF5340 application core", "Cortex-M33", 64_000_000, 2.7, 3.0,
    "nRF5340 Product Specification, 'Electrical specification / Application CPU running', ICPU0_FLASH: "
    "CPU running CoreMark at 64 MHz from flash, HFINT clock, cache enabled, typical 2.7 mA (common conditions: "
    "3 V on VDD, DC/DC regulator, 25 C)", verified=True)
NRF51822 = ChipPower(
    "nRF51822", "Cortex-M0", 16_000_000, 4.7, 3.0,
    "measured on an nRF51 DK in a busy loop with the 16 MHz crystal running (Nordic DevZone, 'Current vs "
    "Voltage for nrf51 CPU': 4.71 mA at 2.96 V), not the product specification's table")

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
    "netduinoplus2": STM32F429,  # an STM32F405: the same F4 core and process as the F429
    "mps2-an385": STM32F429,
    "mps2-an500": STM32H743,
    "mps2-an505": NRF5340_APP,  # a Cortex-M33
    "mps3-an547": STM32H743,
    "microbit": NRF51822,  # the micro:bit's own chip
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
    verified: bool

    @property
    def basis(self) -> str:
        """What a person reads beside the figure: checked against the datasheet, or typical and unchecked."""
        return "datasheet figure" if self.verified else UNVERIFIED


def board_power(name: str) -> BoardPower | None:
    """The power figures of board ``name``; None for a board without a chip (the host process) or one no longer
    in the registry (a stored result of a removed board)."""
    try:
        spec = board_spec(name)
    except UserError:
        return None
    if spec.name in REAL:
        c = REAL[spec.name]
        return BoardPower(spec.name, c.chip, c.clock_hz, c.active_ma, c.volts, c.source, False, c.verified)
    c = EMULATED.get(spec.name)
    if c is None or not spec.clock_hz:
        return None
    ma = c.active_ma * spec.clock_hz / c.clock_hz
    scaled = "" if spec.clock_hz == c.clock_hz else f" scaled to {spec.clock_hz / 1e6:g} MHz"
    source = f"emulated board: the {c.chip} class figure{scaled} ({c.source})"
    return BoardPower(spec.name, f"{c.chip} class", spec.clock_hz, ma, c.volts, source, True, c.verified)


def power_table() -> list[BoardPower]:
    """Every board's power figures, in registry order (boards without a chip left out)."""
    from tinystudio.targets.registry import BOARDS

    return [p for p in (board_power(b.name) for b in BOARDS) if p is not None]
