"""Codegen figures for the suite's application models.

For each model: our static arena vs TFLM's arena, weight bytes, Cortex-M4 code size of the generated
objects (arm-none-eabi-size: text incl. rodata, split into kernels+model code and constant data),
emulated instructions per inference on QEMU mps2-an386 (-icount shift=0; instruction counts, not
cycles) and host instructions per inference under callgrind, for both optimize="speed" and "size";
models with sparse (pruned) weights get a third row, "dense", generated with sparse="off".

Usage: python tests/benchmarks/bench_codegen_host.py [--quick] [MODEL ...]   (e.g. sparse_fc_50 sparse_fc_95)
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from codegen import armrun  # noqa: E402
from codegen.harness import random_inputs  # noqa: E402
from codegen.test_arena import tflm_arena_bytes  # noqa: E402

import suite_models  # noqa: E402
from tinystudio.core.codegen import generate  # noqa: E402

ARM_CFLAGS = [*armrun.ARM_FLAGS, "-std=c99", "-O2"]


def arm_code_size(folder: Path, work: Path) -> tuple[int, int]:
    """(code bytes of kernels + model.c, constant bytes of model_weights.c) for Cortex-M4."""
    code = data = 0
    for source in sorted(folder.glob("*.c")):
        obj = work / f"{source.stem}.o"
        subprocess.run(["arm-none-eabi-gcc", *ARM_CFLAGS, "-c", str(source), "-o", str(obj)], check=True)
        out = subprocess.run(["arm-none-eabi-size", str(obj)], capture_output=True, text=True, check=True)
        text = int(out.stdout.splitlines()[1].split()[0])
        if source.stem == "model_weights":
            data += text
        else:
            code += text
    return code, data


def callgrind_instructions(folder: Path, work: Path) -> int | None:
    if shutil.which("valgrind") is None:
        return None
    main = work / "host_main.c"
    main.write_text(
        '#include "model.h"\nstatic int8_t in[TS_MODEL_INPUT_BYTES], out[TS_MODEL_OUTPUT_BYTES];\n'
        "int main(void) { unsigned i; for (i = 0; i < sizeof in; ++i) in[i] = (int8_t)(i * 37u);\n"
        "return ts_model_invoke(in, out); }\n"
    )
    exe = work / "host_model"
    sources = [str(p) for p in sorted(folder.glob("*.c"))]
    subprocess.run(["cc", "-std=c99", "-O2", "-I", str(folder), str(main), *sources, "-o", str(exe), "-lm"], check=True)
    out_file = work / "callgrind.out"
    result = subprocess.run(
        [
            "valgrind",
            "--tool=callgrind",
            f"--callgrind-out-file={out_file}",
            "--toggle-collect=ts_model_invoke",
            str(exe),
        ],
        capture_output=True,
        text=True,
    )
    match = re.search(r"Collected : (\d+)", result.stderr)
    return int(match.group(1)) if match else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="tiny sizes, a few seconds: proves the script still runs")
    parser.add_argument("models", nargs="*", help="suite models (default: the application models)")
    args = parser.parse_args()
    names = args.models or (["motion_cnn_1d"] if args.quick else list(suite_models.APP_MODELS))
    arm = armrun.tools_available()
    print(
        f"{'model':20s} {'mode':5s} {'arena':>7s} {'tflm':>7s} {'weights':>8s} {'code':>6s} {'consts':>7s} "
        f"{'qemu instr':>11s} {'host instr':>11s}"
    )
    for name in names:
        tflite = suite_models.build(name)
        tflm = tflm_arena_bytes(suite_models.build_file(name))
        for mode in ("speed", "size", "dense"):
            with tempfile.TemporaryDirectory() as tmp:
                work = Path(tmp)
                optimize, sparse = ("speed", "off") if mode == "dense" else (mode, "auto")
                report = generate(tflite, work / "gen", name=name, optimize=optimize, sparse=sparse)
                if mode == "dense" and report.weights_bytes == generate(tflite, work / "auto").weights_bytes:
                    continue  # no sparse weights: the dense row would repeat "speed"
                code, consts = arm_code_size(work / "gen", work) if arm else (0, 0)
                qemu = "-"
                if arm:
                    inputs = random_inputs(report.input_shape, 3, seed=1)
                    _, counts = armrun.run_elf(armrun.build_elf(work / "gen", inputs, work / "arm"))
                    qemu = f"{sorted(counts)[len(counts) // 2] / 1e6:.3f} M"
                host = callgrind_instructions(work / "gen", work)
                host_text = f"{host / 1e6:.3f} M" if host else "-"
            print(
                f"{name:20s} {mode:5s} {report.arena_bytes:7d} {tflm:7d} {report.weights_bytes:8d} {code:6d} "
                f"{consts:7d} {qemu:>11s} {host_text:>11s}",
                flush=True,
            )


if __name__ == "__main__":
    main()
