"""`tinystudio codegen MODEL.tflite --out DIR`: compile an int8 model into a self-contained C99 folder."""

from __future__ import annotations

import argparse
from pathlib import Path

from tinystudio.core.errors import UserError


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "codegen",
        help="compile a full-integer int8 .tflite model to C99 (no interpreter, static arena)",
        description="Write model.h, model.c, model_weights.c and the int8 kernels the model needs into DIR. "
        "The C output is bit-exact with TensorFlow Lite Micro's reference kernels.",
    )
    parser.add_argument("model", type=Path, help="full-integer int8 .tflite file")
    parser.add_argument("--out", "-o", type=Path, required=True, help="output folder (created if missing)")
    parser.add_argument("--name", help="model name stored in TS_MODEL_NAME (default: the file name stem)")
    parser.add_argument(
        "--optimize",
        choices=("speed", "size"),
        default="speed",
        help="speed: specialise each convolution (default); size: share one kernel copy",
    )
    parser.add_argument(
        "--sparse",
        choices=("auto", "off"),
        default="auto",
        help="auto: store pruned FULLY_CONNECTED weights as bitmask + non-zero values when clearly smaller "
        "(default); off: keep every weight tensor dense",
    )
    parser.add_argument("--plan", action="store_true", help="also print the per-tensor memory plan")
    parser.add_argument(
        "--profile",
        action="store_true",
        help="a profiling build: ts_model_invoke times each op with tsr_hal_counter(), which your firmware "
        "provides, into ts_model_op_counts (see model.h)",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from tinystudio.core.codegen import generate

    path: Path = args.model
    if not path.is_file():
        raise UserError(f"model file not found: {path}")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UserError(f"cannot read {path}: {exc.strerror or exc}") from None
    name = args.name if args.name is not None else path.stem
    report = generate(data, args.out, name=name, optimize=args.optimize, sparse=args.sparse, profile=args.profile)
    print(f"wrote {len(report.files)} files to {args.out}")
    print(f"model     {report.name} (sha256 {report.model_hash})")
    print(f"ops       {len(report.ops)}: {', '.join(report.ops_used)}")
    if report.removed_ops:
        print(f"folded    {len(report.removed_ops)} shape-only ops")
    print(f"input     {list(report.input_shape)} int8, scale {report.input_quant[0]:.6g}, zp {report.input_quant[1]}")
    if report.standardisation is not None:
        print(f"          standardised first: {report.standardisation.mean.size} channels, (f - mean) / std in float32")
    print(
        f"output    {list(report.output_shape)} int8, scale {report.output_quant[0]:.6g}, zp {report.output_quant[1]}"
    )
    print(f"arena     {report.arena_bytes} bytes")
    print(f"weights   {report.weights_bytes} bytes")
    for w in report.weights_layouts:
        if w.weights_layout == "sparse":
            print(
                f"  op {w.op_index} {w.kind}: sparse ({w.sparsity:.0%} zeros), "
                f"{w.stored_bytes} of {w.dense_bytes} bytes, saved {w.bytes_saved}"
            )
    if args.profile:
        print(f"profile   {sum(layer.timed for layer in report.layers)} ops timed into ts_model_op_counts "
              "(provide uint32_t tsr_hal_counter(void))")
    if args.plan:
        print("tensor plan (location, offset, bytes, live steps):")
        for t in report.tensors:
            print(f"  {t.location:6s} {t.offset:7d} {t.nbytes:7d}  [{t.first_step}, {t.last_step}]  {t.name}")
    return 0
