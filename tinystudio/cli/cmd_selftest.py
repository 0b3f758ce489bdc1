"""`tinystudio selftest`: check that this installation works end to end (see tinystudio/app/selftest.py);
exit code 0 only when every step passes."""

from __future__ import annotations

import argparse
import logging
import shutil
import sys
import time

from tinystudio import __version__
from tinystudio.app.boards import target_names


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "selftest", help="check this installation end to end in a temporary project (about a minute)",
        description="Create a project in a temporary folder, record from the simulated board, split, train a "
        "tiny model, quantize it to int8, generate C and deploy it to the emulated Cortex-M4 board (else "
        "the host board, else skip with a note). Exit code 0 only when every step passes.")
    p.add_argument("--board", choices=target_names(), help="deploy to this board (default: the first one "
                   "whose compiler and emulator are installed)")
    p.add_argument("--keep", action="store_true", help="keep the temporary folder and print where it is")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from tinystudio.app.logs import setup_logging
    from tinystudio.app.selftest import STEPS, Step, run_selftest

    setup_logging()
    log = logging.getLogger("tinystudio.selftest")

    width = max(len(name) for name, _ in STEPS)
    print(f"TinyStudio {__version__} self-test", flush=True)

    def show(step: Step) -> None:
        line = f"{step.status:<4}  {step.name:<{width}}  {step.seconds:6.1f} s  {step.detail}"
        print(line, flush=True)
        log.info("self-test %s", line)

    started = time.perf_counter()
    test = run_selftest(board=args.board, on_step=show)
    total = time.perf_counter() - started
    passed = sum(s.status == "PASS" for s in test.steps)
    skipped = [s.name for s in test.steps if s.status == "SKIP"]
    if args.keep:
        print(f"project and generated files kept in {test.folder}")
    else:
        shutil.rmtree(test.folder, ignore_errors=True)
    verdict = "passed" if test.passed else "FAILED"
    extra = f", skipped: {', '.join(skipped)}" if skipped else ""
    print(f"self-test {verdict}: {passed} of {len(test.steps)} steps passed in {total:.1f} s{extra}",
          file=sys.stdout if test.passed else sys.stderr, flush=True)
    return 0 if test.passed else 1
