"""`tinystudio samples PROJECT`: list samples and do the Data page's edits headless.

Relabel, move to a split (a manual move, kept by later splits), set the group, delete, crop or cut a
segment, the same calls the Data page makes, so scripts and CI can curate a project too.
"""

from __future__ import annotations

import argparse
import json

from tinystudio.app import samples
from tinystudio.app.samples import SPLITS, UNASSIGNED
from tinystudio.cli.common import open_project
from tinystudio.core.errors import UserError
from tinystudio.core.limits import MAX_SECONDS, arg, finite
from tinystudio.core.store import Project, SampleInfo


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("samples", help="list samples; relabel, move, group, delete, crop or cut them")
    p.add_argument("project")
    p.add_argument("ids", nargs="*", type=int, help="sample ids to change (all listed ones when omitted)")
    p.add_argument("--label", help="only samples with this label")
    p.add_argument("--split", choices=[*SPLITS, UNASSIGNED], help="only samples in this split")
    action = p.add_mutually_exclusive_group()
    action.add_argument("--relabel", metavar="LABEL", help="give the samples this label")
    action.add_argument("--move", choices=SPLITS, help="move the samples to this split (kept by later splits)")
    action.add_argument("--group", dest="set_group", metavar="GROUP", help="set the group key ('' clears it)")
    action.add_argument("--delete", action="store_true", help="delete the samples")
    action.add_argument("--crop", nargs=2, type=arg(finite, "--crop", -MAX_SECONDS, MAX_SECONDS),
                        metavar=("START_S", "END_S"), help="keep only this stretch")
    action.add_argument("--cut", nargs=3, metavar=("START_S", "END_S", "LABEL"),
                        help="copy this stretch into a new sample with LABEL")
    p.add_argument("--json", action="store_true", help="print the (remaining) samples as JSON")
    p.set_defaults(func=run)


def _row(s: SampleInfo) -> dict[str, object]:
    return {
        "id": s.id, "name": s.name, "label": s.label, "split": s.split, "manual_split": s.split_manual,
        "group": s.group, "frames": s.frames, "rate_hz": s.rate_hz, "duration_s": round(s.duration_s, 6),
        "axes": list(s.axis_names), "source": s.source,
    }


def _select(project: Project, args: argparse.Namespace) -> list[SampleInfo]:
    return samples.select(project, label=args.label, split=args.split, ids=args.ids)


def run(args: argparse.Namespace) -> int:
    with open_project(args.project) as project:
        rows = _select(project, args)
        ids = [r.id for r in rows]
        editing = any(v is not None and v is not False for v in
                      (args.relabel, args.move, args.set_group, args.delete, args.crop, args.cut))
        if editing and not args.ids:
            raise UserError("name the sample ids to change (for safety, edits never apply to all samples)")
        if args.relabel is not None:
            samples.relabel(project, ids, args.relabel)
        elif args.move:
            samples.move(project, ids, args.move)
        elif args.set_group is not None:
            samples.set_group(project, ids, args.set_group)
        elif args.delete:
            samples.delete(project, ids)
        elif args.crop:
            for sid in ids:
                samples.crop(project, sid, *args.crop)
        elif args.cut:
            start, end, label = args.cut
            start_s = finite("--cut START_S", start, -MAX_SECONDS, MAX_SECONDS)
            end_s = finite("--cut END_S", end, -MAX_SECONDS, MAX_SECONDS)
            for sid in ids:
                print(f"new sample {samples.cut(project, sid, start_s, end_s, label)} from sample {sid}")
        rows = [] if args.delete else _select(project, args)
        if args.json:
            print(json.dumps([_row(r) for r in rows], indent=2))
        elif not editing:
            for r in rows:
                print(f"{r.id:>6}  {r.label or '(unlabelled)':<16} {r.split or '-':<11} {r.group or '':<12} "
                      f"{r.duration_s:8.2f} s  {r.rate_hz:g} Hz  {r.name}")
        else:
            print(f"changed {len(ids)} sample(s)")
    return 0
