"""Benchmark: the suite's application models on the QEMU mps2-an386 board.

For each model: emulated instructions per inference (BENCH under -icount, so identical run after run;
not real Cortex-M cycles), flash (.text + .rodata + .data init) and RAM (static .data + .bss, which holds
the arena, plus the measured peak stack) from the ELF and the STACK command, next to TFLite Micro's
arena for the same model (print_allocations, in a subprocess) and published TFLM reference figures.

With --compiler zig (or both) the firmware is built with zig cc instead of arm-none-eabi-gcc (the
TINYSTUDIO_ARM_CC setting), so instructions per inference of the two compilers can be compared.

With --layers (on in --quick) each model's profiling build also runs on the board and its per-layer table
is printed: the instructions of each op, its share of the whole inference.

Run: python tests/benchmarks/bench_firmware_qemu.py [--runs N] [--compiler gcc|zig|both] [--layers] [--quick]
     [model ...]
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import suite_models  # noqa: E402
from tinystudio.app.layer_profile import profile_on_board, table_lines  # noqa: E402
from tinystudio.core.codegen import generate, generate_files  # noqa: E402
from tinystudio.targets import Target, get_target  # noqa: E402
from tinystudio.targets.elf_size import read_footprint  # noqa: E402

# Instructions per inference with TFLM reference kernels / CMSIS-NN (published reference figures).
REFERENCE = {
    "motion_cnn_1d": ("1D CNN", 2.04e6, 0.65e6),
    "ds_cnn_kws": ("DS-CNN", 43.1e6, 7.70e6),
    "dense_autoencoder": ("autoencoder", 1.69e6, 0.60e6),
    "resnet8": ("ResNet-8", 107e6, 29.9e6),
}

_ARENA_PROBE = """
import sys
sys.path.insert(0, {tests!r})
import suite_models
from tflite_micro.python.tflite_micro import runtime
it = runtime.Interpreter.from_bytes(suite_models.build({name!r}), arena_size=8 << 20)
it.print_allocations()
"""


def tflm_arena(name: str) -> int | None:
    """TFLM's arena total for the model, from print_allocations() in a child process."""
    code = _ARENA_PROBE.format(tests=str(Path(__file__).resolve().parents[1]), name=name)
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    match = re.search(r"Arena allocation total (\d+) bytes", proc.stderr + proc.stdout)
    return int(match.group(1)) if match else None


def measure(name: str, runs: int, work: Path, compiler: str, target: Target | None = None) -> dict[str, object]:
    """Build model ``name`` for ``target`` (mps2-an386 by default) and measure it on the board."""
    folder = work / name
    report = generate(suite_models.build(name), folder)
    target = target or get_target("mps2-an386")
    os.environ["TINYSTUDIO_ARM_CC"] = compiler
    artifact = target.build(folder, work / "cache")
    footprint = read_footprint(artifact.path)
    rng = np.random.default_rng(0)
    with target.launch(artifact) as link:
        info = link.client.hello()
        window = rng.integers(-128, 128, info.raw_input_bytes, dtype=np.int8).tobytes()
        link.client.infer(window, timeout=600)
        bench = link.client.bench(runs, timeout=600 * runs)
        stack = link.client.stack()
    return {
        "instructions": bench.nn_mean,
        "spread": bench.nn_max - bench.nn_min,
        "flash": footprint.flash,
        "static_ram": footprint.static_ram,
        "stack": stack.peak_bytes,
        "arena": report.arena_bytes,
    }


def layer_table(name: str, work: Path) -> list[str]:
    """The per-layer profile of model ``name`` on mps2-an386 (its profiling build, one random window)."""
    target = get_target("mps2-an386")
    tflite = suite_models.build(name)
    _, report = generate_files(tflite)
    rng = np.random.default_rng(0)
    window = rng.integers(-128, 128, int(np.prod(report.input_shape)), dtype=np.int8).tobytes()
    result = profile_on_board(target, tflite, work / f"{name}-profiled", work / "cache", name, None, [window])
    return table_lines(result)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--compiler", choices=["gcc", "zig", "both"], default="gcc")
    parser.add_argument("--layers", action="store_true", help="also print each model's per-layer profile")
    parser.add_argument("--quick", action="store_true", help="one small model, one run: proves the script still runs")
    parser.add_argument("models", nargs="*", help="models (default: all of them)")
    args = parser.parse_args()
    if not args.models:
        args.models = ["motion_cnn_1d"] if args.quick else list(REFERENCE)
    if args.quick:
        args.runs = 1
        args.layers = True
    compilers = ["gcc", "zig"] if args.compiler == "both" else [args.compiler]
    header = (
        f"{'model':<12} {'cc':<4} {'instr/inf':>11} {'TFLM ref':>9} {'CMSIS-NN':>9} {'flash B':>9} {'RAM B':>8} "
        f"{'(static':>8} {'+stack)':>8} {'arena B':>8} {'TFLM arena':>10}"
    )
    print("QEMU mps2-an386, -icount shift=0: emulated instructions, not Cortex-M cycles")
    print(header)
    print("-" * len(header))
    with tempfile.TemporaryDirectory(prefix="tinystudio-bench-") as tmp:
        for name in args.models:
            label, ref, cmsis = REFERENCE[name]
            arena = tflm_arena(name)
            tflm = arena if arena is not None else "?"
            for compiler in compilers:
                m = measure(name, args.runs, Path(tmp), compiler)
                ram = int(m["static_ram"]) + int(m["stack"])
                print(
                    f"{label:<12} {compiler:<4} {int(m['instructions']) / 1e6:>10.2f}M {ref / 1e6:>8.2f}M "
                    f"{cmsis / 1e6:>8.2f}M {m['flash']:>9} {ram:>8} {m['static_ram']:>8} {m['stack']:>8} "
                    f"{m['arena']:>8} {tflm:>10}",
                    flush=True,
                )
        for name in args.models if args.layers else []:
            print(f"\n{REFERENCE[name][0]} on mps2-an386:")
            print("\n".join(layer_table(name, Path(tmp))), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
