"""`tinystudio simboard` unplugged (SIGUSR1) and plugged back in (SIGUSR2) comes back on a new pty, so a
capture reading the path it printed waited for ever. It now prints a link that always names its current
pty (present only while plugged in), and a capture on that link reconnects and records again."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from process_helpers import killed_after
from tinystudio.device.capture import CaptureSession

ENV = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}


def _wait_event(session: CaptureSession, kind: str, seconds: float = 20.0) -> None:
    deadline = time.monotonic() + seconds
    seen = []
    while time.monotonic() < deadline:
        seen += [e.kind for e in session.events()]
        if kind in seen:
            return
        time.sleep(0.05)
    raise AssertionError(f"no {kind!r} event in {seconds:g} s (saw {seen})")


def _board(*args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "tinystudio", "simboard", "--rate", "100", *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=ENV)


def test_a_capture_on_the_printed_link_reconnects_after_a_replug(tmp_path: Path, project):
    link = tmp_path / "board"
    proc = _board("--link", str(link))
    try:
        with killed_after(proc, 60):
            assert proc.stdout is not None
            assert proc.stdout.readline().strip() == str(link)
            first = os.path.realpath(link)
            assert first.startswith("/dev/")
            with CaptureSession(str(link)) as session:
                session.wait_ready(30)
                os.kill(proc.pid, signal.SIGUSR1)
                assert proc.stdout.readline().strip() == "unplugged"
                _wait_event(session, "disconnected")
                assert not os.path.lexists(link)  # no link to a pty number that may go to another terminal
                os.kill(proc.pid, signal.SIGUSR2)
                assert proc.stdout.readline().strip() == str(link)
                _wait_event(session, "reconnected")
                session.wait_ready(30)
                session.start_recording(project, "after-replug", seconds=0.5)
                result = session.wait_recording(30)
            assert result is not None and result.sample_id is not None
            assert project.sample_info(result.sample_id).frames == 50
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=10)
    assert proc.returncode == 0 and not os.path.lexists(link)


def test_a_second_board_cannot_take_a_running_boards_link(tmp_path: Path):
    link = tmp_path / "board"
    first = _board("--link", str(link))
    try:
        with killed_after(first, 60):
            assert first.stdout is not None and first.stdout.readline().strip() == str(link)
            second = _board("--link", str(link))
            with killed_after(second, 60):
                _out, err = second.communicate()
        assert second.returncode != 0
        assert "another running simulated board" in err and len(err.strip().splitlines()) == 1, err
        assert os.path.realpath(link).startswith("/dev/")  # still the first board's
    finally:
        first.send_signal(signal.SIGTERM)
        first.wait(timeout=10)


def test_the_help_says_how_to_reconnect():
    out = subprocess.run([sys.executable, "-m", "tinystudio", "simboard", "--help"], capture_output=True,
                         text=True, env=ENV, timeout=60).stdout
    assert "--link" in " ".join(out.split()) and "reconnects" in " ".join(out.split())



def test_a_capture_never_follows_the_link_of_a_killed_board_to_another_pty(tmp_path: Path):
    """Killed outright, the board leaves its link naming a pty number the next terminal gets (the lowest
    free one): the capture must wait for the board, not read that terminal."""
    link = tmp_path / "board"
    proc = _board("--link", str(link))
    held: list[int] = []
    try:
        with killed_after(proc, 60):
            assert proc.stdout is not None and proc.stdout.readline().strip() == str(link)
        target = os.path.realpath(link)
        with CaptureSession(str(link)) as session:
            session.wait_ready(30)
            proc.kill()
            proc.wait(timeout=10)
            _wait_event(session, "disconnected")
            for _ in range(64):  # open ptys until one gets the killed board's number
                master, slave = os.openpty()
                held += [master, slave]
                if os.ttyname(slave) == target:
                    break
            else:
                pytest.skip("the killed board's pty number went elsewhere")
            os.write(master, b"".join(b"ax:%d,ay:%d\n" % (i, -i) for i in range(200)))
            time.sleep(1.0)  # three reconnect attempts
            assert "reconnected" not in [e.kind for e in session.events()]
            assert session.status().state == "disconnected"
        assert not os.path.lexists(link)  # the dead board's link is cleared away
    finally:
        for fd in held:
            os.close(fd)
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=10)
