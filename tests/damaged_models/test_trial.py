"""The first run of a model happens in a child process: when the interpreter crashes there, the app gets
one line naming the signal and keeps running."""

from __future__ import annotations

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
