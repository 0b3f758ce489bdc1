"""Compiling the runner firmware: source lists, per-file compilation with progress and cancel, and a
content-keyed build folder inside the caller's cache so an unchanged build is reused.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from tinystudio.core.codegen.dsp_config import DspConfig, dsp_config
from tinystudio.core.dsp import DspBlock
from tinystudio.core.errors import UserError
from tinystudio.core.paths import firmware_dir
from tinystudio.core.progress import CancelToken, Progress
from tinystudio.targets.toolchain import run_tool


def firmware_root() -> Path:
    """The firmware/ source tree (TINYSTUDIO_FIRMWARE_DIR overrides, e.g. in a bundled app)."""
    env = os.environ.get("TINYSTUDIO_FIRMWARE_DIR")
    root = Path(env) if env else firmware_dir()
    if not (root / "runtime" / "tsr_runner.c").is_file():
        raise UserError(f"firmware sources not found in {root} (set TINYSTUDIO_FIRMWARE_DIR)")
    return root


def runtime_sources() -> list[Path]:
    return sorted((firmware_root() / "runtime").glob("tsr_*.c"))


def model_sources(model_dir: Path) -> list[Path]:
    """The generated C files of a model folder; a clear error if it is not one."""
    model_dir = Path(model_dir)
    if not (model_dir / "model.h").is_file():
        raise UserError(f"{model_dir} is not a generated model folder (model.h missing)")
    sources = sorted(model_dir.glob("*.c"))
    if not sources:
        raise UserError(f"{model_dir} holds no C sources")
    return sources


def model_input_bytes(model_dir: Path) -> int:
    """The model's input values as model.h defines them: TS_MODEL_INPUT_COUNT for a model taking float32
    features (tree models), else TS_MODEL_INPUT_BYTES (int8)."""
    text = (Path(model_dir) / "model.h").read_text(errors="replace")
    match = re.search(r"#define\s+TS_MODEL_INPUT_COUNT\s+\(?\s*(\d+)", text) or \
        re.search(r"#define\s+TS_MODEL_INPUT_BYTES\s+\(?\s*(\d+)", text)
    if not match:
        raise UserError(f"{model_dir}/model.h does not define TS_MODEL_INPUT_BYTES")
    return int(match.group(1))


def check_dsp_fits(features: int, model_dir: Path) -> None:
    """The DSP block must produce exactly one value per model input."""
    expected = model_input_bytes(model_dir)
    if features != expected:
        raise UserError(f"the DSP block makes {features} features but the model takes {expected} inputs")


@dataclass(frozen=True)
class Unit:
    """One C file to compile; strict units (our runtime and boards) compile with -Werror."""

    source: Path
    strict: bool


def build_key(units: Sequence[Unit], *extra: object) -> str:
    """Hash of every input that changes the image: sources, headers next to them, flags, budget."""
    digest = hashlib.sha256()
    folders = sorted({u.source.parent for u in units})
    for folder in folders:
        for path in sorted(folder.iterdir()):
            if path.suffix in (".c", ".h", ".in", ".S") and path.is_file():
                digest.update(path.name.encode())
                digest.update(path.read_bytes())
    for item in extra:
        digest.update(repr(item).encode())
    return digest.hexdigest()[:16]


def first_error(output: str) -> str:
    """The most telling line of a compiler's or linker's output."""
    lines = [line.strip() for line in output.splitlines() if line.strip()]
    for marker in ("error:", "undefined reference", "error"):
        for line in lines:
            if marker in line.lower() and not line.startswith("collect2"):
                return line
    return lines[0] if lines else "no output"


# GNU ld: "region `FLASH' overflowed by N bytes"; LLVM lld (zig): "section '.bss' will not fit in region
# 'RAM': overflowed by N bytes", once per section with the running total, so the largest N is the overflow.
_OVERFLOW = re.compile(r"region [`']?(\w+)'?:? overflowed by (\d+) bytes")


def link_failure_message(output: str, flash_budget: int, ram_budget: int) -> str:
    """Turn the linker's region-overflow errors into one sentence a user understands."""
    overflows: dict[str, int] = {}
    for match in _OVERFLOW.finditer(output):
        region = match.group(1).upper()
        overflows[region] = max(overflows.get(region, 0), int(match.group(2)))
    parts = []
    if "FLASH" in overflows:
        parts.append(f"flash by {overflows['FLASH']} bytes (budget {flash_budget // 1024} KB)")
    if "RAM" in overflows:
        parts.append(f"RAM by {overflows['RAM']} bytes (budget {ram_budget // 1024} KB, stack included)")
    if parts:
        return "the model does not fit the board: it exceeds " + " and ".join(parts)
    return f"linking the firmware failed: {first_error(output)}"


def firmware_units(
    model_dir: Path, board_dir: Path, dsp: DspBlock | None, shared: Sequence[Path] = ()
) -> tuple[Path, list[Unit], DspConfig | None]:
    """What every board build compiles: the runtime, the board's own files, the ``shared`` board sources
    it uses (Cortex-M startup, drivers) and the generated model.

    Returns the resolved model folder, the units (ours strict, the generated ones not) and the DSP
    configuration when the board runs a DSP block; a DSP output the model cannot take is a UserError.
    """
    model_dir = Path(model_dir).resolve()
    dsp_cfg = dsp_config(dsp) if dsp is not None else None
    if dsp_cfg is not None:
        check_dsp_fits(dsp_cfg.features, model_dir)
    ours = [*runtime_sources(), *sorted(Path(board_dir).glob("*.c")), *shared]
    units = [Unit(s, True) for s in ours] + [Unit(s, False) for s in model_sources(model_dir)]
    return model_dir, units, dsp_cfg


def write_dsp_unit(cfg: DspConfig | None, out_dir: Path) -> list[Unit]:
    """Write the generated DSP source into the build folder; the unit to compile (none without DSP)."""
    if cfg is None:
        return []
    path = out_dir / "dsp" / "tsr_dsp_config.c"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(cfg.source)
    return [Unit(path, True)]


def compile_units(
    compiler: Sequence[str],
    units: Sequence[Unit],
    flags: Sequence[str],
    obj_dir: Path,
    progress: Progress | None,
    cancel: CancelToken | None,
) -> list[Path]:
    """Compile each unit into obj_dir; raise UserError with the first error line on failure."""
    obj_dir.mkdir(parents=True, exist_ok=True)
    objects = []
    for index, unit in enumerate(units):
        if cancel is not None:
            cancel.raise_if_cancelled()
        if progress is not None:
            progress(0.9 * index / max(1, len(units)), f"compiling {unit.source.name}")
        obj = obj_dir / f"{index:03d}_{unit.source.stem}.o"
        strict = ["-Werror"] if unit.strict else ["-Werror=implicit-function-declaration"]
        args = [*compiler, *flags, *strict, "-c", str(unit.source), "-o", str(obj)]
        result = run_tool(args, obj_dir, cancel)
        if result.returncode != 0:
            raise UserError(f"compiling {unit.source.name} failed: {first_error(result.output)}")
        objects.append(obj)
    return objects
