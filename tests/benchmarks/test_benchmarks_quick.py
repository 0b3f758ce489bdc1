"""Benchmarks cannot rot: every script in this folder runs in its quick mode (tiny sizes) and prints its
figure lines. Figures are not judged: only that each script still runs to the end and reports them."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tinystudio.core.compress import METHODS

pytestmark = pytest.mark.slow

HERE = Path(__file__).resolve().parent
NUMBER = r"[\d,.]+"
HAS_QEMU_BOARD = all(shutil.which(tool) for tool in ("qemu-system-arm", "arm-none-eabi-gcc"))

# The lines each script must print (regular expressions, one line each).
FIGURES: dict[str, list[str]] = {
    "bench_capture.py": [
        rf"sustained rate\s+{NUMBER} lines/s",
        r"lines lost\s+\d+",
        rf"frames painted\s+{NUMBER} per second",
        rf"update cost\s+mean {NUMBER} ms",
    ],
    "bench_import.py": [rf"rows/second\s+median {NUMBER}", rf"import peak memory above start: median {NUMBER} MB"],
    "bench_training.py": [
        rf"^mfcc\s+audio .*\s{NUMBER}\s+{NUMBER}$",
        rf"wall time, first run .*: {NUMBER} s",
        rf"validation accuracy {NUMBER}, test accuracy {NUMBER}",
    ],
    "bench_presets.py": [
        rf"^{data}\s+{preset}\s+{dsp}\s+\d+\s+{NUMBER}\s+{NUMBER}\s+\d+\s+{NUMBER}\s+{NUMBER}\s+(yes|no)"
        for data in ("BasicMotions", "shoulder") for preset, dsp in (("dense", "spectral"),)  # --quick: first preset
    ],
    "bench_compress.py": [rf"^{method}\s+{NUMBER}s\s" for method in METHODS],
    "bench_deploy.py": [
        rf"quantize \(int8 PTQ.*: {NUMBER} s",
        rf"^host\s+dsp_on_board cold\s+{NUMBER}s",
        rf"^host\s+features_from_host cold\s+{NUMBER}s",
        rf"host\s+int8 features\s+median\s+{NUMBER} ms",
        *([rf"^mps2-an386\s+dsp_on_board cold\s+{NUMBER}s.*emulated instructions"] if HAS_QEMU_BOARD else []),
    ],
    "bench_classical.py": [
        *(rf"^random forest \d+x d8\s+ours {layout}\s+{NUMBER}\s+{NUMBER}\s+{NUMBER}%"
          for layout in ("tables", "inline")),
        rf"^random forest \d+x d8\s+emlearn\s+{NUMBER}\s+{NUMBER}\s+{NUMBER}%",
        rf"^GBT \d+ stages d3\s+ours inline\s+{NUMBER}\s+{NUMBER}\s+{NUMBER}%",
    ],
    "bench_tune.py": [
        *(rf"^{row}\s+{NUMBER} ± {NUMBER}\s" for row in (r"baseline: RF on window stats", r"preset dense \(spectral\)",
                                                         r"preset rf \(spectral\)",
                                                         r"preset extra trees \(statistics\)", "tuned")),
        rf"^tuned \(deployed model\) {NUMBER} vs baseline {NUMBER}.*: (beats|does NOT beat) the baseline",
    ],
    "bench_codegen_host.py": [r"^motion_cnn_1d\s+(speed|size)\s+\d+\s+\d+"],
    "bench_firmware_qemu.py": [
        rf"^1D CNN\s+gcc\s+{NUMBER}M\s+{NUMBER}M",
        rf"^\s+\d+ MAX_POOL_2D\s+1x48x1x8\s+{NUMBER}\s",  # --quick: the per-layer profile too
        rf"^\s+sum of layers {NUMBER} of {NUMBER} emulated instructions",
    ],
    "bench_boards_qemu.py": [
        # quick mode: one board per kernel kind (plain C, DSP extension, Helium against DSP)
        *(rf"^{board}\s+{core}\s+1D CNN\s+{kernels}\s+{NUMBER}M\s+\d+\s+\d+"
          for board, core, kernels in (("microbit", "Cortex-M0", "plain"), ("mps2-an386", "Cortex-M4F", "dsp"),
                                       ("mps3-an547", "Cortex-M55", "mve"), ("mps3-an547", "Cortex-M55", "dsp"))),
        rf"^Cortex-M55 1D CNN: Helium kernels take {NUMBER}x the instructions of the DSP-only build",
    ],
    "bench_dsp_qemu.py": [
        rf"^{row}\s+{NUMBER}M\s+{NUMBER}M\s+{NUMBER}\s+(met|NOT met)\s+{NUMBER}"
        for row in (r"KWS MFCC \+ DS-CNN", r"motion raw \+ cnn1d")
    ],
    "bench_board_test.py": [
        rf"^{path}\s+100\s+{NUMBER}s" + rf"\s+-?{NUMBER}s" * 6 + rf"\s+{NUMBER}ms\s+{NUMBER}%"
        for path in (r"in memory int16 pipelined \(DSP on board\)", r"streamed int16 pipelined \(DSP on board\)",
                     "in memory int8 pipelined", "streamed int8 pipelined")
    ],
}
NEEDS_QEMU_BOARD = {"bench_firmware_qemu.py", "bench_boards_qemu.py", "bench_classical.py", "bench_board_test.py",
                    "bench_dsp_qemu.py"}


def test_every_benchmark_script_is_covered():
    assert sorted(p.name for p in HERE.glob("bench_*.py")) == sorted(FIGURES)


@pytest.mark.parametrize("script", sorted(FIGURES))
def test_quick_mode_runs_and_prints_its_figures(script, tmp_path):
    if script in NEEDS_QEMU_BOARD and not HAS_QEMU_BOARD:
        pytest.skip("qemu-system-arm or arm-none-eabi-gcc is not installed")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run([sys.executable, str(HERE / script), "--quick"], cwd=tmp_path, env=env,
                            capture_output=True, text=True, timeout=600)  # fmt: skip
    assert result.returncode == 0, f"{script} --quick failed:\n{result.stdout[-1500:]}\n{result.stderr[-3000:]}"
    missing = [p for p in FIGURES[script] if not re.search(p, result.stdout, re.MULTILINE)]
    assert not missing, f"{script} --quick did not print {missing}:\n{result.stdout[-3000:]}"
