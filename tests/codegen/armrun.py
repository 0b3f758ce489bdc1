"""Run a generated model folder on an emulated Cortex-M (QEMU; the Cortex-M4F mps2-an386 by default) with a
tiny bare-metal harness.

The harness embeds the test inputs, runs ts_model_invoke on each, times it with SysTick under
``-icount shift=0`` (1 tick = 10^9 / clock emulated instructions, 40 at 25 MHz) and prints the outputs over
semihosting. Its bare-metal start (``link_harness``, ``run_harness``) serves other harnesses too.
This exercises the kernel paths that the host build never compiles: ``__ARM_FEATURE_DSP`` on
the M4, M7 and M33, Helium (MVE) on the M55, the plain C loops on the M3. Machines, core flags and memory
come from the board registry.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import numpy as np

from tinystudio.targets import board_spec
from tinystudio.targets.registry import CortexMFirmware

ARM_FLAGS = ["-mcpu=cortex-m4", "-mthumb", "-mfloat-abi=hard", "-mfpu=fpv4-sp-d16"]
DEFAULT_MACHINE = "mps2-an386"

_LINKER = """
MEMORY { FLASH (rx) : ORIGIN = @FLASH_ORIGIN@, LENGTH = @FLASH@
         RAM (rwx)  : ORIGIN = @RAM_ORIGIN@, LENGTH = @RAM@ }
ENTRY(Reset_Handler)
SECTIONS {
  .text : { KEEP(*(.isr_vector)) *(.text*) *(.rodata*) . = ALIGN(4); } > FLASH
  .ARM.exidx : { *(.ARM.exidx*) } > FLASH
  _sidata = LOADADDR(.data);
  .data : { _sdata = .; *(.data*) . = ALIGN(4); _edata = .; } > RAM AT > FLASH
  .bss (NOLOAD) : { _sbss = .; *(.bss*) *(COMMON) . = ALIGN(4); _ebss = .; } > RAM
  _estack = ORIGIN(RAM) + LENGTH(RAM);
}
"""

_START = r"""
#include <stdint.h>

/* Bare-metal start: vector table, semihosting, and a reset handler that copies .data, clears .bss, turns
   the FPU on, calls the harness's run() and ends QEMU. */
extern uint32_t _estack, _sidata, _sdata, _edata, _sbss, _ebss;
void Reset_Handler(void);
/* Not inlined: its code may save FPU registers on entry, before the reset handler has turned the FPU on. */
static void run(void) __attribute__((noinline));

static void default_handler(void) { for (;;) { } }

__attribute__((section(".isr_vector"), used))
static void (*const vectors[16])(void) = {
    (void (*)(void))(&_estack), Reset_Handler, default_handler, default_handler, default_handler,
    default_handler, default_handler, 0, 0, 0, 0, default_handler, default_handler, 0,
    default_handler, default_handler};

static int semihost(int op, void *arg)
{
    register int r0 __asm__("r0") = op;
    register void *r1 __asm__("r1") = arg;
    __asm__ volatile("bkpt 0xAB" : "+r"(r0) : "r"(r1) : "memory");
    return r0;
}

void Reset_Handler(void)
{
    uint32_t *src = &_sidata, *dst = &_sdata;
    static uint32_t exit_args[2] = {0x20026, 0};
    while (dst < &_edata) { *dst++ = *src++; }
    for (dst = &_sbss; dst < &_ebss; ) { *dst++ = 0; }
    *(volatile uint32_t *)0xE000ED88 |= (0xFu << 20);
    __asm__ volatile("dsb\n isb");
    run();
    semihost(0x20, exit_args);
    for (;;) { }
}
"""

_BENCH = r"""
#include <string.h>
#include "model.h"

extern const int8_t bench_inputs[];
extern const int bench_count;

static char line[8192];

static void put_hex(char **p, uint32_t v, int digits)
{
    static const char hex[] = "0123456789abcdef";
    int i;
    for (i = digits - 1; i >= 0; --i) {
        *(*p)++ = hex[(v >> (4 * i)) & 0xF];
    }
}

#define SYST_CSR (*(volatile uint32_t *)0xE000E010)
#define SYST_RVR (*(volatile uint32_t *)0xE000E014)
#define SYST_CVR (*(volatile uint32_t *)0xE000E018)

static int8_t out[TS_MODEL_OUTPUT_BYTES];

static void run(void)
{
    int n, i;
    SYST_RVR = 0xFFFFFF;
    SYST_CVR = 0;
    SYST_CSR = 5;
    while (SYST_CVR == 0) { }
    for (n = 0; n < bench_count; ++n) {
        uint32_t t0, t1;
        char *p = line;
        int rc;
        t0 = SYST_CVR;
        rc = ts_model_invoke(bench_inputs + n * TS_MODEL_INPUT_BYTES, out);
        t1 = SYST_CVR;
        put_hex(&p, (uint32_t)rc, 2);
        *p++ = ' ';
        put_hex(&p, (t0 - t1) & 0xFFFFFF, 8);
        *p++ = ' ';
        for (i = 0; i < TS_MODEL_OUTPUT_BYTES && p < line + sizeof(line) - 4; ++i) {
            put_hex(&p, (uint8_t)out[i], 2);
        }
        *p++ = '\n';
        *p = 0;
        semihost(0x04, line);
    }
}
"""


def tools_available() -> bool:
    return shutil.which("arm-none-eabi-gcc") is not None and shutil.which("qemu-system-arm") is not None


def _firmware(machine: str) -> CortexMFirmware:
    firmware = board_spec(machine).firmware
    assert firmware is not None, machine
    return firmware


def link_harness(body: str, sources: list[Path], work: Path, cflags: tuple[str, ...] = (),
                 machine: str = DEFAULT_MACHINE) -> Path:
    """work/harness.elf: the bare-metal start, ``body`` (C that defines ``static void run(void)`` and may
    call ``semihost``) and ``sources``, compiled strictly for ``machine``'s core and linked for its memory
    (the board's budget)."""
    work.mkdir(parents=True, exist_ok=True)
    spec, firmware = board_spec(machine), _firmware(machine)
    assert spec.budget is not None
    script = _LINKER
    for key, value in (("FLASH_ORIGIN", firmware.flash_origin), ("RAM_ORIGIN", firmware.ram_origin),
                       ("FLASH", spec.budget.flash_bytes), ("RAM", spec.budget.ram_bytes)):
        script = script.replace(f"@{key}@", hex(value))
    (work / "link.ld").write_text(script)
    (work / "harness.c").write_text(_START + body)
    elf = work / "harness.elf"
    cmd = ["arm-none-eabi-gcc", *firmware.cpu_flags, *cflags, "-std=c99", "-O2", "-Wall", "-Wextra", "-Werror"]
    cmd += ["-Wno-error=pedantic", "-nostartfiles", "--specs=nosys.specs", "-T", str(work / "link.ld")]
    cmd += [str(work / "harness.c"), *map(str, sources), "-o", str(elf), "-lm"]
    subprocess.run(cmd, check=True, capture_output=True, text=True)
    return elf


def run_harness(elf: Path, timeout: float = 300.0, machine: str = DEFAULT_MACHINE) -> list[str]:
    """Run a harness on QEMU under ``-icount shift=0`` until it exits; the lines it printed."""
    cmd = ["qemu-system-arm", "-M", machine, "-display", "none", "-monitor", "none", "-serial", "null"]
    cmd += ["-semihosting-config", "enable=on,target=native", "-icount", "shift=0,align=off,sleep=off"]
    cmd += ["-kernel", str(elf)]
    proc = subprocess.run(cmd, check=True, capture_output=True, text=True, timeout=timeout)
    return (proc.stdout + proc.stderr).splitlines()


def build_elf(gen_dir: Path, inputs: list[np.ndarray], work: Path, flags: tuple[str, ...] = (),
              machine: str = DEFAULT_MACHINE) -> Path:
    """The model folder in the timing harness, with ``inputs`` embedded, linked for ``machine``."""
    work.mkdir(parents=True, exist_ok=True)
    flat = np.concatenate([np.asarray(x, dtype=np.int8).reshape(-1) for x in inputs])
    body = ",".join(str(int(v)) for v in flat)
    (work / "bench_data.c").write_text(
        f"#include <stdint.h>\nconst int8_t bench_inputs[{flat.size}] __attribute__((aligned(4))) = {{{body}}};\n"
        f"const int bench_count = {len(inputs)};\n"
    )
    sources = [work / "bench_data.c", *sorted(Path(gen_dir).glob("*.c"))]
    return link_harness(_BENCH, sources, work, (*flags, "-I", str(gen_dir)), machine)


def run_elf(elf: Path, timeout: float = 300.0, machine: str = DEFAULT_MACHINE) -> tuple[list[np.ndarray], list[int]]:
    """Run the timing harness; return (outputs, emulated instruction counts, to within one SysTick tick) per input."""
    clock = board_spec(machine).clock_hz
    assert clock is not None
    outputs, counts = [], []
    for ln in run_harness(elf, timeout, machine):
        parts = ln.split()
        if len(parts) != 3:
            continue
        if int(parts[0], 16) != 0:
            raise RuntimeError("ts_model_invoke failed on the device")
        counts.append(int(parts[1], 16) * 1_000_000_000 // clock)
        outputs.append(np.frombuffer(bytes.fromhex(parts[2]), dtype=np.int8))
    return outputs, counts
