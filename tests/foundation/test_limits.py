"""Every size a user types is checked before anything is allocated: nan, inf, zero, negative and absurd
values are refused with one line naming the option, on the command line and in the core calls the GUI makes."""

import json
import subprocess
import sys

import numpy as np
import pytest

from cli_helpers import run_cli
from tinystudio.core.errors import UserError
from tinystudio.core.formats import import_files
from tinystudio.core.formats.edge_impulse import edge_impulse_document
from tinystudio.core.impulse import WindowConfig
from tinystudio.core.segments import crop, cut_segment
from tinystudio.core.split import assign_splits
from tinystudio.core.store import Project
from tinystudio.core.windows import window_project
from tinystudio.device.simboard import SimBoard


@pytest.fixture
def proj(tmp_path):
    """A small split project: 12 recordings of 20 s at 50 Hz, 3 axes."""
    path = tmp_path / "p.tsproj"
    rng = np.random.default_rng(1)
    with Project.create(path) as p:
        for i in range(12):
            p.add_sample(rng.normal(size=(1000, 3)).astype(np.float32), 50.0, ["x", "y", "z"], "ab"[i % 2])
        assign_splits(p)
    return path


@pytest.mark.parametrize(
    ("argv", "option"),
    [
        (["train", "{p}", "--window-ms", "1e9"], "--window-ms"),
        (["train", "{p}", "--window-ms", "nan"], "--window-ms"),
        (["train", "{p}", "--window-ms", "-200"], "--window-ms"),
        (["train", "{p}", "--stride-ms", "0"], "--stride-ms"),
        (["train", "{p}", "--stride-ms", "inf"], "--stride-ms"),
        (["train", "{p}", "--lr", "inf"], "--lr"),
        (["samples", "{p}", "1", "--crop", "nan", "nan"], "--crop"),
        (["samples", "{p}", "1", "--crop", "0", "inf"], "--crop"),
        (["samples", "{p}", "1", "--cut", "nan", "2", "tap"], "--cut"),
        (["capture", "{p}", "--simulated", "--label", "a", "--seconds", "inf"], "--seconds"),
        (["capture", "{p}", "--simulated", "--label", "a", "--seconds", "1", "--timeout", "nan"], "--timeout"),
        (["simboard", "--rate", "1e9"], "--rate"),
        (["simboard", "--rate", "1e300"], "--rate"),
        (["simboard", "--rate", "nan"], "--rate"),
        (["import", "{p}", "{p}", "--rate", "inf"], "--rate"),
        (["import", "{p}", "{p}", "--rate", "0"], "--rate"),
    ],
)
def test_cli_refuses_bad_sizes_in_one_line(proj, argv, option):
    code, out, err = run_cli(*[a.replace("{p}", str(proj)) for a in argv])
    assert code != 0 and out == ""
    assert err.count("\n") == 1 and err.startswith(f"tinystudio: error: {option} "), err
    assert " must be " in err and "Traceback" not in err


CHILD = r"""
import json, resource, sys
resource.setrlimit(resource.RLIMIT_AS, (6 << 30, 6 << 30))  # an old build must fail here, not take the machine
from tinystudio.cli.main import main
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
try:
    code = main(["train", sys.argv[1], "--window-ms", "1e9", "--epochs", "1"])
except MemoryError:
    code = "MemoryError"
print(json.dumps({"code": code, "grew_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - base}))
"""


def test_huge_window_is_refused_before_any_allocation(proj):
    out = subprocess.run([sys.executable, "-c", CHILD, str(proj)], capture_output=True, text=True, timeout=300)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result["code"] == 1, out.stderr
    assert out.stderr.count("\n") == 1 and "--window-ms must be at most" in out.stderr
    assert result["grew_kb"] < 50_000  # nothing near the 24 GB the window would have taken


def test_windows_are_checked_against_the_data_and_memory_in_core(proj):
    with Project.open(proj) as p:
        with pytest.raises(UserError, match=r"longer than the longest recording \(20 s\): choose at most 20000 ms"):
            window_project(p, WindowConfig(window_ms=60_000, stride_ms=1000))
        with pytest.raises(UserError, match="window stride"):
            window_project(p, WindowConfig(window_ms=1000, stride_ms=float("nan")))
        long_id = p.add_sample(np.zeros((2_000_000, 3), np.float32), 50.0, ["x", "y", "z"], "a", split="train")
        with pytest.raises(UserError, match="GiB of memory"):  # 40,000 s at 50 Hz, one-frame stride
            window_project(p, WindowConfig(window_ms=3_000_000, stride_ms=1))
        p.delete([long_id])


def test_crop_and_cut_bounds_in_core(proj):
    with Project.open(proj) as p:
        sid = p.samples()[0].id
        for start, end in ((float("nan"), float("nan")), (0.0, float("inf")), (5.0, 2.0)):
            with pytest.raises(UserError, match="selection"):
                crop(p, sid, start, end)
            with pytest.raises(UserError, match="selection"):
                cut_segment(p, sid, start, end, "tap")
        assert p.sample_info(sid).frames == 1000


@pytest.mark.parametrize("rate", [1e9, 1e300, float("nan"), float("inf"), 0.0, -5.0])
def test_simulated_board_rate(rate):
    with pytest.raises(UserError, match="simulated board's rate"):
        SimBoard(rate_hz=rate)


@pytest.mark.parametrize(("interval", "message"), [(1e-300, "at most 1000000"), (0, "positive"), (-2, "positive")])
def test_edge_impulse_interval(tmp_path, interval, message):
    doc = edge_impulse_document(np.ones((4, 1), np.float32), 100.0, ["x"], [""])
    doc["payload"]["interval_ms"] = interval
    path = tmp_path / "tick.json"
    path.write_text(json.dumps(doc))
    with Project.create(tmp_path / "e.tsproj") as p:
        with pytest.raises(UserError, match=f"tick.json: .*interval_ms.*{message}"):
            import_files(p, [path])


def test_csv_timestamps_giving_an_absurd_rate(tmp_path):
    path = tmp_path / "fast.csv"
    path.write_text("time (s),x\n0,1\n1e-300,2\n2e-300,3\n")
    with Project.create(tmp_path / "c.tsproj") as p:
        with pytest.raises(UserError, match=r"fast.csv: the rate from the 'time' column must be at most"):
            import_files(p, [path])
