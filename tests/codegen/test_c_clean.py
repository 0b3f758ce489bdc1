"""The generated folder is clean C99 for the host compiler and for Cortex-M4 (arm-none-eabi-gcc), with the
optimised and with the reference kernels."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from codegen.harness import KERNEL_BUILDS, build_flags
from tinystudio.core.codegen import generate
from tinystudio.core.codegen.kernels import kernels_dir

# Together these use every kernel.
MODELS = ["ds_cnn_kws", "motion_cnn_1d", "add_relu_broadcast", "pad_zero", "concatenation", "dequantize_quantize"]
STRICT = ["-std=c99", "-O2", "-Wall", "-Wextra", "-Werror", "-pedantic"]
ARM = ["-mcpu=cortex-m4", "-mthumb", "-mfloat-abi=hard", "-mfpu=fpv4-sp-d16"]


@pytest.fixture(scope="module")
def folders(suite_model, tmp_path_factory):
    out = {}
    for name in MODELS:
        folder = tmp_path_factory.mktemp(name)
        generate(suite_model(name), folder, name=name)
        out[name] = folder
    return out


@pytest.mark.parametrize("kernels", KERNEL_BUILDS)
@pytest.mark.parametrize("name", MODELS)
def test_host_compile_is_warning_free(folders, name, kernels, tmp_path):
    sources = sorted(str(p) for p in folders[name].glob("*.c"))
    main = tmp_path / "main.c"
    main.write_text(
        '#include "model.h"\nstatic int8_t in[TS_MODEL_INPUT_BYTES], out[TS_MODEL_OUTPUT_BYTES];\n'
        "int main(void) { return ts_model_invoke(in, out); }\n"
    )
    exe = tmp_path / "model"
    cmd = ["cc", *STRICT, *build_flags(kernels), "-I", str(folders[name]), str(main), *sources, "-o", str(exe), "-lm"]
    result = subprocess.run(cmd, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert subprocess.run([str(exe)]).returncode == 0


@pytest.mark.skipif(shutil.which("arm-none-eabi-gcc") is None, reason="arm-none-eabi-gcc not installed")
@pytest.mark.parametrize("kernels", KERNEL_BUILDS)
@pytest.mark.parametrize("name", MODELS)
def test_cortex_m4_compile_is_warning_free(folders, name, kernels, tmp_path):
    for source in sorted(folders[name].glob("*.c")):
        cmd = ["arm-none-eabi-gcc", *ARM, *STRICT, *build_flags(kernels), "-c", str(source)]
        cmd += ["-o", str(tmp_path / (source.stem + ".o"))]
        result = subprocess.run(cmd, capture_output=True, text=True)
        assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("kernels", KERNEL_BUILDS)
def test_exported_symbols_are_prefixed(folders, kernels, tmp_path):
    """Kernels export ts_<op>_s8 names, the model ts_model_ names; nothing else leaks."""
    for name, folder in folders.items():
        for source in folder.glob("*.c"):
            obj = tmp_path / f"{name}-{source.stem}.o"
            subprocess.run(["cc", "-std=c99", *build_flags(kernels), "-c", str(source), "-o", str(obj)], check=True)
            symbols = subprocess.run(["nm", "-g", "--defined-only", str(obj)], capture_output=True, text=True)
            for line in symbols.stdout.splitlines():
                symbol = line.split()[-1]
                assert symbol.startswith("ts_model_") or (
                    symbol.startswith("ts_") and symbol.endswith("_s8")
                ), f"{source.name} exports {symbol}"


@pytest.mark.parametrize("kernels", KERNEL_BUILDS)
@pytest.mark.parametrize("compiler", ["cc", "arm-none-eabi-gcc"])
def test_every_kernel_source_is_warning_free(compiler, kernels, tmp_path):
    """Each file in firmware/kernels compiles on its own, strict, whether or not a test model calls it."""
    if shutil.which(compiler) is None:
        pytest.skip(f"{compiler} not installed")
    (tmp_path / "ts_kernels_config.h").write_text("#define TS_EXACT_REQUANT 0\n")
    sources = sorted(kernels_dir().glob("*.c"))
    assert len(sources) >= 20
    arch = ARM if compiler != "cc" else []
    for source in sources:
        cmd = [compiler, *arch, *STRICT, *build_flags(kernels), "-I", str(tmp_path), "-c", str(source)]
        result = subprocess.run([*cmd, "-o", str(tmp_path / (source.stem + ".o"))], capture_output=True, text=True)
        assert result.returncode == 0, result.stderr
