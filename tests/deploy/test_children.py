"""`tinystudio deploy` never leaves an emulator behind: terminated (SIGTERM) or killed (SIGKILL) while
QEMU runs the board, the command takes QEMU with it."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("qemu_available")]

REPO = Path(__file__).resolve().parents[2]


def _children_named(parent: int, name: str) -> list[int]:
    """Processes whose parent is ``parent`` and whose command name is ``name`` (from /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        comm = stat[stat.index("(") + 1 : stat.rindex(")")]
        ppid = int(stat[stat.rindex(")") + 2 :].split()[1])
        if ppid == parent and comm == name[:15]:
            found.append(int(entry.name))
    return found


def _running(pid: int) -> bool:
    """True while ``pid`` exists and is not a zombie (a dead process not yet reaped uses no CPU)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat[stat.rindex(")") + 2] not in "ZX"


def _wait_until(predicate, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return predicate()


@pytest.fixture(scope="module")
def shared_copy(trained, tmp_path_factory) -> Path:
    """One copy for both signals, so the second deploy reuses the first one's firmware build."""
    dest = tmp_path_factory.mktemp("children") / "bm.tsproj"
    shutil.copy(trained.path, dest)
    return dest


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL], ids=["SIGTERM", "SIGKILL"])
def test_stopping_deploy_stops_qemu(shared_copy, sig):
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))}
    proc = subprocess.Popen(
        [sys.executable, "-m", "tinystudio", "deploy", str(shared_copy), "--target", "mps2-an386", "--json"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )
    qemu: list[int] = []
    try:
        assert _wait_until(lambda: bool(qemu.extend(_children_named(proc.pid, "qemu-system-arm")) or qemu)
                           or proc.poll() is not None, 600), "QEMU never started"
        assert qemu, f"deploy ended before QEMU ran: {proc.communicate()[1][-500:]}"
        os.kill(proc.pid, sig)
        _, err = proc.communicate(timeout=60)
        assert _wait_until(lambda: not any(_running(pid) for pid in qemu), 10), "QEMU outlived tinystudio deploy"
        if sig == signal.SIGTERM:
            assert proc.returncode == 128 + signal.SIGTERM
            assert "terminated" in err and "Traceback" not in err
        else:
            assert proc.returncode == -signal.SIGKILL
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        for pid in qemu:  # whatever the outcome, leave no emulator behind on the test machine
            if _running(pid):
                os.kill(pid, signal.SIGKILL)


def test_qemu_killed_mid_test_is_one_line_and_a_retry_completes(shared_copy):
    """The emulator dies while `tinystudio deploy` streams the test split: one line naming how far it got
    (no SerialException traceback), the measured windows stored, and the next deploy finishes the rest."""
    import json
    import pty
    import re
    import select

    from tinystudio.core.store import Project

    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))}
    main_fd, term_fd = pty.openpty()  # progress is printed only to a terminal: read it from one
    proc = subprocess.Popen(
        [sys.executable, "-m", "tinystudio", "deploy", str(shared_copy), "--target", "mps2-an386"],
        stdout=subprocess.PIPE, stderr=term_fd, text=True, env=env,
    )
    os.close(term_fd)
    qemu: list[int] = []
    screen = ""
    try:
        deadline = time.monotonic() + 600
        while "window 5/" not in screen and time.monotonic() < deadline and proc.poll() is None:
            if select.select([main_fd], [], [], 0.2)[0]:
                try:
                    screen += os.read(main_fd, 4096).decode(errors="replace")
                except OSError:
                    break
        assert "window 5/" in screen, screen[-300:]
        qemu = _children_named(proc.pid, "qemu-system-arm")
        assert qemu, "QEMU is not running the test"
        for pid in qemu:
            os.kill(pid, signal.SIGKILL)
        proc.wait(timeout=120)
        while select.select([main_fd], [], [], 0.2)[0]:
            try:
                chunk = os.read(main_fd, 4096)
            except OSError:
                break
            if not chunk:
                break
            screen += chunk.decode(errors="replace")
    finally:
        os.close(main_fd)
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        for pid in qemu:
            if _running(pid):
                os.kill(pid, signal.SIGKILL)
    assert proc.returncode == 1
    assert "Traceback" not in screen and "SerialException" not in screen
    stopped = re.search(r"tinystudio: error: the board stopped after (\d+) of (\d+) test windows[^\r\n]*", screen)
    assert stopped, screen[-500:]
    done, total = int(stopped.group(1)), int(stopped.group(2))
    assert 5 <= done < total
    with Project.open(shared_copy) as project:
        [partial] = [r for r in project.device_results() if not r["results"]["complete"]]
    assert partial["results"]["measured"] == done

    retry = subprocess.run(
        [sys.executable, "-m", "tinystudio", "deploy", str(shared_copy), "--target", "mps2-an386", "--json"],
        capture_output=True, text=True, env=env, timeout=600,
    )
    assert retry.returncode == 0, retry.stderr[-500:]
    result = json.loads(retry.stdout)
    assert result["windows"] == total == sum(map(sum, result["confusion_matrix"]["counts"]))
    with Project.open(shared_copy) as project:
        rows = project.device_results()
    assert [r["id"] for r in rows] == [result["result_id"]]
    assert rows[0]["results"]["timing"]["resumed_from_window"] == done + 1
