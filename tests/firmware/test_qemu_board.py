"""The mps2-an386 board under QEMU: HELLO facts, correct inference, deterministic counts, and a clear
link-time failure when the image exceeds the memory budget."""

import numpy as np
import pytest

from tinystudio.core.errors import UserError
from tinystudio.device.runner_protocol import CounterKind
from tinystudio.targets import MemoryBudget, get_target

from .conftest import FIXTURE_MODEL, fixture_reference


def test_hello_reports_board_budget_and_footprint(qemu_board, qemu_fixture_artifact):
    info = qemu_board.client.hello()
    assert info.board == "mps2-an386"
    assert info.counter_kind is CounterKind.INSTRUCTIONS
    assert info.clock_hz == 25_000_000
    assert (info.flash_budget, info.ram_budget) == (1024 * 1024, 256 * 1024)
    assert info.flash_used == qemu_fixture_artifact.flash_bytes
    assert info.ram_used == qemu_fixture_artifact.static_ram_bytes
    assert info.input_shape == (1, 100, 6) and info.model_hash == "0123456789abcdef"
    assert info.stack_bytes >= 8 * 1024


def test_infer_matches_reference_with_repeatable_counts(qemu_board):
    rng = np.random.default_rng(5)
    counts = []
    for _ in range(2):
        window = rng.integers(-128, 128, 600, dtype=np.int8).tobytes()
        result = qemu_board.client.infer(window, chunk=200)
        assert result.status == 0 and result.output == fixture_reference(window)
        counts.append(result.nn_count)
    assert counts[0] > 0
    # Emulated instruction counts repeat to within one SysTick tick (40 instructions).
    assert abs(counts[0] - counts[1]) <= 40
    bench = qemu_board.client.bench(4)
    assert bench.nn_max - bench.nn_min <= 40
    stack = qemu_board.client.stack()
    assert 0 < stack.peak_bytes < 8 * 1024


@pytest.mark.parametrize(
    ("budget", "region"),
    [(MemoryBudget(flash_bytes=2048, ram_bytes=256 * 1024), "flash"),
     (MemoryBudget(flash_bytes=1024 * 1024, ram_bytes=6 * 1024), "RAM")],
)
def test_image_over_budget_fails_at_link_time_with_clear_message(fw_cache, budget, region):
    target = get_target("mps2-an386", budget=budget)
    with pytest.raises(UserError, match=f"does not fit the board: it exceeds {region} by \\d+ bytes"):
        target.build(FIXTURE_MODEL, fw_cache)


def test_missing_cross_compiler_names_the_install_command(fw_cache, monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setenv("TINYSTUDIO_ARM_CC", "gcc")  # insist on gcc: the zig fallback is not asked for
    with pytest.raises(UserError, match="sudo apt-get install gcc-arm-none-eabi"):
        get_target("mps2-an386").build(FIXTURE_MODEL, fw_cache / "none")
