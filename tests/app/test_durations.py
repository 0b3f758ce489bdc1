"""Latency in milliseconds beside cycle and instruction counts: exact for cycles, an estimate (and labelled
one) for emulated instructions, nothing for a reading that is already a time or without a clock."""

from tinystudio.app.boards import board_clock
from tinystudio.app.formatting import fmt_duration


def test_milliseconds_where_a_clock_says_so():
    assert fmt_duration(1500, "microseconds", 1e6) == ""  # already a time
    assert fmt_duration(50_000, "cycles", 50e6) == "1 ms at 50 MHz"
    qemu_clock = board_clock("mps2-an386")
    assert qemu_clock
    text = fmt_duration(qemu_clock / 1000, "emulated instructions", qemu_clock)
    assert text.startswith("≈ 1 ms") and "estimate" in text
    assert fmt_duration(1234, "emulated instructions", None) == ""
    assert board_clock("no-such-board") is None
