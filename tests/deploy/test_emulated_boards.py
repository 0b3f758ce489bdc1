"""A trained project deploys end to end on every emulated board of the registry (one QEMU machine per
Cortex-M class): the board runs the DSP block and the int8 model, and its predictions agree 100 % with the
host's int8 model, its network outputs bit for bit. Every board whose memory map has room reads the test set
from its memory (placed there at launch, at the address its registry entry gives, or on the microbit with 16 KB
of RAM in its flash after the image) when the test set fits; else its windows are streamed, pipelined."""

from __future__ import annotations

import pytest

from tinystudio.app.deploy import deploy
from tinystudio.targets import get_target
from tinystudio.targets.base import Artifact
from tinystudio.targets.registry import emulated_boards

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("qemu_available")]


@pytest.mark.parametrize("board", [b.name for b in emulated_boards()])
def test_trained_project_deploys_with_full_agreement(project, trained, board):
    spec = next(b for b in emulated_boards() if b.name == board)
    r = deploy(project, trained.variant_id, board).results
    assert r["complete"] and r["target"] == board and r["hello"]["board"] == board
    assert r["mode"] == "dsp_on_board" and r["hello"]["dsp_on_board"]
    assert r["agreement"] == 1.0 and r["nn_bit_exact"] == 1.0
    assert r["accuracy"] == r["host_accuracy"]
    assert r["hello"]["clock_hz"] == spec.clock_hz
    [elf] = (project.cache_dir / "firmware").glob(f"{board}-*/firmware.elf")
    artifact = Artifact(board, elf, elf.parent, elf.parent)
    room = get_target(board).bulk_capacity(artifact)  # the microbit: its flash after the image
    fits = r["windows"] * -(-r["transfer"]["bytes_per_window"] // 4) * 4 <= room
    assert r["transfer"]["test_set"] == ("in memory at launch" if fits else "streamed")
    assert fits or board == "netduinoplus2"  # 64 KB spare: less than this test set
    assert r["transfer"]["pipelined"] is True
    nn = r["latency"]["nn"]
    assert nn["unit"] == "emulated instructions" and 0 < nn["min"] <= nn["max"]
    mem = r["memory"]
    assert mem["budget"] == {"flash": spec.budget.flash_bytes, "ram": spec.budget.ram_bytes}
    assert 0 < mem["flash"] <= mem["budget"]["flash"] and 0 < mem["ram"] <= mem["budget"]["ram"]
