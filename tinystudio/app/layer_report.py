"""The per-layer profile and the arena plan of a stored result as report HTML: a table with a bar of
time per layer, and the arena plan as an inline SVG (time across in ops, arena offset up, one
rectangle per buffer, the peak and the RAM budget marked). Plain markup, no script."""

from __future__ import annotations

from html import escape
from typing import Any

from tinystudio.app.arena_plan import rectangles
from tinystudio.app.formatting import MISSING, fmt_bytes, fmt_count, fmt_percent

WIDTH, HEIGHT = 640, 300
_COLOURS = ("#3b7dd8", "#27ae60", "#8e44ad", "#d35400", "#16a085", "#c0392b", "#2c3e50", "#b7950b")
_SHORT = {"CONV_2D": "conv", "DEPTHWISE_CONV_2D": "dw", "FULLY_CONNECTED": "fc", "AVERAGE_POOL_2D": "avg",
          "MAX_POOL_2D": "max", "SOFTMAX": "soft", "RESHAPE": "resh", "EXPAND_DIMS": "exp", "SQUEEZE": "sq"}


def short_kind(kind: str) -> str:
    """A few letters for an op kind, for axis labels."""
    return _SHORT.get(kind, kind[:4].lower())


def op_label(steps: list[dict[str, Any]], step: int) -> str:
    """The .tflite op index of a step (what the per-layer table calls the op)."""
    return str(steps[step]["op_index"]) if 0 <= step < len(steps) else str(step)


def op_span(steps: list[dict[str, Any]], b: dict[str, Any]) -> str:
    """When a buffer is live, in op indices: ``op 3`` or ``ops 3-7``."""
    first, last = op_label(steps, b["first"]), op_label(steps, b["last"])
    return f"op {first}" if first == last else f"ops {first}-{last}"


def per_layer_html(r: dict[str, Any]) -> str:
    """The per-layer table of a stored result (empty when it has none)."""
    rows, p = r.get("per_layer"), r.get("profile")
    if not rows or not p:
        error = r.get("profile_error")
        return f"<h3>Per layer</h3><p>The profiling build failed: {escape(error)}</p>" if error else ""
    est = " <span class='estimate'>(estimate)</span>" if p["ms_estimate"] else ""
    head = ["op", "layer", "output", p["unit"], "ms", "MACs", f"{p['unit']} per MAC", "share", ""]
    top = max(row["share"] for row in rows) or 1.0
    body = []
    for row in rows:
        bar = (f"<div style='width:{120 * row['share'] / top:.0f}px;height:9px;background:#3b7dd8'></div>")
        cells = [row["op_index"], row["op"], "x".join(map(str, row["output_shape"])), fmt_count(row["count"]),
                 MISSING if row["ms"] is None else f"{row['ms']:.3g}", fmt_count(row["macs"]),
                 MISSING if row["per_mac"] is None else f"{row['per_mac']:.2f}", fmt_percent(row["share"])]
        body.append("<tr>" + "".join(f"<td>{escape(str(c))}</td>" for c in cells) + f"<td>{bar}</td></tr>")
    share = p["sum"] / p["whole"] if p["whole"] else None
    note = (f"<p>Median of {p['windows']} test windows x {p['runs']} runs on a profiling build (each layer "
            f"timed); the layers add up to {fmt_count(p['sum'])} of {fmt_count(p['whole'])} {escape(p['unit'])} "
            f"for the whole inference ({fmt_percent(share)}){est}.</p>")
    h = "".join(f"<th>{escape(str(c))}</th>" for c in head)
    return (f"<h3>Per layer</h3>{note}<table class=\"layers\"><thead><tr>{h}</tr></thead>"
            f"<tbody>{''.join(body)}</tbody></table>")


def arena_svg(plan: dict[str, Any]) -> str:
    """The arena plan chart (see the module docstring)."""
    steps = plan["steps"]
    arena = max(1, plan["arena_bytes"])
    budget = plan.get("ram_budget")
    scale_top = budget if budget and budget <= 1.5 * arena else arena
    left, right, top, bottom = 70, 20, 28, HEIGHT - 48
    plot_w, plot_h = WIDTH - left - right, bottom - top
    n = max(1, len(steps))

    def x(v: float) -> float:
        return left + plot_w * v / n

    def y(v: float) -> float:
        return bottom - plot_h * v / scale_top

    title = f"arena plan: {fmt_bytes(plan['arena_bytes'])} over {len(steps)} ops"
    parts = [f'<text x="0" y="14" font-size="12" font-family="sans-serif">{escape(title)}</text>',
             f'<line x1="{left}" y1="{bottom}" x2="{WIDTH - right}" y2="{bottom}" stroke="#333"/>',
             f'<line x1="{left}" y1="{top}" x2="{left}" y2="{bottom}" stroke="#333"/>']
    for i, (x0, x1, y0, y1, b) in enumerate(rectangles(plan)):
        colour = "#aaaaaa" if b["kind"] == "scratch" else _COLOURS[i % len(_COLOURS)]
        tip = f"{', '.join(b['tensors'])}: {fmt_bytes(b['bytes'])} at offset {b['offset']}, {op_span(steps, b)}"
        parts.append(f'<rect class="bar buffer" x="{x(x0):.1f}" y="{y(y1):.1f}" width="{x(x1) - x(x0):.1f}" '
                     f'height="{max(1.0, y(y0) - y(y1)):.1f}" fill="{colour}" fill-opacity="0.75" stroke="#222" '
                     f'stroke-width="0.5"><title>{escape(tip)}</title></rect>')
    parts.append(f'<line x1="{left}" y1="{y(arena):.1f}" x2="{WIDTH - right}" y2="{y(arena):.1f}" stroke="#333" '
                 f'stroke-dasharray="2,2"/><text x="{left - 4}" y="{y(arena) + 4:.1f}" font-size="10" '
                 f'font-family="sans-serif" text-anchor="end">{escape(fmt_bytes(arena))}</text>')
    peak = plan["peak"]
    px = x(peak["step"] + 0.5)
    parts.append(f'<line class="peak" x1="{px:.1f}" y1="{top}" x2="{px:.1f}" y2="{bottom}" stroke="#c0392b" '
                 f'stroke-width="1.5" stroke-dasharray="5,3"/><text x="{min(px + 4, WIDTH - 150):.1f}" '
                 f'y="{top - 4}" font-size="10" font-family="sans-serif" fill="#c0392b">peak '
                 f'{escape(fmt_bytes(peak["bytes"]))} live at op {op_label(steps, peak["step"])}</text>')
    if budget and scale_top == budget:
        parts.append(f'<line x1="{left}" y1="{y(budget):.1f}" x2="{WIDTH - right}" y2="{y(budget):.1f}" '
                     f'stroke="#c0392b"/><text x="{WIDTH - right}" y="{y(budget) - 3:.1f}" font-size="10" '
                     f'font-family="sans-serif" text-anchor="end" fill="#c0392b">RAM budget '
                     f'{escape(fmt_bytes(budget))}</text>')
    elif budget:
        parts.append(f'<text x="{WIDTH - right}" y="{HEIGHT - 4}" font-size="10" font-family="sans-serif" '
                     f'text-anchor="end">RAM budget {escape(fmt_bytes(budget))}: the arena is '
                     f'{escape(fmt_percent(arena / budget))} of it</text>')
    every = max(1, (n + 23) // 24)
    for s in range(0, len(steps), every):
        label = f"{op_label(steps, s)} {short_kind(steps[s]['kind'])}"
        parts.append(f'<text x="{x(s + 0.5):.1f}" y="{bottom + 12}" font-size="9" font-family="sans-serif" '
                     f'text-anchor="end" transform="rotate(-40 {x(s + 0.5):.1f} {bottom + 12})">{escape(label)}</text>')
    parts.append(f'<text x="{left - 4}" y="{bottom}" font-size="10" font-family="sans-serif" '
                 f'text-anchor="end">0</text>')
    parts.append(f'<text x="12" y="{(top + bottom) / 2:.0f}" font-size="10" font-family="sans-serif" '
                 f'transform="rotate(-90 12 {(top + bottom) / 2:.0f})" text-anchor="middle">arena offset</text>')
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
            f'viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{escape(title)}">'
            f'<title>{escape(title)}</title>{"".join(parts)}</svg>')


def arena_html(r: dict[str, Any]) -> str:
    """The arena plan section of a stored result (empty when it has none)."""
    plan = r.get("arena_plan")
    if not plan or not plan.get("buffers"):
        return ""
    outside = ", ".join(f"{o['tensor']} ({fmt_bytes(o['bytes'])}, {o['location']})" for o in plan["outside"])
    return ("<h3>Arena plan</h3><p>Which buffers of the tensor arena are in use during each op (one rectangle "
            "per buffer; grey: a kernel's scratch). The model's input and output are the caller's buffers: "
            f"{escape(outside) or MISSING}.</p>" + arena_svg(plan))
