"""The one place figures are formatted: the CLI table and the GUI show the same text for the same number."""

from __future__ import annotations

from tinystudio.app.formatting import fmt_bytes, fmt_count, fmt_latency, fmt_percent, fmt_points, fmt_span


def test_bytes_switch_to_kilobytes_at_one_kib_and_unknown_is_a_dash():
    assert fmt_bytes(None) == "-"
    assert fmt_bytes(1023) == "1023 B"
    assert fmt_bytes(1024) == "1.0 KB"
    assert fmt_bytes(20_890) == "20.4 KB"


def test_percent_points_and_counts():
    assert fmt_percent(0.9234) == "92.3%"
    assert fmt_percent(1) == "100.0%"
    assert fmt_percent(None) == "-"
    assert fmt_percent("n/a") == "-"
    assert fmt_points(-0.0125) == "-1.2"
    assert fmt_points(0.031) == "+3.1"
    assert fmt_points(None) == "-"
    assert fmt_count(1234567) == "1,234,567"
    assert fmt_count(1234.6) == "1,235"


def test_latency_and_span():
    assert fmt_latency(12345.4, "instructions") == "12,345 instructions"
    assert fmt_latency(12345.4, "cycles", worst=13000) == "mean 12,345, worst 13,000 cycles"
    assert fmt_span(0.5, 1.25) == "0.50-1.25 s"
