"""The built wheel is a complete TinyStudio: installed into a fresh virtual environment and run from a folder
outside the checkout, it records from the simulated board, trains, and deploys to the emulated Cortex-M4
board, reading firmware sources and resources only from its own package data."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from tinystudio.core.store import Project

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[1]
SHIPPED = ("firmware", "resources")
ACTIVITIES = ("abduction", "pendulum")
RECORDINGS_PER_ACTIVITY = 4

# Loaded in every Python process of the test environment (through a .pth line): records each path the
# process opens or lists and every argument it passes to a child process (compiler, linker, QEMU).
_PROBE = '''
import atexit, os, sys

_LOG = os.environ.get("TS_TEST_PATH_LOG")
if _LOG:
    _seen = set()

    def _hook(event, args):
        if event in ("open", "os.scandir", "os.listdir") and isinstance(args[0], (str, bytes, os.PathLike)):
            _seen.add(os.path.abspath(os.fsdecode(args[0])))
        elif event == "subprocess.Popen":
            argv = args[1] if isinstance(args[1], (list, tuple)) else [args[1]]
            _seen.update(os.fsdecode(a) for a in argv if isinstance(a, (str, bytes, os.PathLike)))

    def _flush():
        with open(_LOG, "a") as log:
            log.write("\\n".join(sorted(_seen)) + "\\n")

    sys.addaudithook(_hook)
    atexit.register(_flush)
'''


def _outside_env(**extra: str) -> dict[str, str]:
    """This environment without what would put the checkout on the path or pick its firmware."""
    drop = ("PYTHONPATH", "PYTHONHOME", "TINYSTUDIO_FIRMWARE_DIR")
    return {**{k: v for k, v in os.environ.items() if k not in drop}, **extra}


def _run(argv: list[str], cwd: Path, env: dict[str, str] | None = None, timeout: float = 300) -> str:
    env = env if env is not None else _outside_env()
    result = subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    assert result.returncode == 0, f"{argv[:3]} failed:\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}"
    return result.stdout


def _build_wheel(tmp: Path) -> Path:
    """Build from a clean copy of the checkout, so the build leaves nothing behind in it."""
    src = tmp / "src"

    def junk(folder: str, names: list[str]) -> list[str]:
        top = {".git", ".venv", "build", "dist", "tests"} if Path(folder) == REPO else set()
        return [n for n in names if n in top or n == "__pycache__" or n.endswith(".egg-info") or n.startswith(".")]

    shutil.copytree(REPO, src, ignore=junk)
    dist = tmp / "dist"
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index", "-w", str(dist),
          str(src)], cwd=tmp)  # fmt: skip
    (wheel,) = dist.glob("tinystudio-*.whl")
    return wheel


def _fresh_venv(tmp: Path, wheel: Path) -> tuple[Path, Path]:
    """A new environment with the wheel installed; the dependencies come from the running environment as a
    plain path line, which (unlike the .pth files in it) cannot bring in an editable TinyStudio."""
    venv = tmp / "venv"
    _run([sys.executable, "-m", "venv", "--without-pip", str(venv)], cwd=tmp)
    python = venv / "bin" / "python"
    site = Path(_run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], cwd=tmp).strip())
    (site / "zz_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    (site / "ts_test_path_probe.py").write_text(_PROBE)
    (site / "ts_test_path_probe.pth").write_text("import ts_test_path_probe\n")
    pip = [sys.executable, "-m", "pip", "--python", str(python)]
    # --ignore-installed: the running environment may hold an editable TinyStudio of the same version
    _run([*pip, "install", "--no-deps", "--no-index", "--ignore-installed", str(wheel)], cwd=tmp)
    return venv, site


@pytest.fixture
def toolchain() -> None:
    for tool in ("arm-none-eabi-gcc", "qemu-system-arm"):
        if shutil.which(tool) is None:
            pytest.skip(f"{tool} is not installed (bash packaging/setup.sh setup installs it)")


@pytest.mark.usefixtures("toolchain")
def test_installed_wheel_captures_trains_and_deploys_to_qemu(tmp_path):
    wheel = _build_wheel(tmp_path)
    names = set(zipfile.ZipFile(wheel).namelist())
    for folder in SHIPPED:
        files = [p.relative_to(REPO) for p in (REPO / folder).rglob("*") if p.is_file()]
        files = [f for f in files if not any(part.startswith(".") or part == "__pycache__" for part in f.parts)
                 and f.suffix not in (".pyc", ".o")]  # fmt: skip
        missing = [str(f) for f in files if f"tinystudio/_data/{f.as_posix()}" not in names]
        assert files and not missing, f"not in the wheel: {missing}"
    assert any(n.startswith("tinystudio/_data/firmware/runtime/") and n.endswith(".c") for n in names)
    assert "tinystudio/_data/resources/simboard/shoulder_exercises.npz" in names

    venv, site = _fresh_venv(tmp_path, wheel)
    work = tmp_path / "work"
    work.mkdir()
    log = tmp_path / "paths.log"
    env = _outside_env(PATH=f"{venv / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}", TS_TEST_PATH_LOG=str(log))
    show = "import tinystudio.core.paths as p; print(p.__file__); print(p.firmware_dir()); print(p.resources_dir())"
    where = _run([str(venv / "bin" / "python"), "-c", show], cwd=work, env=env)
    package = site / "tinystudio"
    assert where.split() == [str(package / "core" / "paths.py"), str(package / "_data" / "firmware"),
                             str(package / "_data" / "resources")]  # fmt: skip

    cli = str(venv / "bin" / "tinystudio")
    _run([cli, "new", "motion.tsproj"], cwd=work, env=env)
    for activity in ACTIVITIES:
        for _ in range(RECORDINGS_PER_ACTIVITY):
            sample = json.loads(_run([cli, "capture", "motion.tsproj", "--simulated", "--activity", activity,
                                      "--label", activity, "--seconds", "2", "--json"], cwd=work, env=env))  # fmt: skip
            assert sample["axes"] == 6 and sample["frames"] > 50
    _run([cli, "split", "motion.tsproj", "--ratios", "50,25,25"], cwd=work, env=env)
    _run([cli, "train", "motion.tsproj", "--window-ms", "1000", "--stride-ms", "250", "--epochs", "5", "--seed", "1"],
         cwd=work, env=env)  # fmt: skip
    report = json.loads(_run([cli, "deploy", "motion.tsproj", "--target", "mps2-an386", "--json"], cwd=work, env=env))

    assert report["target"] == "mps2-an386" and report["windows"] > 0
    assert 0.9 <= report["agreement"] <= 1.0
    with Project.open(work / "motion.tsproj") as project:
        assert len(project.samples()) == len(ACTIVITIES) * RECORDINGS_PER_ACTIVITY
        assert [r["id"] for r in project.device_results()] == [report["result_id"]]

    touched = set(log.read_text().split())
    checkouts = [str(root / name) for root in (REPO, tmp_path / "src") for name in ("tinystudio", *SHIPPED)]
    leaks = sorted(p for p in touched if any(p == c or c + os.sep in p for c in checkouts))  # also in "-I..." flags
    assert not leaks, f"the installed TinyStudio used files of the checkout: {leaks[:5]}"
    data = package / "_data"
    assert any(p.startswith(str(data / "firmware" / "runtime")) for p in touched), "firmware not read from the wheel"
    assert str(data / "resources" / "simboard" / "shoulder_exercises.npz") in touched
