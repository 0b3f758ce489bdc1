"""`deploy --profile` on the emulated Cortex-M4: a per-layer table whose times add up to the whole
inference the test measured, MACs per layer, and the arena plan (every tensor, no two live ones in the
same bytes) in the stored result, in `deploy --json` and in the HTML report."""

from __future__ import annotations

import json
import re

import pytest

from cli_helpers import run_cli
from tinystudio.core.codegen import generate_files
from tinystudio.core.store import Project

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def profiled(trained, tmp_path_factory, request) -> tuple:
    """One `deploy --json --profile` on mps2-an386 of a copy of the trained project."""
    import shutil

    request.getfixturevalue("qemu_available")
    path = tmp_path_factory.mktemp("profiled") / "p.tsproj"
    shutil.copy(trained.path, path)
    code, out, err = run_cli("deploy", str(path), "--json", "--profile", "--target", "mps2-an386",
                             "--variant", str(trained.variant_id))
    assert code == 0, err
    return path, json.loads(out)


def test_per_layer_times_add_up_to_the_measured_inference(profiled):
    _, r = profiled
    rows, p = r["per_layer"], r["profile"]
    assert rows and p["unit"] == "emulated instructions" and p["ms_estimate"] is True
    whole = r["latency"]["nn"]["after_warmup"]["median"]  # the shipped image, every test window
    assert abs(p["sum"] - whole) <= 0.02 * whole
    assert sum(row["share"] for row in rows) == pytest.approx(1.0)
    for row in rows:
        assert row["count"] > 0 and row["count_min"] <= row["count"]
        assert row["ms"] == pytest.approx(row["count"] / p["clock_hz"] * 1000)
        if row["op"] in ("CONV_2D", "FULLY_CONNECTED", "DEPTHWISE_CONV_2D"):
            assert row["macs"] > 0 and row["per_mac"] == pytest.approx(row["count"] / row["macs"])
        else:
            assert row["macs"] == 0 and row["per_mac"] is None
    assert any(row["op"] == "FULLY_CONNECTED" for row in rows)


def test_arena_plan_holds_every_tensor_and_no_two_live_buffers_share_bytes(profiled):
    path, r = profiled
    plan = r["arena_plan"]
    with Project.open(path) as project:
        stored = project.device_results()[-1]["results"]
        _, report = generate_files(project.variant_tflite(r["variant_id"]))
    assert stored["arena_plan"] == plan and stored["per_layer"] == r["per_layer"]
    assert plan["arena_bytes"] == stored["memory"]["arena"] > 0
    in_arena = {t.name for t in report.tensors if t.location == "arena"}
    charted = [name for b in plan["buffers"] if b["kind"] == "tensor" for name in b["tensors"]]
    assert sorted(charted) == sorted(in_arena)  # every tensor of the arena, each once
    buffers = plan["buffers"]
    top = max(b["offset"] + b["bytes"] for b in buffers)
    assert top == plan["arena_bytes"]
    for i, a in enumerate(buffers):
        for b in buffers[i + 1:]:
            live_together = a["first"] <= b["last"] and b["first"] <= a["last"]
            same_bytes = a["offset"] < b["offset"] + b["bytes"] and b["offset"] < a["offset"] + a["bytes"]
            assert not (live_together and same_bytes), (a, b)
    peak = plan["peak"]
    assert peak["bytes"] == max(plan["live_bytes"]) <= plan["arena_bytes"]
    assert plan["ram_budget"] == r["memory"]["budget"]["ram"]


def test_report_has_the_per_layer_table_and_the_arena_chart(profiled, tmp_path):
    path, r = profiled
    out = tmp_path / "report.html"
    code, _, err = run_cli("report", str(path), "--out", str(out))
    assert code == 0, err
    html = out.read_text()
    table = re.search(r'<table class="layers">.*?</table>', html, re.S)
    assert table is not None
    assert table.group(0).count("<tr>") == len(r["per_layer"]) + 1  # a header row and one per layer
    for row in r["per_layer"]:
        assert row["op"] in table.group(0)
    chart = re.search(r'<svg[^>]*aria-label="arena plan[^"]*".*?</svg>', html, re.S)
    assert chart is not None
    svg = chart.group(0)
    assert svg.count('class="bar buffer"') == len(r["arena_plan"]["buffers"])
    assert 'class="peak"' in svg and "estimate" in html
