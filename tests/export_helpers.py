"""Building and running an exported library in tests: the host compile of a C library folder, the Cortex-M4
flags, the Arduino sketch syntax check against stub sensor libraries, and the bare-metal harness that runs
``ts_impulse_run`` on windows embedded in the image (for codegen/armrun.py's QEMU runner)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np

ARM_FLAGS = ["-std=c99", "-O2", "-mcpu=cortex-m4", "-mthumb", "-mfloat-abi=hard", "-mfpu=fpv4-sp-d16",
             "-Wall", "-Wextra", "-Werror"]
STUBS = Path(__file__).parent / "deploy" / "arduino_stubs"


def compile_host(folder: Path, exe: Path, *extra: str) -> None:
    """``cc`` every .c of ``folder`` into ``exe`` as C99 with warnings as errors."""
    sources = sorted(str(p) for p in folder.glob("*.c"))
    subprocess.run(["cc", "-std=c99", "-O2", *extra, "-Wall", "-Wextra", "-Werror", *sources, "-lm", "-o", str(exe)],
                   check=True, capture_output=True, text=True, timeout=300)


def compile_arm(folder: Path, objects: Path) -> None:
    """Every .c of ``folder`` compiled for a Cortex-M4F with ARM_FLAGS into ``objects``."""
    objects.mkdir(parents=True, exist_ok=True)
    for source in sorted(folder.glob("*.c")):
        subprocess.run(["arm-none-eabi-gcc", *ARM_FLAGS, "-c", str(source), "-o", str(objects / f"{source.stem}.o")],
                       check=True, capture_output=True, text=True, timeout=300)


def syntax_check(sketch: Path, includes: list[Path]) -> None:
    """g++ parses the sketch as Arduino does (C++ with Arduino.h first), against stub sensor libraries."""
    flags = [f"-I{p}" for p in (STUBS, *includes)]
    subprocess.run(["g++", "-std=gnu++17", "-fsyntax-only", "-Wall", "-Werror", *flags, "-include", "Arduino.h",
                    "-x", "c++", str(sketch)], check=True, capture_output=True, text=True, timeout=300)


def windows_csv(raw: np.ndarray, path: Path) -> Path:
    """One window per line, every value written so that C's strtof reads the same float32."""
    path.write_text("\n".join(",".join(repr(float(v)) for v in w.ravel()) for w in raw) + "\n")
    return path


def scores_on_host(library: Path, raw: np.ndarray, work: Path) -> np.ndarray:
    """The int8 scores of ``raw`` windows from the library's own main.c built for the host (``-v``: each
    window's line of inputs, then its line of scores)."""
    exe = work / "impulse"
    compile_host(library, exe, "-ffp-contract=off")
    lines = subprocess.run([str(exe), str(windows_csv(raw, work / "windows.csv")), "-v"], check=True,
                           capture_output=True, text=True, timeout=300).stdout.splitlines()
    return np.array([[int(v) for v in ln.split()[1:]] for ln in lines[1::2]], dtype=np.int8)


QEMU_RUN = r"""
#include "ts_impulse.h"

extern const float windows[];
extern const int window_count;

static void run(void)
{
    static const char hex[] = "0123456789abcdef";
    static char line[8 + 2 * TS_IMPULSE_LABEL_COUNT];
    int8_t scores[TS_IMPULSE_LABEL_COUNT];
    int n;
    unsigned i;
    for (n = 0; n < window_count; ++n) {
        char *p = line;
        int rc = ts_impulse_run(windows + (unsigned)n * TS_IMPULSE_RAW_VALUES, scores);
        *p++ = rc == 0 ? 'o' : 'x';
        *p++ = ' ';
        for (i = 0; i < TS_IMPULSE_LABEL_COUNT; ++i) {
            *p++ = hex[((uint8_t)scores[i]) >> 4];
            *p++ = hex[((uint8_t)scores[i]) & 0xF];
        }
        *p++ = '\n';
        *p = 0;
        semihost(0x04, line);
    }
}
"""


def scores_on_qemu(library: Path, raw: np.ndarray, work: Path) -> np.ndarray:
    """The int8 scores of ``raw`` windows from the library folder's sources (without main.c) linked into a
    bare-metal harness on the emulated Cortex-M4F; every call must return 0."""
    from codegen import armrun

    body = ",".join(f"{float(v)!r}f" for v in np.asarray(raw, dtype=np.float32).ravel())
    work.mkdir(parents=True, exist_ok=True)
    (work / "windows.c").write_text(f"const float windows[] = {{{body}}};\nconst int window_count = {len(raw)};\n")
    sources = [p for p in sorted(library.glob("*.c")) if p.name != "main.c"]
    elf = armrun.link_harness(QEMU_RUN, [work / "windows.c", *sources], work / "arm",
                              ("-ffp-contract=off", "-I", str(library)))
    lines = [ln.split() for ln in armrun.run_harness(elf, timeout=120) if ln[:2] in ("o ", "x ")]
    assert [ln[0] for ln in lines] == ["o"] * len(raw)
    return np.array([np.frombuffer(bytes.fromhex(ln[1]), dtype=np.int8) for ln in lines])
