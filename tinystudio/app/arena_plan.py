"""The arena plan of a deployed model as stored with its result: which buffer sits where in the tensor
arena and during which ops, so a chart can show where the memory goes (time across, offset up).

Tensors that share one place (an alias such as a reshape, or an op writing over its input) form one
buffer; a kernel's scratch buffer lives during its own op only. The model's input and output are the
caller's buffers, outside the arena, so they are listed apart.
"""

from __future__ import annotations

from typing import Any

from tinystudio.core.codegen import CodegenReport


def arena_plan(report: CodegenReport, ram_budget: int | None = None) -> dict[str, Any]:
    """JSON-able plan: steps (op kind and index), buffers (offset, bytes, first and last step, tensors),
    live bytes per step, the peak, the arena size and the board's RAM budget."""
    groups: dict[int, list[Any]] = {}
    for t in report.tensors:
        if t.location == "arena":
            groups.setdefault(t.buffer, []).append(t)
    buffers: list[dict[str, Any]] = []
    for members in groups.values():
        buffers.append({
            "kind": "tensor",
            "offset": int(members[0].offset),
            "bytes": int(max(t.nbytes for t in members)),
            "first": int(min(t.first_step for t in members)),
            "last": int(max(t.last_step for t in members)),
            "tensors": [t.name for t in sorted(members, key=lambda t: t.first_step)],
        })
    for step, offset, nbytes in report.scratch:
        kind = report.layers[step].kind if step < len(report.layers) else "op"
        op_index = report.layers[step].op_index if step < len(report.layers) else step
        buffers.append({"kind": "scratch", "offset": int(offset), "bytes": int(nbytes), "first": int(step),
                        "last": int(step), "tensors": [f"scratch of op {op_index} ({kind})"]})
    buffers.sort(key=lambda b: (b["first"], b["offset"]))
    steps = [{"kind": layer.kind, "op_index": layer.op_index} for layer in report.layers]
    live = [sum(b["bytes"] for b in buffers if b["first"] <= s <= b["last"]) for s in range(len(steps))]
    peak_step = max(range(len(live)), key=lambda s: live[s]) if live else 0
    outside = [{"tensor": t.name, "location": t.location, "bytes": int(t.nbytes)}
               for t in report.tensors if t.location != "arena"]
    return {
        "arena_bytes": int(report.arena_bytes),
        "ram_budget": int(ram_budget) if ram_budget else None,
        "steps": steps,
        "buffers": buffers,
        "live_bytes": live,
        "peak": {"step": peak_step, "bytes": live[peak_step] if live else 0},
        "outside": outside,
    }


def rectangles(plan: dict[str, Any]) -> list[tuple[float, float, float, float, dict[str, Any]]]:
    """One (x0, x1, y0, y1, buffer) per buffer in chart units: x in steps (a buffer alive during steps
    first..last covers [first, last + 1)), y in bytes from the arena's start."""
    return [(float(b["first"]), float(b["last"] + 1), float(b["offset"]), float(b["offset"] + b["bytes"]), b)
            for b in plan["buffers"]]
