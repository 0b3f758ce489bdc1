"""Entry point `tinystudio`: no arguments opens the GUI, a subcommand runs headless.

Subcommands live in sibling modules named ``cmd_<name>.py``, each exposing ``register(subparsers)``;
they are discovered here so that adding a command never touches this file.
"""

from __future__ import annotations

import argparse
import importlib
import os
import pkgutil
import signal
import sys
import threading
from collections.abc import Sequence
from types import FrameType

import tinystudio.cli as cli_pkg
from tinystudio import __version__
from tinystudio.core.errors import Cancelled, UserError
from tinystudio.core.store import PROJECT_SUFFIX


def build_parser() -> argparse.ArgumentParser:
    """Build the parser with every discovered subcommand."""
    parser = argparse.ArgumentParser(
        prog="tinystudio",
        description="TinyStudio: capture, train, compress and flash-and-test TinyML models.",
    )
    parser.add_argument("--version", action="version", version=f"tinystudio {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    names = sorted(m.name for m in pkgutil.iter_modules(cli_pkg.__path__) if m.name.startswith("cmd_"))
    for name in names:
        module = importlib.import_module(f"tinystudio.cli.{name}")
        module.register(subparsers)
    return parser


class Terminated(BaseException):
    """SIGTERM or SIGHUP arrived: unwind (closing boards and files) and exit."""


def _on_terminate(signum: int, frame: FrameType | None) -> None:
    """Stop every child (emulator, host board, compiler) at once, then unwind the command."""
    from tinystudio.app.processes import stop_children

    stop_children()
    raise Terminated(signum)


def _silence_stdout() -> None:
    """Point stdout at the null device, so the flush at exit does not fail on the closed pipe again."""
    try:
        fd = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):  # not a real file (captured in-process)
        return
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, fd)
    os.close(null)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the process exit code."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    if not args_list or (len(args_list) == 1 and args_list[0].endswith(PROJECT_SUFFIX)):
        from tinystudio.gui.app import run_gui

        return run_gui(args_list)
    parser = build_parser()
    try:
        args = parser.parse_args(args_list)
    except UserError as exc:  # an option's type refused a bad size (tinystudio.core.limits)
        print(f"tinystudio: error: {exc}", file=sys.stderr)
        return 1
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    previous = {}
    if threading.current_thread() is threading.main_thread():
        previous = {sig: signal.signal(sig, _on_terminate) for sig in (signal.SIGTERM, signal.SIGHUP)}
    try:
        return int(args.func(args) or 0)
    except Terminated as exc:
        print("tinystudio: terminated", file=sys.stderr)
        return 128 + int(exc.args[0])
    except UserError as exc:
        print(f"tinystudio: error: {exc}", file=sys.stderr)
        return 1
    except Cancelled:
        print("tinystudio: cancelled", file=sys.stderr)
        return 130
    except KeyboardInterrupt:
        print("tinystudio: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # the reader went away (`tinystudio samples P | head`): stop quietly, as other tools do
        _silence_stdout()
        return 141
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


if __name__ == "__main__":
    sys.exit(main())
