"""Small hand-written SVG charts for the report: a histogram and horizontal bars against a limit.

They are plain markup with an explicit width and height, so a browser renders them inline with no
script, font file or network."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape

import numpy as np

WIDTH, HEIGHT = 480, 200


def _svg(body: str, width: int, height: int, title: str) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}">'
            f'<title>{escape(title)}</title>{body}</svg>')


def histogram(values: Sequence[float], title: str, unit: str, bins: int = 20,
              marks: Mapping[str, float] | None = None) -> str:
    """Bars of how many values fall in each of ``bins`` equal ranges, the axis labelled in ``unit``; each of
    ``marks`` (name: value, such as the median and p95) a dashed vertical line with its name."""
    data = np.asarray(values, dtype=np.float64)
    left, bottom, top = 50, HEIGHT - 30, 20
    plot_w, plot_h = WIDTH - left - 10, bottom - top
    parts = [f'<text x="{left}" y="14" font-size="12" font-family="sans-serif">{escape(title)}</text>',
             f'<line x1="{left}" y1="{bottom}" x2="{WIDTH - 10}" y2="{bottom}" stroke="#333"/>']
    if len(data):
        lo, hi = float(data.min()), float(data.max())
        counts, edges = np.histogram(data, bins=bins, range=(lo, hi if hi > lo else lo + 1))
        peak = max(1, int(counts.max()))
        bar_w = plot_w / bins
        for i, c in enumerate(counts):
            h = plot_h * c / peak
            parts.append(f'<rect class="bar" x="{left + i * bar_w:.1f}" y="{bottom - h:.1f}" '
                         f'width="{max(1.0, bar_w - 1):.1f}" height="{h:.1f}" fill="#3b7dd8"/>')
        parts.append(f'<text x="{left}" y="{HEIGHT - 12}" font-size="10" font-family="sans-serif">'
                     f'{edges[0]:,.0f}</text>')
        parts.append(f'<text x="{WIDTH - 10}" y="{HEIGHT - 12}" font-size="10" font-family="sans-serif" '
                     f'text-anchor="end">{edges[-1]:,.0f} {escape(unit)}</text>')
        parts.append(f'<text x="{left - 4}" y="{top + 8}" font-size="10" font-family="sans-serif" '
                     f'text-anchor="end">{peak}</text>')
        parts.append(f'<text x="{left - 4}" y="{top + 20}" font-size="9" font-family="sans-serif" '
                     'text-anchor="end">windows</text>')
        span = float(edges[-1] - edges[0])
        for i, (name, value) in enumerate((marks or {}).items()):
            x = left + plot_w * (value - edges[0]) / span
            parts.append(f'<line class="mark" x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{bottom}" stroke="#c0392b" '
                         'stroke-dasharray="4 3"/>')
            near_right = x > WIDTH - 40  # the name goes left of a line at the right edge, so it is not cut off
            parts.append(f'<text x="{x - 3 if near_right else x + 3:.1f}" y="{top + 10 + 11 * i}" font-size="10" '
                         f'font-family="sans-serif" fill="#c0392b" text-anchor="{"end" if near_right else "start"}">'
                         f'{escape(name)}</text>')
    return _svg("".join(parts), WIDTH, HEIGHT, title)


def usage_bars(rows: Sequence[tuple[str, float, float | None]], title: str) -> str:
    """One bar per (name, used, limit): the share of the limit used, red above it; no limit: no bar scale."""
    row_h, left = 28, 70
    height = 24 + row_h * len(rows)
    plot_w = WIDTH - left - 90
    parts = [f'<text x="0" y="14" font-size="12" font-family="sans-serif">{escape(title)}</text>']
    for i, (name, used, limit) in enumerate(rows):
        y = 24 + i * row_h
        share = used / limit if limit else 0.0
        w = plot_w * min(1.0, share)
        colour = "#c0392b" if share > 1 else "#27ae60"
        parts.append(f'<text x="0" y="{y + 14}" font-size="11" font-family="sans-serif">{escape(name)}</text>')
        parts.append(f'<rect x="{left}" y="{y}" width="{plot_w}" height="18" fill="#eee" stroke="#999"/>')
        parts.append(f'<rect class="bar" x="{left}" y="{y}" width="{w:.1f}" height="18" fill="{colour}"/>')
        label = f"{share:.0%}" if limit else "no budget"
        parts.append(f'<text x="{left + plot_w + 6}" y="{y + 14}" font-size="11" '
                     f'font-family="sans-serif">{label}</text>')
    return _svg("".join(parts), WIDTH, height, title)
