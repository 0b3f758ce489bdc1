"""Serial monitor logs saved from a terminal import as they are: script(1) lines, escape codes, CRLF, no
header row, and recordings separated by lines of dashes."""

import numpy as np
import pytest

from cli_helpers import run_cli
from tinystudio.core.errors import UserError
from tinystudio.core.formats import import_files
from tinystudio.core.store import Project

RNG = np.random.default_rng(7)
RECORDINGS = [RNG.normal(0, 2, size=(n, 6)).round(3).astype(np.float32) for n in (40, 55, 31)]


def _rows(signal, colour):
    out = []
    for i, row in enumerate(signal):
        text = ",".join(f"{v:.3f}" for v in row)
        if colour and i % 9 == 0:
            text = f"\x1b[32m{text}\x1b[0m"  # the sketch colours some lines
        out.append(text + "\r\n")
    return "".join(out)


def write_log(path):
    """What `script -c 'picocom -b 115200 /dev/ttyACM0'` leaves behind for a board printing six axes."""
    text = (
        'Script started on 2026-11-29 21:40:12+00:00 [COMMAND="picocom -b 115200 /dev/ttyACM0" '
        'TERM="xterm-256color" TTY="/dev/pts/3" COLUMNS="120" LINES="40"]\r\n'
        "\x1b]0;picocom\x07\x1b[?2004hpicocom v3.1\r\n"
        "port is        : /dev/ttyACM0\r\n"
        "baudrate is    : 115200\r\n"
        "Terminal ready\r\n"
        "IMU ready, streaming accel+gyro\r\n"
        + _rows(RECORDINGS[0], colour=True)
        + "-,-,-\r\n"
        + _rows(RECORDINGS[1], colour=False)
        + "---\r\n"
        + _rows(RECORDINGS[2], colour=True)
        + "\r\nTerminating...\r\nThanks for using picocom\r\n"
        "\x1b[?2004l\r\nScript done on 2026-11-29 21:41:02+00:00 [COMMAND_EXIT_CODE=\"0\"]\r\n"
    )
    path.write_text(text, encoding="utf-8", newline="")


def test_terminal_log_imports_three_recordings_with_default_axis_names(tmp_path):
    path = tmp_path / "wave.log.csv"
    write_log(path)
    with Project.create(tmp_path / "p.tsproj") as p:
        report = import_files(p, [path], rate_hz=50)
        samples = p.samples()
        assert len(samples) == 3
        for info, want in zip(samples, RECORDINGS, strict=True):
            assert info.axis_names == ("axis1", "axis2", "axis3", "axis4", "axis5", "axis6")
            assert info.label == "wave" and info.rate_hz == 50.0
            np.testing.assert_array_equal(p.load_signal(info.id), want)
        assert report.skipped_lines["noise"] >= 8  # the script and picocom lines, counted, not imported


def test_axes_name_the_columns_from_the_cli(tmp_path):
    path = tmp_path / "wave.txt"
    write_log(path)
    proj = tmp_path / "cli.tsproj"
    assert run_cli("new", str(proj))[0] == 0
    code, out, err = run_cli("import", str(proj), str(path), "--rate", "50",
                             "--axes", "accX,accY,accZ,gyrX,gyrY,gyrZ")
    assert code == 0, err
    assert "imported 3 sample(s)" in out
    with Project.open(proj) as p:
        assert {s.axis_names for s in p.samples()} == {("accX", "accY", "accZ", "gyrX", "gyrY", "gyrZ")}
    code, _, err = run_cli("import", str(proj), str(path), "--rate", "50", "--axes", "a,b,c")
    assert code == 1 and err.count("\n") == 1 and "6 columns but 3 axis names" in err


def test_axes_can_name_a_clock_column(tmp_path):
    path = tmp_path / "tap.csv"
    path.write_text("booting...\n0,1,2\n20,3,4\n40,5,6\n---\n0,7,8\n20,9,10\n", encoding="utf-8")
    with Project.create(tmp_path / "p.tsproj") as p:
        import_files(p, [path], axes=["t_ms", "x", "y"])
        a, b = p.samples()
        assert a.axis_names == ("x", "y") and a.rate_hz == b.rate_hz == 50.0
        np.testing.assert_array_equal(p.load_signal(b.id), [[7, 8], [9, 10]])


def test_header_after_chatter_is_still_the_header(tmp_path):
    path = tmp_path / "s.csv"
    path.write_text("Script started on 2026-11-29 21:40:12+00:00\r\nready\r\nms,ax,ay\r\n0,1,2\r\n10,3,4\r\n")
    with Project.create(tmp_path / "p.tsproj") as p:
        report = import_files(p, [path])
        (info,) = p.samples()
        assert info.axis_names == ("ax", "ay") and info.rate_hz == 100.0 and report.skipped_lines["noise"] == 2


def test_crcrlf_from_a_terminal_is_one_line_end(tmp_path):
    path = tmp_path / "c.csv"
    path.write_bytes(b"1,2\r\r\n3,4\r\r\n5,6\r\r\n")
    with Project.create(tmp_path / "p.tsproj") as p:
        import_files(p, [path], rate_hz=10)
        (info,) = p.samples()
        assert info.frames == 3


def test_chatter_only_file_is_still_refused(tmp_path):
    path = tmp_path / "n.csv"
    path.write_text("Script started on 2026-11-29\r\nhello\r\n")
    with Project.create(tmp_path / "p.tsproj") as p:
        with pytest.raises(UserError, match="no data rows"):
            import_files(p, [path])


@pytest.mark.parametrize("axes", [None, ["accX", "accY", "accZ"]])
def test_first_line_cut_short_by_the_serial_link_is_skipped(tmp_path, axes):
    path = tmp_path / "cut.csv"
    path.write_text("ax,ay,az\r\n.98,0.02\r\n0.01,0.02,0.98\r\n0.03,0.01,0.97\r\n", encoding="utf-8")
    headerless = tmp_path / "cut2.csv"
    headerless.write_text("2,0.98\r\n0.01,0.02,0.98\r\n0.03,0.01,0.97\r\n", encoding="utf-8")
    with Project.create(tmp_path / "p.tsproj") as p:
        report = import_files(p, [path, headerless], rate_hz=10, axes=axes)
        a, b = p.samples()
        assert a.axis_names == ("ax", "ay", "az") and b.axis_names == tuple(axes or ("axis1", "axis2", "axis3"))
        for info in (a, b):
            np.testing.assert_array_equal(p.load_signal(info.id), np.float32([[0.01, 0.02, 0.98], [0.03, 0.01, 0.97]]))
        assert report.skipped_lines["truncated"] == 2
