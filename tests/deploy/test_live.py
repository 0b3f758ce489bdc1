"""Live classification on the board: the deployed image classifies its simulated sensor, which plays the
project's own test recordings from memory; the board's top class equals the host's int8 reference on the very
samples the board sent; the last seconds land in the project as a labelled sample; `tinystudio live` ends
after --seconds or SIGTERM with no board process left."""

from __future__ import annotations

import json
import os
import signal
import struct
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from cli_helpers import run_cli
from process_helpers import killed_after
from tinystudio.app.live import LiveHistory, LiveWindow, _launch, prepare_live, run_live, save_last
from tinystudio.core.progress import CancelToken
from tinystudio.core.store import Project, content_hash
from tinystudio.device.live_link import LiveLink, LiveSamples, LiveScores
from tinystudio.device.runner_client import DeviceError
from tinystudio.device.runner_protocol import Caps, ErrorCode

pytestmark = pytest.mark.slow
WINDOWS = 6


def _until(windows: int, cancel: CancelToken, seen: list[LiveWindow]):
    def on_window(w: LiveWindow) -> None:
        seen.append(w)
        if len(seen) >= windows:
            cancel.cancel()

    return on_window


def _live_matches_host(project: Project, target: str) -> None:
    plan = prepare_live(project, target)
    assert plan.tape is not None and "test recordings" in plan.source
    history = LiveHistory(plan.rate_hz, len(plan.axis_names))
    cancel, seen = CancelToken(), []
    summary = run_live(plan, history, paced=False, cancel=cancel, on_window=_until(WINDOWS, cancel, seen))
    assert summary.windows >= WINDOWS and len(seen) == summary.windows
    # The board classified what its sensor played: the project's test recordings, frame for frame.
    signal_, first = history.last(history.seconds)
    assert first == 0 and len(signal_) == summary.samples
    assert np.array_equal(signal_, plan.tape[: len(signal_)])
    # Every window's top class equals the host's int8 reference on the same samples.
    assert all(w.host_top is not None for w in seen)
    assert [w.top for w in seen] == [w.host_top for w in seen]
    assert summary.agreement == 1.0
    assert [w.index for w in seen] == list(range(len(seen)))
    hop_s = plan.hop_frames / plan.rate_hz
    assert seen[0].end_s == pytest.approx(plan.window_frames / plan.rate_hz)
    assert np.allclose(np.diff([w.end_s for w in seen]), hop_s)
    assert all(w.truth in plan.labels for w in seen)
    if target != "host":  # emulated instructions; the host board's microseconds may round to 0
        assert all(w.nn_count > 0 and w.dsp_count > 0 and w.ms_estimate for w in seen)
    assert all(abs(sum(w.probabilities) - 1.0) < 0.05 for w in seen)


def test_live_on_the_host_board_matches_the_host_model_and_saves_the_last_seconds(project):
    _live_matches_host(project, "host")
    plan = prepare_live(project, "host")
    history = LiveHistory(plan.rate_hz, len(plan.axis_names))
    cancel, seen = CancelToken(), []
    run_live(plan, history, paced=False, check_host=False, cancel=cancel, on_window=_until(3, cancel, seen))
    before = {s.id for s in project.samples()}
    seconds = 2.5
    expected, _first = history.last(seconds)
    sample_id = save_last(project, plan, history, seconds, "walking")
    assert sample_id not in before
    info = next(s for s in project.samples() if s.id == sample_id)
    assert info.label == "walking" and info.frames == round(seconds * plan.rate_hz)
    assert tuple(info.axis_names) == tuple(plan.axis_names) and info.rate_hz == plan.rate_hz
    stored = project.load_signal(sample_id)
    assert np.array_equal(stored, expected)
    assert info.content_hash == content_hash(expected, plan.rate_hz)
    # The stretch came from test recordings: it stays in the test split, in its recording's group.
    assert info.split == "test"
    assert info.group is not None
    assert info.source == "live"


@pytest.mark.usefixtures("qemu_available")
@pytest.mark.parametrize("target", ["mps2-an386", "microbit"])  # the tape in spare RAM, or in flash after the image
def test_live_on_an_emulated_board_matches_the_host_model(project, target):
    _live_matches_host(project, target)


def test_without_room_for_the_recordings_the_board_plays_its_waves_and_says_so(project):
    plan = prepare_live(project, "host")
    plan.tape, plan.segments = None, []  # as on a board with no memory to place the recordings in
    assert "built-in waves" in plan.source and "mean nothing" in plan.source
    history = LiveHistory(plan.rate_hz, len(plan.axis_names))
    cancel, seen = CancelToken(), []
    summary = run_live(plan, history, paced=False, cancel=cancel, on_window=_until(2, cancel, seen))
    assert summary.windows >= 2 and summary.agreement == 1.0  # still classified, and the host agrees
    signal_, _first = history.last(history.seconds)
    # the sensor has three axes, the model six: the rest are zero, and nothing of the tape's data is there
    assert np.any(signal_[:, :3] != 0) and not np.any(signal_[:, 3:])
    assert all(w.truth is None for w in seen)


def test_live_protocol_refuses_bad_requests_and_honours_its_credit(project):
    plan = prepare_live(project, "host")
    with _launch(plan) as link:
        assert link.client.hello().caps & Caps.LIVE
        live = LiveLink(link.port)
        with pytest.raises(DeviceError) as bad:
            live.start(0, 0.1, len(plan.axis_names), paced=False)
        assert bad.value.code == ErrorCode.BAD_PAYLOAD
        started = live.start(plan.hop_frames, 0.1, len(plan.axis_names), paced=False, credit=2)
        assert (started.window_frames, started.axes, started.hop) == (plan.window_frames, len(plan.axis_names),
                                                                    plan.hop_frames)
        assert started.tape_frames == len(plan.tape) and started.tape_axes == len(plan.axis_names)
        windows: list[LiveScores] = []
        samples = 0
        while len(windows) < 2:
            for event in live.read(1.0):
                if isinstance(event, LiveScores):
                    windows.append(event)
                elif isinstance(event, LiveSamples):
                    samples += len(event.frames)
        assert [w.end_sample for w in windows] == [plan.window_frames, plan.window_frames + plan.hop_frames]
        assert samples == windows[-1].end_sample
        assert not [e for e in live.read(0.5) if isinstance(e, LiveScores)]  # no credit left: the board waits
        events, counts = live.stop()
        assert counts["windows"] == 2 and counts["credit"] == 0
        assert link.client.hello().model_hash  # the runner answers requests again


def test_stopping_live_mid_hop_sends_every_sample_the_board_counted(project):
    # Paced at one sample a second, the board has read a sample but not yet a window when it is stopped: the
    # stop's count must not name samples the host never got (the live summary over-counted them, and the
    # last seconds a user saves lacked them).
    plan = prepare_live(project, "host")
    assert plan.tape is not None
    with _launch(plan) as link:
        link.client.hello()
        live = LiveLink(link.port)
        live.start(plan.hop_frames, 1.0, len(plan.axis_names), paced=True)
        early = live.read(0.3)
        events, counts = live.stop()
        sent = [e for e in early + events if isinstance(e, LiveSamples)]
        assert counts["windows"] == 0 and counts["samples"] >= 1
        assert sum(len(e.frames) for e in sent) == counts["samples"]
        assert sent[0].first == 0
        assert np.array_equal(np.concatenate([e.frames for e in sent]), plan.tape[: counts["samples"]])


def test_live_start_length_is_checked_by_the_board(project):
    plan = prepare_live(project, "host")
    with _launch(plan) as link:
        link.client.hello()
        with pytest.raises(DeviceError) as bad:
            link.client.request(0x12, struct.pack("<II", 1, 2))
        assert bad.value.code == ErrorCode.BAD_PAYLOAD


def test_cli_live_json_lines_save_last_and_stop_after_seconds(project_copy):
    code, out, err = run_cli("live", str(project_copy), "--target", "host", "--fast", "--seconds", "2",
                             "--json", "--save-last", "1.5", "--label", "badminton")
    assert code == 0, err
    lines = [json.loads(line) for line in out.splitlines()]
    assert lines[0]["type"] == "start" and lines[-1]["type"] == "summary"
    windows = [line for line in lines if line["type"] == "window"]
    assert windows and all(w["top"] in lines[0]["labels"] for w in windows)
    assert all(w["host_top"] == w["top"] for w in windows)
    summary = lines[-1]
    assert summary["windows"] == len(windows)
    with Project.open(project_copy) as project:
        info = next(s for s in project.samples() if s.id == summary["saved_sample"])
        assert info.label == "badminton" and info.frames == round(1.5 * lines[0]["rate_hz"])
    assert not _board_processes(project_copy)


def test_cli_live_without_the_host_check_reports_no_agreement(project_copy):
    code, out, err = run_cli("live", str(project_copy), "--target", "host", "--fast", "--seconds", "1",
                             "--json", "--no-host-check")
    assert code == 0, err
    lines = [json.loads(line) for line in out.splitlines()]
    windows = [line for line in lines if line["type"] == "window"]
    assert windows and all(w["host_top"] is None for w in windows)
    assert lines[-1]["host_agreement"] is None and lines[-1]["windows"] == len(windows)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--save-last", "2"], "--save-last and --label go together"),
        (["--variant", "999"], "no model variant with id 999"),
        (["--port", "/dev/ttyACM0"], "a serial port or probe is given only for a real board; host is not one"),
    ],
)
def test_cli_live_bad_arguments_are_one_clear_line(project_copy, args, message):
    code, out, err = run_cli("live", str(project_copy), "--target", "host", *args)
    assert code == 1 and out == ""
    assert message in err and len(err.strip().splitlines()) == 1


def _board_processes(project_path: Path) -> list[int]:
    """Processes still running an image built in this project's cache folder."""
    cache = str(Path(project_path).resolve().parent)
    found = []
    for pid in os.listdir("/proc"):
        if not pid.isdigit() or int(pid) == os.getpid():
            continue
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if cache in cmdline and ("host_board" in cmdline or "qemu-system" in cmdline):
            found.append(int(pid))
    return found


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_cli_live_ends_on_sigterm_or_ctrl_c_with_no_board_left(project_copy, sig):
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    proc = subprocess.Popen([sys.executable, "-m", "tinystudio", "live", str(project_copy), "--target", "host",
                             "--json"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True)
    try:
        assert proc.stdout is not None
        lines = []
        with killed_after(proc):
            while len(lines) < 2:  # the start line and the first window: the board is running
                line = proc.stdout.readline()
                assert line, proc.stderr.read() if proc.stderr else ""
                lines.append(json.loads(line))
        assert lines[1]["type"] == "window"
        assert _board_processes(project_copy)
        proc.send_signal(sig)
        if sig == signal.SIGTERM:  # at once
            assert proc.wait(timeout=30) == 128 + signal.SIGTERM
        else:  # Ctrl-C ends the run as --seconds would: the summary comes, the exit is clean
            rest, _err = proc.communicate(timeout=30)
            assert proc.returncode == 0
            assert json.loads(rest.splitlines()[-1])["type"] == "summary"
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert not _board_processes(project_copy)
