"""`tinystudio live PROJECT`: the deployed model classifies the board's own sensor stream; one line (or JSON
object) per window until --seconds pass or Ctrl-C; --save-last stores the last seconds as a labelled sample."""

from __future__ import annotations

import argparse
import contextlib
import json
import signal
import threading
from collections.abc import Callable, Iterator

from tinystudio.app.boards import DEFAULT_BOARD, target_names
from tinystudio.cli.common import open_project, print_progress
from tinystudio.core.progress import CancelToken

MAX_RUN_S = 1e7  # about four months
# The host keeps the stretch --save-last asks for in memory from the start (float64 frames): ten minutes of
# 16 kHz audio is 77 MB, where a million seconds would not fit.
MAX_SAVE_S = 600.0


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("live", help="classify the board's own sensor stream live with the deployed model")
    p.add_argument("project")
    p.add_argument("--target", choices=target_names(), default=DEFAULT_BOARD,
                   help=f"board (default: {DEFAULT_BOARD})")
    p.add_argument("--port", help="serial port of a real board (default: found by its probe's USB VID/PID)")
    p.add_argument("--probe", help="unique id of the debug probe to flash through (see `tinystudio boards`)")
    p.add_argument("--variant", type=int, help="model variant (default: the one deploy would choose)")
    p.add_argument("--run", type=int, help="training run whose variant to use")
    p.add_argument("--seconds", type=_seconds(MAX_RUN_S), help="stop after this many seconds (default: until Ctrl-C)")
    p.add_argument("--fast", action="store_true",
                   help="let an emulated board run as fast as it computes instead of at the sensor's rate")
    p.add_argument("--no-host-check", action="store_true",
                   help="do not run the host's model on each window's samples (the board's own live rate)")
    p.add_argument("--save-last", type=_seconds(MAX_SAVE_S), metavar="SECONDS",
                   help=f"at the end, save the last SECONDS of signal as a new sample (with --label; "
                        f"at most {MAX_SAVE_S:g})")
    p.add_argument("--label", help="label of the sample --save-last stores")
    p.add_argument("--json", action="store_true", help="print one JSON object per line")
    p.set_defaults(func=run)


def _seconds(high: float) -> Callable[[str], float]:
    """An argument type for a finite number of seconds above zero and at most ``high``."""
    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
        if not 0 < value <= high:  # also refuses nan and inf
            raise argparse.ArgumentTypeError(f"must be above zero and at most {high:,.0f}: {text}")
        return value

    return parse


@contextlib.contextmanager
def _ctrl_c_stops(cancel: CancelToken) -> Iterator[None]:
    """The first Ctrl-C ends live classification as --seconds would (summary, --save-last); a second one
    interrupts."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def first(signum: int, frame: object) -> None:
        cancel.cancel()
        signal.signal(signal.SIGINT, signal.default_int_handler)

    previous = signal.signal(signal.SIGINT, first)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def _ms(value: float | None, estimate: bool) -> str:
    if value is None:
        return "-"
    return f"{'≈' if estimate else ''}{value:.3g} ms"


def run(args: argparse.Namespace) -> int:
    from tinystudio.app.live import (
        Connection,
        LiveHistory,
        LiveWindow,
        check_saveable,
        prepare_live,
        run_live,
        save_last,
        too_short,
    )
    from tinystudio.core.errors import UserError
    from tinystudio.core.labels import check_label

    if (args.save_last is None) != (args.label is None):
        raise UserError("--save-last and --label go together")
    if args.label is not None:
        args.label = check_label(args.label)
    cancel = CancelToken()
    with open_project(args.project) as project:
        plan = prepare_live(project, args.target, variant_id=args.variant, run_id=args.run,
                            progress=print_progress, cancel=cancel, connection=Connection(args.port, args.probe))
        if args.save_last is not None:
            check_saveable(plan)
        history = LiveHistory(plan.rate_hz, len(plan.axis_names),
                              seconds=max(30.0, args.save_last or 0.0))
        labels = plan.labels
        start = {"type": "start", "target": plan.board.name, "variant_id": plan.variant_id,
                 "labels": labels, "rate_hz": plan.rate_hz, "window_frames": plan.window_frames,
                 "hop_frames": plan.hop_frames, "source": plan.source}
        print(json.dumps(start) if args.json else
              f"live on {plan.board.title}, variant {plan.variant_id}: {plan.source}", flush=True)

        def on_window(w: LiveWindow) -> None:
            if args.json:
                print(json.dumps(w.to_json(labels)), flush=True)
                return
            host = "" if w.host_top is None or w.host_top == w.top else f"  (host: {labels[w.host_top]})"
            truth = f"  [playing {w.truth}]" if w.truth else ""
            print(f"{w.end_s:9.2f} s  {w.label:<16} {w.score:5.2f}  DSP {_ms(w.dsp_ms, w.ms_estimate):>11}  "
                  f"NN {_ms(w.nn_ms, w.ms_estimate):>11}{host}{truth}", flush=True)

        with _ctrl_c_stops(cancel):
            try:
                summary = run_live(plan, history, seconds=args.seconds, paced=not args.fast,
                                   check_host=not args.no_host_check, on_window=on_window, cancel=cancel)
            except UserError as exc:  # the board stopped (cable pulled): keep what it sent, as asked
                if args.save_last is None or not len(history.last(args.save_last)[0]):
                    raise
                kept = save_last(project, plan, history, args.save_last, args.label)
                saved = next(s for s in project.samples() if s.id == kept)
                raise UserError(f"{exc}; the last {saved.frames / plan.rate_hz:g} s it sent were saved as sample "
                                f"{kept} ({args.label})") from None
        out = summary.to_json()
        if args.save_last is not None:
            out["saved_sample"] = save_last(project, plan, history, args.save_last, args.label)
            saved = next(s for s in project.samples() if s.id == out["saved_sample"])
            out["saved_seconds"] = round(saved.frames / plan.rate_hz, 3)  # less than asked when the run was shorter
    if args.json:
        print(json.dumps(out), flush=True)
        return 0
    agreement = "" if summary.agreement is None else f", host agreement {summary.agreement:.1%}"
    print(f"{summary.windows} windows in {summary.seconds:.1f} s ({summary.windows_per_s:.3g} windows/s)"
          f"{agreement}")
    short = too_short(plan, summary)
    if short:
        print(short)
    if "saved_sample" in out:
        print(f"saved the last {out['saved_seconds']:g} s as sample {out['saved_sample']} ({args.label})")
    return 0
