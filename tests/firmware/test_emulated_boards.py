"""Every emulated board of the registry (one QEMU machine per Cortex-M class) boots the runner firmware
through its own UART driver, reports the facts of its registry entry, computes the fixture model right,
and counts emulated instructions at its own clock: the same M4F code costs the same on two M4F machines
whose SysTick clocks differ (25 MHz and 168 MHz)."""

from __future__ import annotations

import shutil

import numpy as np
import pytest

from tinystudio.device.runner_protocol import CounterKind
from tinystudio.targets import get_target
from tinystudio.targets.registry import emulated_boards

from .conftest import FIXTURE_MODEL, fixture_reference

pytestmark = pytest.mark.skipif(
    shutil.which("qemu-system-arm") is None or shutil.which("arm-none-eabi-gcc") is None,
    reason="qemu-system-arm or arm-none-eabi-gcc is not installed",
)
EMULATED = [b.name for b in emulated_boards()]


def _fixture_run(name, fw_cache):
    target = get_target(name)
    artifact = target.build(FIXTURE_MODEL, fw_cache)
    window = np.random.default_rng(7).integers(-128, 128, 600, dtype=np.int8).tobytes()
    with target.launch(artifact) as link:
        info = link.client.hello()
        result = link.client.infer(window, chunk=200)
        bench = link.client.bench(3)
        stack = link.client.stack()
    return target, artifact, info, window, result, bench, stack


def test_every_core_class_has_an_emulated_board():
    cores = {b.core for b in emulated_boards()}
    assert cores == {"Cortex-M0", "Cortex-M3", "Cortex-M4F", "Cortex-M7", "Cortex-M33", "Cortex-M55"}
    assert all(b.counter_kind is CounterKind.INSTRUCTIONS and b.budget and b.clock_hz for b in emulated_boards())


@pytest.mark.parametrize("name", EMULATED)
def test_board_boots_reports_its_facts_and_infers_exactly(name, fw_cache):
    target, artifact, info, window, result, bench, stack = _fixture_run(name, fw_cache)
    spec = target.spec
    assert info.board == name and info.clock_hz == spec.clock_hz
    assert info.counter_kind is CounterKind.INSTRUCTIONS
    assert (info.flash_budget, info.ram_budget) == (spec.budget.flash_bytes, spec.budget.ram_bytes)
    assert (info.flash_used, info.ram_used) == (artifact.flash_bytes, artifact.static_ram_bytes)
    assert result.status == 0 and result.output == fixture_reference(window)
    assert result.nn_count > 0
    # One SysTick tick is 10^9 / clock emulated instructions (62.5 on the 16 MHz microbit).
    tick = -(-1_000_000_000 // spec.clock_hz)
    assert bench.nn_max - bench.nn_min <= tick
    assert 0 < stack.peak_bytes <= spec.budget.min_stack_bytes


def test_counts_are_emulated_instructions_whatever_the_machine_clock(fw_cache):
    """mps2-an386 (25 MHz) and netduinoplus2 (168 MHz) run the same Cortex-M4F code for the model."""
    counts = {name: _fixture_run(name, fw_cache)[5].nn_mean for name in ("mps2-an386", "netduinoplus2")}
    assert abs(counts["mps2-an386"] - counts["netduinoplus2"]) <= 40 + 6


def test_model_too_big_for_the_microbit_is_refused_before_it_runs(fw_cache, tmp_path):
    """DS-CNN's 17 KB arena cannot fit the nRF51's 16 KB RAM: the build stops with the budget message."""
    import suite_models
    from tinystudio.core.codegen import generate
    from tinystudio.core.errors import UserError

    generate(suite_models.build("ds_cnn_kws"), tmp_path / "model")
    with pytest.raises(UserError, match=r"^the model does not fit the board: it exceeds RAM by \d+ bytes "
                                        r"\(budget 16 KB, stack included\)$"):
        get_target("microbit").build(tmp_path / "model", fw_cache)
