"""Benchmark: the suite's application models (those of bench_firmware_qemu.py) on every emulated board.

For each board of the registry that QEMU runs (one per Cortex-M class) and each model: emulated
instructions per inference (BENCH under -icount shift=0, identical run after run; not real Cortex-M
cycles), flash and RAM (static .data + .bss, which holds the arena, plus the measured peak stack). A model
that does not fit a board's budget shows the build's budget message instead. On the Cortex-M55 the
Helium (MVE) kernels are measured against the same build with them switched off (TS_KERNELS_MVE=0, the
DSP-extension kernels), and the ratio is printed.

Run: python tests/benchmarks/bench_boards_qemu.py [--runs N] [--quick] [--boards B ...] [model ...]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bench_firmware_qemu import REFERENCE, measure  # noqa: E402

from tinystudio.core.errors import UserError  # noqa: E402
from tinystudio.targets.qemu import QemuTarget  # noqa: E402
from tinystudio.targets.registry import BoardSpec, emulated_boards  # noqa: E402

NO_MVE = ("-DTS_KERNELS_MVE=0",)


def kernel_builds(spec: BoardSpec) -> list[tuple[str, tuple[str, ...]]]:
    """(label, extra compiler flags) of the builds measured on a board: what its core's kernels use."""
    flags = spec.firmware.cpu_flags if spec.firmware else ()
    if "-mcpu=cortex-m55" in flags:
        return [("mve", ()), ("dsp", NO_MVE)]
    if any(cpu in flags for cpu in ("-mcpu=cortex-m0", "-mcpu=cortex-m3")):
        return [("plain", ())]
    return [("dsp", ())]


def one_per_kernel_kind(boards: list[BoardSpec]) -> list[BoardSpec]:
    """The first board of each set of kernel builds (plain C, DSP extension, Helium and DSP): every path of
    this script in a few builds; each board's own start-up is tested elsewhere."""
    seen: set[tuple[str, ...]] = set()
    picked = []
    for spec in boards:
        kinds = tuple(label for label, _ in kernel_builds(spec))
        if kinds not in seen:
            seen.add(kinds)
            picked.append(spec)
    return picked


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--quick", action="store_true",
                        help="one small model, one run, one board per kernel kind: proves the script still runs")
    parser.add_argument("--boards", nargs="*", help="emulated boards (default: all of them)")
    parser.add_argument("models", nargs="*", help="models (default: all of them)")
    args = parser.parse_args()
    models = args.models or (["motion_cnn_1d"] if args.quick else list(REFERENCE))
    runs = 1 if args.quick else args.runs
    boards = [b for b in emulated_boards() if not args.boards or b.name in args.boards]
    if args.quick and not args.boards:
        boards = one_per_kernel_kind(boards)
    header = (f"{'board':<14} {'core':<11} {'model':<12} {'kernels':<7} {'instr/inf':>11} {'flash B':>9} "
              f"{'RAM B':>8} {'(static':>8} {'+stack)':>8}")
    print("QEMU -icount shift=0: emulated instructions per inference, not Cortex-M cycles")
    print(header)
    print("-" * len(header))
    mve: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory(prefix="tinystudio-bench-boards-") as tmp:
        for spec in boards:
            for name in models:
                label = REFERENCE[name][0]
                for kernels, flags in kernel_builds(spec):
                    target = QemuTarget(spec, extra_flags=flags)
                    start = f"{spec.name:<14} {spec.core:<11} {label:<12} {kernels:<7}"
                    try:
                        m = measure(name, runs, Path(tmp) / spec.name / kernels, "gcc", target)
                    except UserError as exc:
                        print(f"{start} {exc}", flush=True)
                        continue
                    ram = int(m["static_ram"]) + int(m["stack"])
                    print(f"{start} {int(m['instructions']) / 1e6:>10.3f}M {m['flash']:>9} {ram:>8} "
                          f"{m['static_ram']:>8} {m['stack']:>8}", flush=True)
                    if spec.core == "Cortex-M55":
                        mve.setdefault(label, {})[kernels] = float(m["instructions"])
    for label, counts in mve.items():
        if {"mve", "dsp"} <= counts.keys():
            print(f"Cortex-M55 {label}: Helium kernels take {counts['mve'] / counts['dsp']:.2f}x the instructions "
                  f"of the DSP-only build ({counts['dsp'] / counts['mve']:.2f}x faster)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
