"""`tinystudio report --out` given what a shell can pass: an empty name, a name longer than the file system
allows, a named pipe (or /dev/stdout) to stream the page into, and a link to the real file. Each is one line
or the page written where the user pointed, never a traceback and never the pipe or link replaced by a file."""

from __future__ import annotations

import os
import stat
import threading
from pathlib import Path

import pytest

from cli_helpers import run_cli


@pytest.mark.parametrize("out", ["", "x" * 300 + ".html", "é" * 200 + ".html"])
def test_a_name_the_file_system_cannot_take_is_one_line(forest_copy: Path, tmp_path: Path, out: str, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, _out, err = run_cli("report", str(forest_copy), "--out", out)
    assert code != 0 and "Traceback" not in err
    assert err.startswith("tinystudio: error:") and err.count("\n") == 1, err


def test_a_named_pipe_receives_the_page_and_stays_a_pipe(forest_copy: Path, tmp_path: Path):
    fifo = tmp_path / "page.html"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    code, out, err = run_cli("report", str(forest_copy), "--out", str(fifo))
    if code != 0:  # unblock the reader before failing
        with open(fifo, "wb"):
            pass
    reader.join(60)
    assert code == 0, err
    assert stat.S_ISFIFO(fifo.lstat().st_mode)  # the old code renamed a regular file over the pipe
    assert received and received[0].startswith(b"<!DOCTYPE html>")
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_a_link_to_the_report_keeps_pointing_at_it(forest_copy: Path, tmp_path: Path):
    real = tmp_path / "shared" / "report.html"
    real.parent.mkdir()
    link = tmp_path / "latest.html"
    link.symlink_to(real)
    code, _out, err = run_cli("report", str(forest_copy), "--out", str(link))
    assert code == 0, err
    assert link.is_symlink() and real.read_text().startswith("<!DOCTYPE html>")
