"""The int8 kernels a generated folder needs, copied from the C sources in firmware/kernels/.

Each kernel is one C file named as CMSIS-NN names its files (``ts_<op>[_<variant>]_s8.c``), with its header
and, beside an optimised kernel, a plain-C ``*_reference.c`` chosen at build time with
``-DTS_KERNELS_REFERENCE=1``. The scratch sizes the memory planner uses mirror the kernels'
``*_get_buffer_size`` functions; tests/codegen/test_scratch.py proves them equal for every test model.
"""

from __future__ import annotations

import os
from pathlib import Path

from tinystudio.core.errors import UserError
from tinystudio.core.paths import firmware_dir

SHARED_HEADERS = ("ts_nn_types.h", "ts_nn_support.h", "ts_nn_dot_s8.h")
CONFIG_HEADER = "ts_kernels_config.h"

# Kernels whose header is shared with a sibling kernel (one header declares both).
_HEADER_OF = {"ts_elementwise_add_s8": "ts_elementwise_s8", "ts_elementwise_mul_s8": "ts_elementwise_s8"}
# Headers a kernel's own header includes besides the shared ones (the 1x1 conv is a path of the conv body).
_INCLUDES = {"ts_conv_1x1_s8": ("ts_conv_s8.h",)}


def kernels_dir() -> Path:
    """firmware/kernels of the installed package or checkout (TINYSTUDIO_FIRMWARE_DIR, the firmware
    tree's root, overrides it, as for the firmware build)."""
    env = os.environ.get("TINYSTUDIO_FIRMWARE_DIR")
    root = Path(env) if env else firmware_dir()
    folder = root / "kernels"
    if not (folder / "ts_nn_support.h").is_file():
        raise UserError(f"kernel sources not found in {folder} (set TINYSTUDIO_FIRMWARE_DIR)")
    return folder


def header_of(kernel: str) -> str:
    """The header (file name) a call of ``kernel`` includes."""
    return _HEADER_OF.get(kernel, kernel) + ".h"


def kernel_files(kernels: set[str], exact_requant: bool = True) -> dict[str, str]:
    """File name -> contents for the kernels a model calls, their reference twins and the shared headers.

    ``exact_requant=False`` is only valid when every accumulator of the model is below 2^30 in magnitude
    (the optimised requantization then skips a rounding guard; reference builds always round exactly).
    """
    folder = kernels_dir()
    config = (
        "/* Generated kernel configuration. */\n#ifndef TS_KERNELS_CONFIG_H\n#define TS_KERNELS_CONFIG_H\n"
        f"#define TS_EXACT_REQUANT {1 if exact_requant else 0}\n#endif\n"
    )
    names = list(SHARED_HEADERS)
    for kernel in sorted(kernels):
        names += [*_INCLUDES.get(kernel, ()), header_of(kernel), f"{kernel}.c"]
        if (folder / f"{kernel}_reference.c").is_file():
            names.append(f"{kernel}_reference.c")
    files = {CONFIG_HEADER: config}
    for name in dict.fromkeys(names):
        path = folder / name
        try:
            files[name] = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise UserError(f"kernel source {path} cannot be read: {exc.strerror or exc}") from None
    return files


# Scratch sizes: twins of the C functions of the same name (ts_<kernel>_get_buffer_size).


def conv_s8_buffer_size(k_h: int, k_w: int, in_c: int, direct: bool) -> int:
    """ts_conv_s8_get_buffer_size: two im2col patches, none for a plain 1x1 conv."""
    return 0 if direct else 2 * k_h * k_w * in_c


def conv_1x1_s8_buffer_size(in_c: int) -> int:
    """ts_conv_1x1_s8_get_buffer_size: a widened pixel pair when in_c is a multiple of 4."""
    return 4 * in_c if in_c % 4 == 0 else 0


def depthwise_conv_strip_s8_buffer_size(k_h: int, k_w: int, in_c: int, out_w: int, stride_w: int, dil_w: int) -> int:
    """ts_depthwise_conv_strip_s8_get_buffer_size: k_h input rows of the strip plus one word."""
    strip_w = (out_w - 1) * stride_w + (k_w - 1) * dil_w + 1
    return k_h * strip_w * in_c + 4
