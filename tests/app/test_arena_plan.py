"""The arena plan stored with a result, on real generated models with aliases, in-place ops and kernel
scratch: every arena tensor and scratch buffer is charted once, no two buffers live at the same op share
a byte, and the report's SVG draws one rectangle per buffer with the peak marked."""

from __future__ import annotations

import re

import pytest

import suite_models
from tinystudio.app.arena_plan import arena_plan
from tinystudio.app.layer_report import arena_svg
from tinystudio.core.codegen import generate_files


@pytest.mark.parametrize("name", ["ds_cnn_kws", "motion_cnn_1d", "resnet8"])
def test_every_buffer_is_charted_once_and_live_buffers_never_share_bytes(name):
    _, report = generate_files(suite_models.build(name))
    plan = arena_plan(report, ram_budget=256 * 1024)
    buffers = plan["buffers"]
    charted = sorted(n for b in buffers if b["kind"] == "tensor" for n in b["tensors"])
    assert charted == sorted(t.name for t in report.tensors if t.location == "arena")
    assert sum(b["kind"] == "scratch" for b in buffers) == len(report.scratch)
    assert max(b["offset"] + b["bytes"] for b in buffers) == plan["arena_bytes"] == report.arena_bytes
    for i, a in enumerate(buffers):
        for b in buffers[i + 1:]:
            live_together = a["first"] <= b["last"] and b["first"] <= a["last"]
            same_bytes = a["offset"] < b["offset"] + b["bytes"] and b["offset"] < a["offset"] + a["bytes"]
            assert not (live_together and same_bytes), (a, b)
    assert plan["peak"]["bytes"] == max(plan["live_bytes"]) <= plan["arena_bytes"]

    svg = arena_svg(plan)
    assert svg.count('class="bar buffer"') == len(buffers)
    assert len(re.findall(r'class="peak"', svg)) == 1
    assert "RAM budget 256.0 KB" in svg


def test_resnet_add_writes_in_place_and_shares_its_input_buffer():
    """An elementwise op writing over an input that dies there: one buffer, two tensors."""
    _, report = generate_files(suite_models.build("resnet8"))
    plan = arena_plan(report)
    adds = {layer.output for layer in report.layers if layer.kind == "ADD"}
    shared = [b for b in plan["buffers"] if len(b["tensors"]) > 1 and set(b["tensors"]) & adds]
    assert adds and shared
    for b in shared:  # the add's output takes over when its input dies: one after the other, no gap
        assert b["first"] < b["last"]
