"""Helpers for codegen tests: compile a generated folder on the host and compare it with TFLM."""

from __future__ import annotations

import ctypes
import subprocess
from pathlib import Path

import numpy as np

CFLAGS = ["-std=c99", "-O2", "-Wall", "-Wextra", "-Werror"]


KERNEL_BUILDS = ("optimised", "reference")
"""The two kernel source sets a generated folder compiles with (TS_KERNELS_REFERENCE=0 / 1)."""


def build_flags(kernels: str) -> list[str]:
    """Compiler flags selecting the optimised or the reference kernels."""
    if kernels not in KERNEL_BUILDS:
        raise ValueError(kernels)
    return [f"-DTS_KERNELS_REFERENCE={int(kernels == 'reference')}"]


def compile_shared(src_dir: Path, out: Path, kernels: str = "optimised") -> Path:
    """Build the generated folder into a shared library (symbols bound locally)."""
    sources = sorted(str(p) for p in Path(src_dir).glob("*.c"))
    cmd = ["cc", *CFLAGS, *build_flags(kernels), "-shared", "-fPIC", "-Wl,-Bsymbolic", *sources, "-o", str(out)]
    cmd.append("-lm")
    subprocess.run(cmd, check=True, capture_output=True, text=True)
    return out


class CompiledModel:
    """ts_model_invoke from a compiled generated folder, callable with numpy int8 arrays."""

    def __init__(self, lib_path: Path, input_size: int, output_size: int) -> None:
        self.lib = ctypes.CDLL(str(lib_path))
        self.lib.ts_model_invoke.argtypes = [ctypes.c_void_p, ctypes.c_void_p]
        self.lib.ts_model_invoke.restype = ctypes.c_int
        self.input_size = input_size
        self.output_size = output_size

    def __call__(self, x: np.ndarray) -> np.ndarray:
        xin = np.ascontiguousarray(x, dtype=np.int8).reshape(-1)
        assert xin.size == self.input_size
        out = np.zeros(self.output_size, dtype=np.int8)
        rc = self.lib.ts_model_invoke(xin.ctypes.data, out.ctypes.data)
        assert rc == 0
        return out


class Reference:
    """TFLM's own kernels on the host (the ground truth)."""

    def __init__(self, tflite: bytes, arena_size: int = 2_000_000) -> None:
        from tflite_micro.python.tflite_micro import runtime

        self.interp = runtime.Interpreter.from_bytes(tflite, arena_size=arena_size)
        self.shape = tuple(self.interp.get_input_details(0)["shape"])

    def __call__(self, x: np.ndarray) -> np.ndarray:
        self.interp.set_input(np.asarray(x, dtype=np.int8).reshape(self.shape), 0)
        self.interp.invoke()
        return np.asarray(self.interp.get_output(0)).astype(np.int8).reshape(-1)


def random_inputs(shape: tuple[int, ...], count: int, seed: int = 0) -> list[np.ndarray]:
    """Random int8 tensors: uniform over the full range plus a few extreme ones."""
    rng = np.random.default_rng(seed)
    xs = [rng.integers(-128, 128, size=shape).astype(np.int8) for _ in range(count - 2)]
    xs.append(np.full(shape, -128, dtype=np.int8))
    xs.append(np.full(shape, 127, dtype=np.int8))
    return xs
