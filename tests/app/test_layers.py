"""The layering of DESIGN.md holds: the import contracts pass, and importing any module of the package
leaves TensorFlow unloaded (it loads only when training, compression or conversion starts)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("tensorflow", "tf_keras", "tensorflow_model_optimization", "keras")


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"}


def test_import_contracts_hold():
    lint = Path(sys.executable).with_name("lint-imports")
    done = subprocess.run([str(lint), "--no-cache"], cwd=ROOT, env=_env(), capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert "0 broken" in done.stdout


def test_no_module_imports_tensorflow_at_import_time():
    code = f"""
import importlib, json, pkgutil, sys
import tinystudio
heavy = {HEAVY!r}
names = sorted(m.name for m in pkgutil.walk_packages(tinystudio.__path__, "tinystudio.")
               if not m.name.endswith("__main__"))
culprits = []
for name in names:
    importlib.import_module(name)
    if any(h in sys.modules for h in heavy):
        culprits.append(name)
        break
print(json.dumps({{"modules": len(names), "culprits": culprits}}))
"""
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=_env(), capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr[-4000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["culprits"] == [], f"imports TensorFlow when imported: {result['culprits']}"
    assert result["modules"] > 100  # every module of the package was imported, gui and cli included
