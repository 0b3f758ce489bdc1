"""The board power table behind the energy estimate: every board with a chip names where its current comes
from, only figures checked against the vendor's document count as datasheet figures, and every other one
is called "typical, unverified" wherever a person reads the estimate (CLI sentence, Deploy page, report)."""

from __future__ import annotations

import pytest

from tinystudio.app.device_figures import energy_figures
from tinystudio.app.figure_text import battery_life, energy_sentence, per_second
from tinystudio.targets.energy import UNVERIFIED, board_power, power_table
from tinystudio.targets.registry import BOARDS


def test_every_board_with_a_clock_has_a_sourced_power_figure():
    table = {p.board: p for p in power_table()}
    for spec in BOARDS:
        if spec.clock_hz is None:  # the host process has no chip of its own
            assert board_power(spec.name) is None
            continue
        p = table[spec.name]
        assert p.active_ma > 0 and p.volts > 0 and p.clock_hz == spec.clock_hz
        assert len(p.source) > 40  # a document and a place in it, not a bare number
        assert p.basis == ("datasheet figure" if p.verified else UNVERIFIED)


def test_only_checked_figures_are_called_datasheet_figures():
    verified = {p.board for p in power_table() if p.verified}
    # the nRF5340 application core's CPU-running row was checked; the others were not found in the vendor text
    assert verified == {"mps2-an505"}
    m33 = board_power("mps2-an505")
    assert m33 is not None and "nRF5340 Product Specification" in m33.source and "ICPU0_FLASH" in m33.source
    assert m33.active_ma == pytest.approx(2.7 * 20 / 64)  # 2.7 mA at 64 MHz, scaled to the board's 20 MHz
    pico = board_power("pico")
    assert pico is not None and not pico.verified and "lists no full-speed run current" in pico.source
    microbit = board_power("microbit")  # the micro:bit's own chip, at its own clock: no scaling
    assert microbit is not None and microbit.chip.startswith("nRF51822") and "scaled" not in microbit.source


def test_the_estimate_sentence_says_estimate_and_whether_the_current_was_checked():
    unchecked = energy_figures("nucleo-f429zi", 0.002, rate_hz=10, sleep_ua=5, battery_mah=1000)
    text = energy_sentence(unchecked)
    assert text.startswith("Estimate: ") and "typical, unverified" in text and "µJ per inference" in text
    checked = energy_figures("mps2-an505", 0.002, rate_hz=10, sleep_ua=5, battery_mah=1000)
    assert checked["verified"] and "datasheet figure" in energy_sentence(checked)
    assert "uJ per inference" in energy_sentence(checked, micro="u")
    assert energy_sentence(None) == "no power figure for this board"


@pytest.mark.parametrize(("hours", "text"), [(5.0, "5 hours"), (72.0, "3.0 days"), (24 * 730, "2.0 years")])
def test_battery_life_reads_in_a_sensible_unit(hours, text):
    assert battery_life(hours) == text


@pytest.mark.parametrize(("rate", "text"), [(493.333, "493.3"), (333_333.3, "333,333"), (0.5, "0.5")])
def test_rates_read_without_exponents(rate, text):
    assert per_second(rate) == text
