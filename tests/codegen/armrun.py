"""Run a generated model folder on the emulated Cortex-M4F (QEMU mps2-an386) with a tiny bare-metal harness.

The harness embeds the test inputs, runs ts_model_invoke on each, times it with SysTick under
``-icount shift=0`` (1 tick = 40 emulated instructions) and prints the outputs over semihosting.
This exercises the ``__ARM_FEATURE_DSP`` kernel paths that the host build never compiles.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import numpy as np

ARM_FLAGS = ["-mcpu=cortex-m4", "-mthumb", "-mfloat-abi=hard", "-mfpu=fpv4-sp-d16"]
INSTRUCTIONS_PER_TICK = 40

_LINKER = """
MEMORY { FLASH (rx) : ORIGIN = 0x00000000, LENGTH = 4M
         RAM (rwx)  : ORIGIN = 0x20000000, LENGTH = 4M }
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

_MAIN = r"""
#include <stdint.h>
#include <string.h>
#include "model.h"

extern uint32_t _estack, _sidata, _sdata, _edata, _sbss, _ebss;
extern const int8_t bench_inputs[];
extern const int bench_count;
void Reset_Handler(void);

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

int main(void)
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
    return 0;
}

void Reset_Handler(void)
{
    uint32_t *src = &_sidata, *dst = &_sdata;
    static uint32_t exit_args[2] = {0x20026, 0};
    while (dst < &_edata) { *dst++ = *src++; }
    for (dst = &_sbss; dst < &_ebss; ) { *dst++ = 0; }
    *(volatile uint32_t *)0xE000ED88 |= (0xFu << 20);
    __asm__ volatile("dsb\n isb");
    main();
    semihost(0x20, exit_args);
    for (;;) { }
}
"""


def tools_available() -> bool:
    return shutil.which("arm-none-eabi-gcc") is not None and shutil.which("qemu-system-arm") is not None


def build_elf(gen_dir: Path, inputs: list[np.ndarray], work: Path, flags: tuple[str, ...] = ()) -> Path:
    work.mkdir(parents=True, exist_ok=True)
    (work / "link.ld").write_text(_LINKER)
    (work / "bench_main.c").write_text(_MAIN)
    flat = np.concatenate([np.asarray(x, dtype=np.int8).reshape(-1) for x in inputs])
    body = ",".join(str(int(v)) for v in flat)
    (work / "bench_data.c").write_text(
        f"#include <stdint.h>\nconst int8_t bench_inputs[{flat.size}] = {{{body}}};\n"
        f"const int bench_count = {len(inputs)};\n"
    )
    sources = [str(work / "bench_main.c"), str(work / "bench_data.c")]
    sources += sorted(str(p) for p in Path(gen_dir).glob("*.c"))
    elf = work / "bench.elf"
    cmd = ["arm-none-eabi-gcc", *ARM_FLAGS, *flags, "-std=c99", "-O2", "-Wall", "-Wextra", "-Werror"]
    cmd += ["-Wno-error=pedantic", "-I", str(gen_dir), "-nostartfiles", "--specs=nosys.specs"]
    cmd += ["-T", str(work / "link.ld"), *sources, "-o", str(elf), "-lm"]
    subprocess.run(cmd, check=True, capture_output=True, text=True)
    return elf


def run_elf(elf: Path, timeout: float = 300.0) -> tuple[list[np.ndarray], list[int]]:
    """Run on QEMU; return (outputs, emulated instruction counts) per input."""
    cmd = ["qemu-system-arm", "-M", "mps2-an386", "-display", "none", "-monitor", "none", "-serial", "null"]
    cmd += ["-semihosting-config", "enable=on,target=native", "-icount", "shift=0,align=off,sleep=off"]
    cmd += ["-kernel", str(elf)]
    proc = subprocess.run(cmd, check=True, capture_output=True, text=True, timeout=timeout)
    outputs, counts = [], []
    for ln in (proc.stdout + proc.stderr).splitlines():
        parts = ln.split()
        if len(parts) != 3:
            continue
        if int(parts[0], 16) != 0:
            raise RuntimeError("ts_model_invoke failed on the device")
        counts.append(int(parts[1], 16) * INSTRUCTIONS_PER_TICK)
        outputs.append(np.frombuffer(bytes.fromhex(parts[2]), dtype=np.int8))
    return outputs, counts
