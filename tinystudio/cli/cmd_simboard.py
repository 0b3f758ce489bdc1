"""`tinystudio simboard [--activity A] [--rate HZ]`: run the built-in simulated board on a
pseudo-terminal, print its port path, and stream until stopped (SIGUSR1 unplugs it, SIGUSR2 replugs)."""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from types import FrameType

from tinystudio.app.capture import SimBoard
from tinystudio.core.errors import UserError
from tinystudio.core.limits import MAX_SIM_RATE_HZ, arg, sample_rate


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("simboard", help="run the simulated board on a pseudo-terminal")
    p.add_argument("--activity", help="what the wearer does (default: the first activity of the data)")
    p.add_argument("--rate", type=arg(sample_rate, "--rate", MAX_SIM_RATE_HZ),
                   help=f"lines per second, at most {MAX_SIM_RATE_HZ:g} (default: the data's true rate)")
    p.add_argument("--timestamp", action="store_true", help="start each line with a millis timestamp")
    p.add_argument("--list", action="store_true", help="list the activities and exit")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if sys.platform.startswith("win"):
        raise UserError("the simulated board needs pseudo-terminals (Linux or macOS)")
    board = SimBoard(activity=args.activity, rate_hz=args.rate, timestamp=args.timestamp)
    if args.list:
        print(f"{board.data.source}: {', '.join(board.data.activities)}")
        return 0
    stop = threading.Event()

    def on_signal(signum: int, _frame: FrameType | None) -> None:
        if signum == signal.SIGUSR1:
            board.unplug()
            print("unplugged", flush=True)
        elif signum == signal.SIGUSR2:
            print(board.plug(), flush=True)
        else:
            stop.set()

    path = board.start()
    for sig in (signal.SIGUSR1, signal.SIGUSR2, signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, on_signal)
    print(path, flush=True)
    print(
        f"simulated board: {board.activity} at {board.rate_hz:g} Hz, {len(board.data.axis_names)} axes "
        f"({board.data.source}); Ctrl-C to stop",
        file=sys.stderr,
        flush=True,
    )
    try:
        while not stop.wait(0.5):
            pass
    finally:
        board.stop()
    return 0
