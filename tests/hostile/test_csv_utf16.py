"""A recording saved by Excel as "Unicode text" (or by a Windows tool): UTF-16 with its byte-order mark, tab
separated. Read as UTF-8 the header began with garbage ('\ufffd\ufffdtimestamp', so no clock was found) and
every NUL after a line end made a blank line: with --rate, each row became a sample of one frame with the
clock as an axis. Now UTF-16 (with a mark or without one) is read as the text it is."""

from __future__ import annotations

from pathlib import Path

import pytest

from cli_helpers import run_cli
from tinystudio.core.store import Project


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_a_utf16_recording_imports_as_one_timed_sample(tmp_path: Path, encoding: str):
    text = "timestamp\tx\ty\r\n" + "".join(f"{10 * i}\t{i}\t{-i}\r\n" for i in range(30))
    (tmp_path / "excel.txt").write_bytes(text.encode(encoding))
    project = tmp_path / "p.tsproj"
    assert run_cli("new", str(project))[0] == 0
    code, _out, err = run_cli("import", str(project), str(tmp_path / "excel.txt"), "--label", "tilt")
    assert code == 0, err
    with Project.open(project) as p:
        [info] = p.samples()
        assert (info.axis_names, info.frames, info.rate_hz) == (("x", "y"), 30, 100.0)
        assert p.load_signal(info.id)[29].tolist() == [29.0, -29.0]
