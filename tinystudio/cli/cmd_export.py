"""`tinystudio export PROJECT --format FMT --out DIR`: the samples (csv, ei-json: one file per sample) or a
model variant (c-library, arduino, tflite for an int8 network, trees-json for a tree model; ``--variant N``,
else the one Deploy would use)."""

from __future__ import annotations

import argparse

from tinystudio.app.export import DEFAULT_FORMAT, EXPORT_FORMATS, export
from tinystudio.app.export_model import MODEL_FORMATS, TREE_FORMATS, export_model
from tinystudio.cli.common import open_project, print_progress
from tinystudio.core.errors import UserError
from tinystudio.core.limits import arg, positive_int


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("export", help="export samples (csv, ei-json) or a model (c-library, arduino, tflite, "
                                             "trees-json)")
    p.add_argument("project")
    p.add_argument("--format", choices=(*EXPORT_FORMATS, *MODEL_FORMATS), default=DEFAULT_FORMAT,
                   help=f"samples: {', '.join(EXPORT_FORMATS)}; a model: {', '.join(MODEL_FORMATS)} "
                        f"(a tree model: {', '.join(TREE_FORMATS)}) (default {DEFAULT_FORMAT})")
    p.add_argument("--variant", type=arg(positive_int, "--variant", 1 << 31),
                   help="model formats: the variant id (default: the one Deploy uses)")
    p.add_argument("--out", required=True, help="output folder (new, empty, or written by an earlier export)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if args.format in MODEL_FORMATS:
        from tinystudio.app.deploy import resolve_variant

        with open_project(args.project) as project:
            variant = resolve_variant(project, args.variant, progress=print_progress)
            done = export_model(project, variant, args.format, args.out, progress=print_progress)
        print(f"exported variant {done.variant_id} as {done.fmt} to {args.out}: {done.summary}")
        return 0
    if args.variant is not None:
        raise UserError(f"--variant applies to the model formats ({', '.join(MODEL_FORMATS)}), not {args.format}")
    with open_project(args.project) as project:
        paths = export(project, args.out, args.format, progress=print_progress)
    print(f"exported {len(paths)} file(s) to {args.out}")
    return 0
