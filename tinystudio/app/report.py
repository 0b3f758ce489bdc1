"""One self-contained HTML report of one or more stored on-device results, to hand to a colleague.

Everything is in the one file: styles inline, charts as hand-written SVG (app/svg_charts.py), no script,
no external file, no network. Several results are compared side by side in a summary table and an impulse
table first, then each has its own section: data, impulse (its settings as a table), variant, accuracy and
confusion matrix, per-class metrics, latency (histogram and percentiles), the per-layer profile when the
result has one, memory against the budget with the arena plan, the energy estimate and the board and
firmware identity.
"""

from __future__ import annotations

import contextlib
import json
import os
import time
from collections import Counter
from collections.abc import Sequence
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tinystudio.app.device_figures import (
    DEFAULT_BATTERY_MAH,
    DEFAULT_RATE_HZ,
    DEFAULT_SLEEP_UA,
    device_figures,
)
from tinystudio.app.figure_text import battery_life, host_model, rate_sentence, with_model_kind
from tinystudio.app.formatting import MISSING, fmt_bytes, fmt_count, fmt_percent
from tinystudio.app.impulse_table import impulse_rows, side_by_side
from tinystudio.app.layer_report import arena_html, per_layer_html
from tinystudio.app.svg_charts import histogram, usage_bars
from tinystudio.core.errors import UserError
from tinystudio.core.store import SPLITS

if TYPE_CHECKING:
    from tinystudio.core.store import Project

STYLE = """
body { font-family: sans-serif; margin: 2em; color: #222; }
table { border-collapse: collapse; margin: 0.5em 0 1em; }
th, td { border: 1px solid #bbb; padding: 3px 8px; text-align: right; }
th:first-child, td:first-child { text-align: left; }
.estimate { color: #8a5a00; font-style: italic; }
div.wide { overflow-x: auto; max-width: 100%; }
table.compare { font-size: 0.9em; }
table.impulse td, table.impulse-compare td { text-align: left; }
section.result { border-top: 2px solid #3b7dd8; margin-top: 2em; }
"""


# What a stored result must hold for the report to show it (a result damaged outside the app, or written by a
# release that stored less, lacks some).
REPORT_FIELDS: dict[str, type] = {
    "hello": dict, "latency": dict, "memory": dict, "confusion_matrix": dict, "predictions": list,
    "host_predictions": list, "dsp_counts": list, "nn_counts": list, "target": str, "mode": str,
}


def missing_fields(results: dict[str, Any]) -> list[str]:
    """The fields of a stored result the report needs that are absent or of the wrong kind."""
    return [key for key, kind in REPORT_FIELDS.items() if not isinstance(results.get(key), kind)]


def complete_results(project: Project, result_ids: Sequence[int] | None,
                     compare: bool = False) -> list[dict[str, Any]]:
    """The stored results named (default: the newest complete one); with ``compare``, the newest complete
    result of every variant, board and mode as well, oldest first. UserError for a missing or partial one."""
    rows = {int(r["id"]): r for r in project.device_results()}
    done = [r for r in rows.values() if r["results"].get("complete", True) and not missing_fields(r["results"])]
    chosen = []
    for rid in dict.fromkeys(result_ids or ()):  # a result named twice is reported once
        if rid not in rows:
            raise UserError(f"no on-device result with id {rid}")
        if not rows[rid]["results"].get("complete", True):
            raise UserError(f"on-device result {rid} is partial (the board stopped): deploy again to complete it")
        if missing := missing_fields(rows[rid]["results"]):
            raise UserError(f"on-device result {rid} is damaged (it has no {', '.join(missing)}): deploy again")
        chosen.append(rows[rid])
    if compare:
        newest: dict[tuple[Any, ...], dict[str, Any]] = {}
        for r in done:  # device_results() is oldest first: the last of each kind is the newest
            newest[(r["variant_id"], r["target"], r["results"].get("mode"))] = r
        named = {int(r["id"]) for r in chosen}
        chosen += [r for r in newest.values() if int(r["id"]) not in named]
        chosen.sort(key=lambda r: int(r["id"]))
    if not chosen:
        if not done:
            raise UserError("the project has no on-device result yet: deploy a model first")
        chosen = [done[-1]]
    return chosen


def write_report(project: Project, out: str | Path, result_ids: Sequence[int] | None = None,
                 rate_hz: float = DEFAULT_RATE_HZ, sleep_ua: float = DEFAULT_SLEEP_UA,
                 battery_mah: float = DEFAULT_BATTERY_MAH, compare: bool = False) -> Path:
    """Write the report of ``result_ids`` (default: the newest complete result; ``compare``: see
    ``complete_results``) to ``out``; returns the path."""
    path = Path(out)
    if not path.name:  # '' or a path ending in '.' or '..'
        raise UserError(f"--out needs a file name, such as report.html (got {str(out)!r})")
    try:
        target = _check_out(project, path)
    except OSError as exc:  # a name too long for the file system, a folder that cannot be searched
        raise UserError(f"cannot write the report to {path}: {exc.strerror or exc}") from None
    rows = complete_results(project, result_ids, compare)
    html = render(project, rows, rate_hz, sleep_ua, battery_mah)
    if target.exists() and not target.is_file():  # a pipe or a device (/dev/stdout): streamed into, not replaced
        try:
            with open(target, "w", encoding="utf-8") as fh:
                fh.write(html)
        except OSError as exc:
            raise UserError(f"cannot write the report to {path}: {exc.strerror or exc}") from None
        return path
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:  # written beside and renamed: a failed or interrupted write never leaves half a report
        tmp.write_text(html, encoding="utf-8")
        os.replace(tmp, target)  # the file a link points at: the link stays
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
        raise UserError(f"cannot write the report to {path}: {exc.strerror or exc}") from None
    return path


def _check_out(project: Project, path: Path) -> Path:
    """Refuse to write the report over the project itself or over a file that is not an HTML page; the file
    to write (links followed)."""
    target = path.resolve()
    own = project.path.resolve()
    if target in {own, *(own.with_name(own.name + end) for end in ("-wal", "-shm", "-journal"))}:
        raise UserError(f"{path} is the project file itself: write the report to an .html file")
    if target.is_file() and target.stat().st_size:
        with open(target, "rb") as fh:
            head = fh.read(512).lstrip().lower()
        if not head.startswith((b"<!doctype html", b"<html")):
            raise UserError(f"{path} exists and is not an HTML page: the report does not overwrite it; "
                            "choose another file")
    return target


def _table(head: Sequence[str], rows: Sequence[Sequence[Any]], cls: str = "") -> str:
    """A table; a head of empty strings (a two-column list of facts) is left out."""
    h = "".join(f"<th>{escape(str(c))}</th>" for c in head)
    thead = f"<thead><tr>{h}</tr></thead>" if any(head) else ""
    body = "".join("<tr>" + "".join(f"<td>{escape(str(c))}</td>" for c in r) + "</tr>" for r in rows)
    return f'<table class="{cls}">{thead}<tbody>{body}</tbody></table>'


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def _ms(value: float | None) -> str:
    return MISSING if value is None else f"{value:.3g} ms"


def render(project: Project, rows: list[dict[str, Any]], rate_hz: float, sleep_ua: float,
           battery_mah: float) -> str:
    """The report's HTML for the stored result rows (``project.device_results()`` entries)."""
    figures = [device_figures(r["results"], rate_hz, sleep_ua, battery_mah) for r in rows]
    parts = [f"<h1>On-device test report: {escape(project.path.stem)}</h1>",
             f"<p>Written {time.strftime('%Y-%m-%d %H:%M')}. Figures marked <span class='estimate'>estimate"
             "</span> are computed from emulated instruction counts or datasheet currents.</p>",
             _data_summary(project)]
    if len(rows) > 1:
        parts.append(_comparison(rows, figures))
        parts.append(_impulse_comparison(project, rows))
    for row, fig in zip(rows, figures, strict=True):
        parts.append(_result_section(project, row, fig))
    return ("<!DOCTYPE html><html><head><meta charset='utf-8'><title>TinyStudio report</title>"
            f"<style>{STYLE}</style></head><body>{''.join(parts)}</body></html>")


def _data_summary(project: Project) -> str:
    samples = project.samples()
    counts = Counter((s.label or "(unlabelled)", s.split or "(none)") for s in samples)
    labels = sorted({k[0] for k in counts})
    rows = [[label, *(counts.get((label, sp), 0) for sp in (*SPLITS, "(none)"))] for label in labels]
    total = sum(s.duration_s for s in samples)
    return (f"<h2>Data</h2><p>{len(samples)} samples, {total:.1f} s of signal.</p>"
            + _table(["label", *SPLITS, "unassigned"], rows, "data"))


def _time(s: dict[str, Any], key: str) -> str:
    """One latency figure in ms where the board has a clock (the comparison says which are estimates)."""
    return _ms(s["ms"][key]) if s["ms"] else f"{fmt_count(s[key])} {s['unit']}"


def _time_basis(r: dict[str, Any], s: dict[str, Any]) -> str:
    if s["ms"] is None:
        return "counter units"
    clock = r["hello"].get("clock_hz")
    return f"estimate at {clock / 1e6:g} MHz" if s["ms_estimate"] else "measured"


def _used(mem: dict[str, Any], key: str) -> str:
    """Bytes used; a board without a budget that reports none (the host has no flash) shows a dash."""
    return MISSING if not mem[key] and not mem.get("budget") else fmt_bytes(mem[key])


def _comparison(rows: list[dict[str, Any]], figures: list[dict[str, Any]]) -> str:
    head = ["result", "variant", "board", "accuracy", "agreement", "NN median", "NN p95", "DSP median", "times",
            "flash", "RAM", "energy / inference"]
    body = []
    for row, f in zip(rows, figures, strict=True):
        r, lat, e = row["results"], f["latency"], f["energy"]
        body.append([
            row["id"], r["variant_id"], r["target"], fmt_percent(r["accuracy"]), fmt_percent(r["agreement"]),
            _time(lat["nn"], "median"), _time(lat["nn"], "p95"),
            _time(lat["dsp"], "median") if lat["dsp"]["on_board"] else "host", _time_basis(r, lat["nn"]),
            _used(r["memory"], "flash"), _used(r["memory"], "ram"),
            (f"{e['uj_per_inference']:.3g} uJ" + ("" if e["verified"] else " *")) if e else MISSING,
        ])
    note = ("<p class='estimate'>Energy is an estimate from the latency and the chip's run current; * marks a "
            "typical current not checked against the datasheet (see each result's Energy section).</p>")
    return ("<h2>Side by side</h2><div class='wide'>" + _table(head, body, "compare") + "</div>"
            + (note if any(f["energy"] for f in figures) else ""))


def _impulse_comparison(project: Project, rows: list[dict[str, Any]]) -> str:
    """The impulse settings of each result's run, one column per result."""
    columns: list[list[tuple[str, str]] | None] = []
    for row in rows:
        try:
            columns.append(impulse_rows(project.run(int(row["results"]["run_id"])).config))
        except (UserError, KeyError, TypeError, ValueError):
            columns.append(None)  # its run was deleted: a column of dashes
    head = ["setting", *(f"result {row['id']}" for row in rows)]
    return ("<h3>Impulse side by side</h3><div class='wide'>"
            + _table(head, side_by_side(columns), "impulse-compare") + "</div>")


def _result_section(project: Project, row: dict[str, Any], f: dict[str, Any]) -> str:
    r = with_model_kind(row["results"], project)
    h = r["hello"]
    out = [f'<section class="result" id="result-{row["id"]}">',
           f"<h2>Result {row['id']}: variant {r['variant_id']} on {escape(r['target_title'])}</h2>",
           _identity(row, r, h), _impulse_and_variant(project, r), _accuracy(r, f), _latency(r, f)]
    out.append(per_layer_html(r))
    out.append(_memory(r))
    out.append(arena_html(r))
    out.append(_energy(f))
    out.append(_disagreements(f))
    out.append("</section>")
    return "".join(out)


def _identity(row: dict[str, Any], r: dict[str, Any], h: dict[str, Any]) -> str:
    timed = h.get("clock_hz") and "second" not in h["counter"]  # a microsecond counter has no core clock
    clock = f"{h['clock_hz'] / 1e6:g} MHz" if timed else MISSING
    when = time.strftime("%Y-%m-%d %H:%M", time.localtime(row["created"]))
    rows = [["board", h["board"]], ["target", r["target"]], ["firmware", h["firmware"]],
            ["protocol", h["protocol"]], ["model hash", h["model_hash"]], ["model name", h["model_name"]],
            ["clock", clock], ["counter", h["counter"]],
            ["mode", "DSP on the board" if r["mode"] == "dsp_on_board" else "features sent from the host"],
            ["test windows", r["windows"]], ["deployed", when]]
    return "<h3>Board and firmware</h3>" + _table(["", ""], rows, "identity")


def _impulse_and_variant(project: Project, r: dict[str, Any]) -> str:
    parts = []
    try:
        run = project.run(int(r["run_id"]))
        parts.append(f"<h3>Impulse (run {run.id})</h3>" + _table(["", ""], impulse_rows(run.config), "impulse"))
    except UserError:
        parts.append(f"<h3>Impulse</h3><p>run {r['run_id']} is no longer in the project</p>")
    variant = next((v for v in project.variants() if v["id"] == r["variant_id"]), None)
    if variant is None:
        parts.append(f"<h3>Variant</h3><p>variant {r['variant_id']} is no longer in the project</p>")
    else:
        rows = [["name", variant["name"]], ["model", variant.get("kind")]]
        rows += [[k, json.dumps(v)] for k, v in sorted(variant["config"].items()) if not isinstance(v, dict | list)]
        parts.append(f"<h3>Variant {variant['id']}</h3>" + _table(["", ""], rows, "variant"))
    return "".join(parts)


def _accuracy(r: dict[str, Any], f: dict[str, Any]) -> str:
    cm = r["confusion_matrix"]
    summary = (f"<p>On-device accuracy <b>{fmt_percent(r['accuracy'])}</b> on {r['windows']} test windows "
               f"({host_model(r)} {fmt_percent(r['host_accuracy'])}); agreement with the host "
               f"{fmt_percent(r['agreement'])}.</p>")
    matrix = _table(["true \\ predicted", *cm["labels"]],
                    [[label, *row] for label, row in zip(cm["labels"], cm["counts"], strict=True)], "confusion")
    per = _table(["class", "precision", "recall", "F1", "support"],
                 [[c["label"], fmt_percent(c["precision"]), fmt_percent(c["recall"]), fmt_percent(c["f1"]),
                   c["support"]] for c in f["per_class"]], "per-class")
    return "<h3>Accuracy on the board</h3>" + summary + matrix + per


def _latency(r: dict[str, Any], f: dict[str, Any]) -> str:
    lat = f["latency"]
    rows, charts = [], []
    for part, title, counts in (("dsp", "DSP", r["dsp_counts"]), ("nn", "NN", r["nn_counts"])):
        s = lat[part]
        if part == "dsp" and not s["on_board"]:
            continue
        b = s["bench"]
        bench = " / ".join(fmt_count(b[k]) for k in ("min", "mean", "max")) if b else MISSING
        rows.append([f"{title} ({s['unit']})", *(fmt_count(s[k]) for k in ("min", "median", "p95", "max")), bench])
        if s["ms"]:
            rows.append([f"{title} (ms{', estimate' if s['ms_estimate'] else ''})",
                         *(f"{s['ms'][k]:.3g}" for k in ("min", "median", "p95", "max")),
                         " / ".join(f"{s['ms'][f'bench_{k}']:.3g}" for k in ("min", "mean", "max"))
                         if "bench_mean" in s["ms"] else MISSING])
        charts.append(histogram(counts[s["warmup_skipped"]:], f"{title} latency per window", s["unit"],
                                marks={"median": s["median"], "p95": s["p95"]}))
    rate = f["rate"]
    rate_text = "" if rate["inference_ms"] is None else f"<p>{escape(_sentence(rate_sentence(rate)))}.</p>"
    runs = lat.get("bench_runs")
    head = ["", "min", "median", "p95", "max", f"BENCH min / mean / max ({runs} runs)" if runs else "BENCH"]
    return (f"<h3>Latency</h3><p>Over the test windows after {lat['nn']['warmup_skipped']} warm-up window.</p>"
            + _table(head, rows, "latency") + rate_text + "".join(charts))


def _memory(r: dict[str, Any]) -> str:
    mem = r["memory"]
    budget = mem.get("budget") or {}
    rows = [["flash", _used(mem, "flash"), fmt_bytes(budget.get("flash"))],
            ["RAM", _used(mem, "ram"), fmt_bytes(budget.get("ram"))],
            ["arena", fmt_bytes(mem["arena"]), ""], ["stack peak", fmt_bytes(mem["stack_peak"]), ""]]
    chart = usage_bars([("flash", mem["flash"], budget.get("flash")), ("RAM", mem["ram"], budget.get("ram"))],
                       "memory against the board's budget") if budget else "<p>This board has no memory budget.</p>"
    return "<h3>Memory</h3>" + _table(["", "used", "budget"], rows, "memory") + chart


def _energy(f: dict[str, Any]) -> str:
    e = f["energy"]
    if not e:
        return "<h3>Energy</h3><p>No power figure for this board.</p>"
    life = battery_life(e["battery_hours"])
    rows = [["chip", e["chip"]], ["clock", f"{e['clock_hz'] / 1e6:g} MHz"],
            ["active current", f"{e['active_ma']:.3g} mA"],
            ["supply", f"{e['volts']:g} V"], ["current figure", e["basis"]],
            ["energy per inference", f"{e['uj_per_inference']:.3g} uJ"],
            ["inference rate", f"{e['rate_hz']:g} per second"], ["sleep current", f"{e['sleep_ua']:g} uA"],
            ["average current", f"{e['average_ma']:.3g} mA"], [f"battery life on {e['battery_mah']:g} mAh", life]]
    return ("<h3>Energy <span class='estimate'>(estimate)</span></h3>" + _table(["", ""], rows, "energy")
            + f"<p class='estimate'>Source: {escape(e['source'])}.</p>")


def _disagreements(f: dict[str, Any]) -> str:
    d = f["disagreements"]
    if not d:
        return "<h3>Board and host disagree</h3><p>on no test window.</p>"
    rows = [[w["sample_id"], w["window_index"], w["host"], w["device"]] for w in d]
    return (f"<h3>Board and host disagree</h3><p>on {len(d)} test windows.</p>"
            + _table(["sample", "window", "host", "board"], rows, "disagreements"))
