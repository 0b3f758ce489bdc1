"""Line parsing: every accepted format, and every kind of bad line counted and skipped."""

from __future__ import annotations

import numpy as np

from tinystudio.device.linestream import LineStream


def feed_all(data: bytes, chunk: int = 97, rate_hz: float = 100.0) -> tuple[LineStream, np.ndarray]:
    """Feed bytes in odd-sized chunks, with arrival times as if they came at ``rate_hz`` lines/s."""
    ls = LineStream()
    out = []
    lines_per_byte = data.count(b"\n") / max(1, len(data))
    for k in range(0, len(data), chunk):
        now = (k + chunk) * lines_per_byte / rate_hz
        batch = ls.feed(data[k : k + chunk], now)
        if batch.values.size:
            out.append(batch.values)
    out = [o for o in out if o.shape[1] == out[-1].shape[1]] if out else out  # rows of the final layout
    return ls, (np.concatenate(out) if out else np.empty((0, 0)))


def numbered(n: int, sep: str = ",", start: int = 0) -> bytes:
    """Lines 'a,b,c' whose middle value is the line number (the first is not monotonic: no clock)."""
    return "".join(f"{(i * 37) % 101}{sep}{i}{sep}{i * 10 + 2}\n" for i in range(start, start + n)).encode()


def test_comma_tab_and_space_separated_lines_give_the_same_rows():
    results = []
    for sep in (",", "\t", " ", " , "):
        ls, rows = feed_all(b"12,3\n" + numbered(50, sep))
        assert ls.layout is not None and ls.layout.axes == 3
        results.append(rows)
    for rows in results[1:]:
        np.testing.assert_array_equal(rows, results[0])
    np.testing.assert_array_equal(results[0][:, 1], np.arange(50))


def test_first_truncated_line_is_discarded():
    ls, rows = feed_all(b"5,16,7\n" + numbered(20), rate_hz=20)
    assert rows.shape == (20, 3)
    assert rows[0, 1] == 0


def test_serial_plotter_names_become_axis_names():
    data = b"x\n" + b"".join(b"ax:%d,ay:%d az:%d\n" % (i, -i, 2 * i) for i in range(40))
    ls, rows = feed_all(data)
    assert ls.layout is not None
    assert ls.layout.axis_names == ["ax", "ay", "az"]
    np.testing.assert_array_equal(rows[:, 1], -np.arange(40))


def test_header_line_names_the_axes():
    data = b"junk\naccX,accY\n" + b"".join(b"%d,%d\n" % (i, i) for i in range(30))
    ls, rows = feed_all(data, rate_hz=20)
    assert ls.layout is not None and ls.layout.axis_names == ["accX", "accY"]
    assert rows.shape == (30, 2)


def test_bad_lines_are_counted_and_skipped_and_good_ones_kept():
    good = [b"%d,%d,%d\n" % (i, i + 1, i + 2) for i in range(100)]
    bad = {
        10: b"ERR sensor timeout\n",
        20: b"1,nan,3\n",
        30: b"inf,2,3\n",
        40: b"1,2\n",
        50: b"1,2,3,4\n",
        60: b"1,2,x3\n",
        70: b"1,2,3," * 1700 + b"\n",
        80: b"\xff\xfe\x00garbage\n",
    }
    stream = [b"partial\n"]
    for i, line in enumerate(good):
        if i in bad:
            stream.append(bad[i])
        stream.append(line)
    ls, rows = feed_all(b"".join(stream))
    assert rows.shape == (100, 3)
    np.testing.assert_array_equal(rows[:, 0], np.arange(100))
    s = ls.stats
    assert s.lines == 100
    assert s.nonfinite == 2
    assert s.wrong_count == 3  # a short line, a long one and the 10 kB one
    assert s.malformed == 3  # ERR, x3, binary garbage


def test_endless_line_without_newline_is_dropped_and_reading_resumes():
    ls = LineStream()
    ls.feed(b"\n" + numbered(10), 0.0)
    ls.feed(numbered(1, start=10), 0.5)
    for _ in range(5):
        ls.feed(b"7" * 10_000, 0.1)
    batch = ls.feed(b"\n" + numbered(5, start=100), 0.5)
    assert ls.stats.too_long == 1
    np.testing.assert_array_equal(batch.values[:, 1], np.arange(100, 105))


def test_garbage_at_a_wrong_baud_never_locks_a_layout():
    rng = np.random.default_rng(1)
    ls = LineStream()
    for k in range(50):
        ls.feed(rng.integers(0, 256, 512, dtype=np.uint8).tobytes(), k * 0.01)
    assert ls.layout is None
    assert ls.stats.lines == 0


def test_a_column_count_that_changes_is_skipped_then_redetected():
    data = b"\n" + numbered(100) + b"".join(b"%d,%d\n" % (i, i) for i in range(100))
    ls, _rows = feed_all(data)
    assert ls.layout is not None and ls.layout.axes == 2
    # every line is accounted for: nothing silently lost
    assert ls.stats.lines + ls.stats.wrong_count == 200


def test_column_change_is_skipped_when_relayout_is_not_allowed():
    ls = LineStream(allow_relayout=False)
    ls.feed(b"\n" + numbered(100), 1.0)
    ls.feed(numbered(1, start=100), 1.5)
    batch = ls.feed(b"".join(b"%d,%d\n" % (i, i) for i in range(100)) + numbered(3), 2.0)
    assert ls.layout is not None and ls.layout.axes == 3
    assert batch.values.shape == (3, 3)
    assert ls.stats.wrong_count == 100


def test_fast_and_line_by_line_parsing_agree_on_random_numbers():
    rng = np.random.default_rng(7)
    values = rng.normal(0, 1000, (2000, 6))
    text = "\n".join(",".join(f"{v:.6g}" for v in row) for row in values) + "\n"
    ls, rows = feed_all(b"\n" + text.encode(), chunk=4096)
    expected = np.array([[float(f"{v:.6g}") for v in row] for row in values])
    np.testing.assert_array_equal(rows, expected)
