"""The board dies (cable pulled, emulator killed) after every test window, during the BENCH run: the message
says so and that a new deploy only runs the BENCH. It used to say "after 108 of 108 test windows ... deploy
again to continue from window 109", a window that does not exist."""

from __future__ import annotations

from pathlib import Path

import pytest

from hostile.processes import kill_children
from tinystudio.app.deploy import deploy
from tinystudio.core.errors import UserError
from tinystudio.core.store import Project


def test_a_board_that_dies_in_the_bench_run_is_not_told_to_continue_from_a_window_past_the_end(forest_copy: Path):
    killed: list[str] = []

    def progress(_fraction: float, message: str) -> None:
        if message.startswith("benchmarking") and not killed:
            killed.append(message)
            kill_children()

    with Project.open(forest_copy) as project:
        variant = project.variants()[-1]["id"]
        windows = len(project.device_results()[-1]["results"]["predictions"])
        with pytest.raises(UserError) as exc:
            deploy(project, variant, "host", progress=progress, bench_runs=60000)
    assert killed
    text = str(exc.value)
    assert f"window {windows + 1}" not in text
    assert "BENCH" in text and f"all {windows} test windows" in text
