"""`tinystudio simboard [--activity A] [--rate HZ] [--link PATH]`: run the built-in simulated board on a
pseudo-terminal, print a stable port path (a link to the current pty), and stream until stopped (SIGUSR1
unplugs it, SIGUSR2 plugs it back in on a new pty, which the link then names)."""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from types import FrameType

from tinystudio.app.capture import SimBoard, StableLink
from tinystudio.core.errors import UserError
from tinystudio.core.limits import MAX_SIM_RATE_HZ, arg, sample_rate


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "simboard", help="run the simulated board on a pseudo-terminal",
        description="Run the simulated board on a pseudo-terminal and print the port to open: a link that "
        "always names the board's current pty, so a capture reading it reconnects after the board is "
        "unplugged (SIGUSR1) and plugged back in (SIGUSR2) on a new pty. The link exists only while the "
        "board is plugged in. By default it is tinystudio-simboard (then -2, -3 for more boards at once) in "
        "$XDG_RUNTIME_DIR, else in a private folder in the temp folder.",
    )
    p.add_argument("--activity", help="what the wearer does (default: the first activity of the data)")
    p.add_argument("--rate", type=arg(sample_rate, "--rate", MAX_SIM_RATE_HZ),
                   help=f"lines per second, at most {MAX_SIM_RATE_HZ:g} (default: the data's true rate)")
    p.add_argument("--timestamp", action="store_true", help="start each line with a millis timestamp")
    p.add_argument("--list", action="store_true", help="list the activities and exit")
    p.add_argument("--link", metavar="PATH",
                   help="the stable port path to keep pointing at the current pty (default: see above)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if sys.platform.startswith("win"):
        raise UserError("the simulated board needs pseudo-terminals (Linux or macOS)")
    board = SimBoard(activity=args.activity, rate_hz=args.rate, timestamp=args.timestamp)
    if args.list:
        print(f"{board.data.source}: {', '.join(board.data.activities)}")
        return 0
    board.link = StableLink.claim(args.link)
    stop = threading.Event()

    def on_signal(signum: int, _frame: FrameType | None) -> None:
        if signum == signal.SIGUSR1:
            board.unplug()
            print("unplugged", flush=True)
        elif signum == signal.SIGUSR2:
            board.plug()
            print(link, flush=True)
        else:
            stop.set()

    link = board.link.path
    try:
        pty = board.start()
    except BaseException:
        board.stop()
        raise
    for sig in (signal.SIGUSR1, signal.SIGUSR2, signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, on_signal)
    print(link, flush=True)
    print(
        f"simulated board: {board.activity} at {board.rate_hz:g} Hz, {len(board.data.axis_names)} axes "
        f"({board.data.source}) on {pty}, linked from {link}; Ctrl-C to stop",
        file=sys.stderr,
        flush=True,
    )
    try:
        while not stop.wait(0.5):
            pass
    finally:
        board.stop()
    return 0
