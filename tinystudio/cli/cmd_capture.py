"""`tinystudio capture PROJECT (--port P | --simulated) --label L --seconds S`: record one sample from a
serial board (or the built-in simulated board) into a project, headless."""

from __future__ import annotations

import argparse
import json
import sys

from tinystudio.app.capture import DEFAULT_BAUD, DEFAULT_TIMEOUT_S, SIMULATED_PORT, Status, list_boards, record
from tinystudio.app.collect import DEFAULT_RATE_HZ as COLLECT_RATE_HZ
from tinystudio.cli.common import open_project, print_progress
from tinystudio.core.errors import UserError
from tinystudio.core.labels import check_label
from tinystudio.core.limits import MAX_RATE_HZ, MAX_SECONDS, arg, finite_positive, positive_int

MAX_BAUD = 20_000_000


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("capture", help="record a labelled sample from a serial board")
    p.add_argument("project", nargs="?", help="project file to add the sample to")
    src = p.add_mutually_exclusive_group()
    src.add_argument("--port", help="serial port, e.g. /dev/ttyACM0 or COM3")
    src.add_argument("--simulated", action="store_true", help="use the built-in simulated board")
    src.add_argument("--list", action="store_true", help="list serial ports, likeliest board first")
    p.add_argument("--target", help="put the data-collection firmware on this board (an emulated one starts under "
                                    "QEMU) and record from it; --port names its port where it cannot be found")
    p.add_argument("--rate", type=arg(finite_positive, "--rate", MAX_RATE_HZ), default=COLLECT_RATE_HZ,
                   help=f"--target only: readings per second (default {COLLECT_RATE_HZ:g})")
    p.add_argument("--activity", help="simulated board only: what the wearer does (tinystudio simboard --list)")
    p.add_argument("--label", help="label of the new sample")
    p.add_argument("--seconds", type=arg(finite_positive, "--seconds", MAX_SECONDS),
                   help="length of the recording in seconds")
    p.add_argument("--baud", type=arg(positive_int, "--baud", MAX_BAUD), default=DEFAULT_BAUD,
                   help=f"baud rate (default {DEFAULT_BAUD})")
    p.add_argument("--group", help="who or what is recorded (person, session, machine): the split keeps a group "
                   "on one side (default with --simulated: its wearer, e.g. subject-03)")
    p.add_argument("--timeout", type=arg(finite_positive, "--timeout", MAX_SECONDS), default=DEFAULT_TIMEOUT_S,
                   help=f"seconds to wait for data (default {DEFAULT_TIMEOUT_S:g})")
    p.add_argument("--json", action="store_true", help="print the new sample as a JSON object")
    p.set_defaults(func=run)


def _list_ports() -> int:
    boards = list_boards()
    if not boards:
        print("no serial ports found; use --simulated for the built-in simulated board")
    for b in boards:
        sn = f"  serial {b.serial_number}" if b.serial_number else ""
        print(f"{b.device:<24} {b.name}{sn}")
    return 0


def run(args: argparse.Namespace) -> int:
    if args.list:
        return _list_ports()
    if not args.project:
        raise UserError("capture needs a PROJECT file")
    if args.target and args.simulated:
        raise UserError("--target puts the data-collection firmware on a board: it does not go with --simulated")
    if not args.port and not args.simulated and not args.target:
        raise UserError("choose a board with --port P (see `tinystudio capture --list`), --target BOARD "
                        "or --simulated")
    if args.activity and not args.simulated:
        raise UserError("--activity only applies to --simulated")
    if args.seconds is None or not (args.seconds > 0):
        raise UserError("give the recording length with --seconds S (a positive number)")
    if not args.label:
        raise UserError("give the sample's label with --label L")
    args.label = check_label(args.label)
    def announce(status: Status) -> None:
        if not args.json:
            print(
                f"recording {args.seconds:g} s from {status.board} "
                f"({status.layout.axes if status.layout else 0} axes at {status.rate_hz:g} Hz)...",
                file=sys.stderr,
            )

    def notice(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    with open_project(args.project) as project:
        port = SIMULATED_PORT if args.simulated else args.port
        collector = None
        if args.target:
            from tinystudio.app.collect import flash_collector

            collector = flash_collector(args.target, args.port, print_progress, rate_hz=args.rate)
            port = collector.port
        try:
            done = record(project, port, args.label, args.seconds, baud=args.baud, group=args.group,
                          activity=args.activity, timeout=args.timeout, on_ready=announce, on_notice=notice)
        finally:
            if collector is not None:
                collector.close()
        out = done.to_dict(project)
    if args.json:
        print(json.dumps(out))
    else:
        print(done.message)
        skipped = done.skipped_summary()
        if skipped:
            print(skipped)
        for w in done.warnings:
            print(f"warning: {w}", file=sys.stderr)
    if done.error is not None:
        raise UserError(done.error)  # what was recorded is saved, but not the length asked for
    return 0
