"""`tinystudio boards [--json]`: every board with its core, clock and memory budget, the tools it needs
(found, or how to install them) and the serial ports, probes and boot drives of it plugged in now."""

from __future__ import annotations

import argparse
import dataclasses
import json

from tinystudio.app.boards import BoardStatus, board_overview
from tinystudio.app.formatting import fmt_bytes


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("boards", help="list the boards, the tools each needs and which are plugged in")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=run)


def as_json(row: BoardStatus) -> dict[str, object]:
    out = dataclasses.asdict(row)
    out["ready"] = row.ready
    return out


def _clock(hz: int | None) -> str:
    return f"{hz / 1e6:g} MHz" if hz else "-"


def run(args: argparse.Namespace) -> int:
    rows = board_overview()
    if args.json:
        print(json.dumps({"boards": [as_json(r) for r in rows]}, indent=1))
        return 0
    for kind, heading in (("bench", "Boards on the bench (pyOCD, UF2)"), ("emulated", "Emulated boards (QEMU)"),
                          ("host", "Host"), ("arduino", "Arduino boards (arduino-cli)")):
        group = [r for r in rows if r.kind == kind]
        if not group:
            continue
        print(f"{heading}:")
        for r in group:
            budget = (f"flash {fmt_bytes(r.flash_bytes)}, RAM {fmt_bytes(r.ram_bytes)}"
                      if r.flash_bytes and r.ram_bytes else "no memory budget")
            facts = ", ".join(x for x in (r.core, _clock(r.clock_hz) if r.clock_hz else "", budget) if x)
            print(f"  {r.name:<18} {r.title}")
            if kind != "arduino":
                print(f"  {'':<18} {facts}")
            for tool in r.tools:
                how = tool.detail[tool.detail.find("install"):] if "install" in tool.detail else tool.detail
                state = "found" if tool.present else f"MISSING, {how}"
                print(f"  {'':<18} {tool.name}: {state}")
            if kind in ("bench", "arduino"):
                if r.attached:
                    for a in r.attached:
                        sn = f", serial {a.serial_number}" if a.serial_number else ""
                        print(f"  {'':<18} attached: {a.kind} {a.device} ({a.description}, USB {a.usb}{sn})")
                else:
                    print(f"  {'':<18} attached: none")
        print()
    return 0
