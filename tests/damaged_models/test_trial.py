"""The first run of a model happens in a child process: when the interpreter crashes there, the app gets
one line naming the signal and keeps running."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import suite_models
from tinystudio.core.errors import UserError
from tinystudio.core.model_trial import trial_run


def test_an_interpreter_crash_is_one_line_and_this_process_lives():
    """A far too small tensor arena makes TensorFlow Lite Micro itself crash (a real SIGSEGV)."""
    model = suite_models.build("motion_cnn_1d")
    with pytest.raises(UserError) as err:
        trial_run(model, arena_bytes=64)
    assert str(err.value) == "the model could not be run: the interpreter crashed (SIGSEGV, signal 11)"
    trial_run(model, arena_bytes=8 << 20)  # this process lives on, and with a real arena the model runs


def test_an_interpreter_error_is_its_own_line():
    model = suite_models.build("motion_cnn_1d")
    with pytest.raises(UserError, match="^the model could not be run: TFLite Micro: .*allocate"):
        trial_run(model, arena_bytes=2048)


def test_the_bundled_app_entry_runs_the_trial_child():
    """The bundled app has no `python -m`: its entry script takes the hidden --model-trial flag instead."""
    launcher = Path(__file__).resolve().parents[2] / "packaging" / "launcher.py"
    model = suite_models.build("motion_cnn_1d")
    env = {**os.environ, "PYTHONPATH": str(launcher.parents[1])}
    ok = subprocess.run([sys.executable, str(launcher), "--model-trial", str(8 << 20)], input=model,
                        capture_output=True, env=env)
    assert ok.returncode == 0, ok.stderr[-300:]
    cut = subprocess.run([sys.executable, str(launcher), "--model-trial", str(8 << 20)], input=model[:3000],
                         capture_output=True, env=env)
    assert cut.returncode == 2 and cut.stdout.decode().startswith("the model file is damaged")
