"""The report's impulse rows: each setting named in words with its unit, a configuration stored with fewer
fields (an older run) still reads, and side by side a result whose run is gone shows dashes."""

from __future__ import annotations

from tinystudio.app.formatting import MISSING
from tinystudio.app.impulse_table import impulse_rows, side_by_side


def test_an_audio_impulse_reads_with_units_and_a_short_configuration_still_reads():
    config = {"impulse": {"window": {"window_ms": 1000.0, "stride_ms": 250.0, "short_policy": "drop"},
                          "dsp": {"block": "mfcc", "params": {"frame_length_ms": 25.0, "n_mels": 40,
                                                              "high_hz": 4000.0}},
                          "model": {"preset": "conv1d", "augment": False}}}
    rows = dict(impulse_rows(config))
    assert rows["window length"] == "1000 ms" and rows["window stride"] == "250 ms"
    assert rows["shorter recordings"] == "dropped"
    assert rows["DSP block"] == "MFCC (audio) (mfcc)"
    assert rows["DSP · frame length"] == "25 ms" and rows["DSP · mel bands"] == "40"
    assert rows["DSP · highest band edge"] == "4000 Hz"
    assert rows["model"] == "conv1d" and rows["augmentation"] == "no"
    assert "input shape" not in rows  # the run did not store its window's frames and axes
    assert impulse_rows({}) == []


def test_side_by_side_keeps_the_order_and_dashes_a_missing_run():
    a = [("window length", "1000 ms"), ("DSP block", "Raw (raw)")]
    b = [("window length", "2000 ms"), ("DSP · scale", "2")]
    assert side_by_side([a, b, None]) == [
        ["window length", "1000 ms", "2000 ms", MISSING],
        ["DSP block", "Raw (raw)", MISSING, MISSING],
        ["DSP · scale", MISSING, "2", MISSING],
    ]
