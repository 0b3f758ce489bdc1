"""What an int8 .tflite costs on a microcontroller, read from the model itself without a board: MACs and
parameters of its compute ops, the share of zero int8 weights, and the generated C's arena, weights and
(when an ARM compiler is installed) Cortex-M4 code bytes.
"""

from __future__ import annotations

import shutil
import struct
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

from tinystudio.core import children
from tinystudio.core.errors import UserError

COMPUTE_OPS = ("CONV_2D", "DEPTHWISE_CONV_2D", "FULLY_CONNECTED")
ARM_GCC = "arm-none-eabi-gcc"
ARM_FLAGS = ("-mcpu=cortex-m4", "-mthumb", "-mfloat-abi=hard", "-mfpu=fpv4-sp-d16", "-O2", "-std=c99",
             "-ffunction-sections", "-fdata-sections")
_SHF_EXECINSTR = 0x4


@dataclass
class ModelFigures:
    """Sizes of one int8 model. ``code_bytes`` is None when no ARM compiler is available."""

    macs: int
    params: int
    nonzero_params: int
    weight_sparsity: float  # zero int8 weights / all weights of the compute ops (biases excluded)
    layer_sparsity: list[float]  # the same per compute op, in execution order
    arena_bytes: int
    weights_bytes: int
    code_bytes: int | None

    @property
    def flash_bytes(self) -> int:
        """Weights plus the model's code (weights only when the code could not be measured)."""
        return self.weights_bytes + (self.code_bytes or 0)

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "flash_bytes": self.flash_bytes}


_cache: dict[str, ModelFigures] = {}


def model_figures(tflite: bytes, measure_code: bool = True) -> ModelFigures:
    """Figures of a full-integer int8 .tflite (UserError when it cannot be compiled to C)."""
    from tinystudio.core.codegen import generate, model_hash
    from tinystudio.core.codegen.graph import read_model

    key = f"{model_hash(tflite)}:{measure_code}"
    if key in _cache:
        return _cache[key]
    graph = read_model(bytes(tflite))
    macs = params = nonzero = weights_total = weights_zero = 0
    layer_sparsity: list[float] = []
    for op in graph.ops:
        if op.kind not in COMPUTE_OPS:
            continue
        out = graph.tensors[op.outputs[0]]
        w = graph.tensors[op.inputs[1]]
        if w.data is None:
            continue
        if op.kind == "CONV_2D":  # weights (out_c, kh, kw, in_c)
            macs += out.size * int(np.prod(w.shape[1:]))
        elif op.kind == "DEPTHWISE_CONV_2D":  # weights (1, kh, kw, out_c)
            macs += out.size * int(w.shape[1] * w.shape[2])
        else:  # FULLY_CONNECTED weights (units, inputs)
            macs += out.size * int(w.shape[-1])
        zeros = int(np.count_nonzero(w.data == 0))
        weights_total += w.size
        weights_zero += zeros
        layer_sparsity.append(zeros / w.size if w.size else 0.0)
        params += w.size
        nonzero += w.size - zeros
        if len(op.inputs) > 2 and op.inputs[2] >= 0:
            b = graph.tensors[op.inputs[2]]
            if b.data is not None:
                params += b.size
                nonzero += int(np.count_nonzero(b.data))
    with tempfile.TemporaryDirectory(prefix="tinystudio-figures-") as tmp:
        report = generate(tflite, Path(tmp), name="model")
        code = code_bytes(Path(tmp)) if measure_code else None
    figures = ModelFigures(
        macs=int(macs), params=int(params), nonzero_params=int(nonzero),
        weight_sparsity=weights_zero / weights_total if weights_total else 0.0,
        layer_sparsity=layer_sparsity, arena_bytes=int(report.arena_bytes),
        weights_bytes=int(report.weights_bytes), code_bytes=code,
    )
    _cache[key] = figures
    return figures


def code_bytes(c_dir: Path) -> int | None:
    """Executable bytes of the generated C compiled for Cortex-M4 (None without arm-none-eabi-gcc)."""
    gcc = shutil.which(ARM_GCC)
    if gcc is None:
        return None
    total = 0
    for src in sorted(c_dir.glob("*.c")):
        obj = src.with_suffix(".o")
        result = children.run([gcc, *ARM_FLAGS, "-I", str(c_dir), "-c", str(src), "-o", str(obj)], text=True)
        if result.returncode != 0:
            first = (result.stderr.strip().splitlines() or ["compiler failed"])[0]
            raise UserError(f"the generated C does not compile for Cortex-M4: {first}")
        total += executable_bytes(obj.read_bytes())
    return total


def executable_bytes(elf: bytes) -> int:
    """Sum of the executable sections of a 32-bit little-endian ELF (object or image)."""
    if elf[:4] != b"\x7fELF" or elf[4] != 1 or elf[5] != 1:
        raise UserError("the compiler did not produce a 32-bit little-endian ELF object")
    shoff = struct.unpack_from("<I", elf, 0x20)[0]
    shentsize, shnum = struct.unpack_from("<HH", elf, 0x2E)
    total = 0
    for i in range(shnum):
        _name, _type, flags, _addr, _off, size, *_ = struct.unpack_from("<10I", elf, shoff + i * shentsize)
        if flags & _SHF_EXECINSTR:
            total += size
    return total
