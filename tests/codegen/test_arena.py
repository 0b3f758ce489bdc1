"""The static plan never needs more RAM than TFLM's arena for the same model, and never overlaps live data."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

import suite_models
from tinystudio.core.codegen import generate

_PROBE = """
import sys
from tflite_micro.python.tflite_micro import runtime
interp = runtime.Interpreter.from_bytes(open(sys.argv[1], "rb").read(), arena_size=int(sys.argv[2]))
interp.print_allocations()
"""


def tflm_arena_bytes(path: Path) -> int:
    """TFLM's arena total, read from print_allocations() on the C stderr (in a subprocess: it may crash)."""
    result = subprocess.run(
        [sys.executable, "-c", _PROBE, str(path), str(8 << 20)], capture_output=True, text=True, timeout=120
    )
    match = re.search(r"Arena allocation total (\d+) bytes", result.stderr + result.stdout)
    assert match, result.stderr[-2000:]
    return int(match.group(1))


@pytest.mark.slow
@pytest.mark.parametrize("name", list(suite_models.APP_MODELS))
def test_arena_not_larger_than_tflm(name, suite_model, tmp_path):
    suite_model(name)
    ours = generate(suite_model(name), tmp_path / "gen").arena_bytes
    theirs = tflm_arena_bytes(suite_models.build_file(name))
    print(f"{name}: ours {ours} B, TFLM {theirs} B")
    assert ours <= theirs


@pytest.mark.parametrize("name", ["motion_cnn_1d", "add_relu_broadcast", "concatenation", "mul_two_branches"])
def test_live_tensors_never_share_memory(name, suite_model, tmp_path):
    report = generate(suite_model(name), tmp_path / "gen")
    arena = [t for t in report.tensors if t.location == "arena"]
    for i, a in enumerate(arena):
        assert a.offset + a.nbytes <= report.arena_bytes
        for b in arena[i + 1 :]:
            overlap_time = a.first_step <= b.last_step and b.first_step <= a.last_step
            overlap_space = a.offset < b.offset + b.nbytes and b.offset < a.offset + a.nbytes
            same_buffer = a.offset == b.offset and a.nbytes == b.nbytes
            # Aliases (reshape) and in-place ops hand one buffer from a dying tensor to its successor.
            assert not (overlap_time and overlap_space and not same_buffer), (a, b)
