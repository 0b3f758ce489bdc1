"""Compile a full-integer int8 .tflite model into self-contained C99 with a static memory plan.

``generate(tflite_bytes, out_dir, name=...)`` writes model.h / model.c / model_weights.c, copies the
kernels the model needs from firmware/kernels (so the folder compiles on its own) and returns a
``CodegenReport`` (ops, arena and weight bytes, per-tensor plan) shared by the CLI, the GUI and the targets.
The generated code is bit-exact with TFLite Micro's reference kernels.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from tinystudio.core.codegen.layers import LayerInfo
from tinystudio.core.codegen.outdir import write_owned
from tinystudio.core.codegen.plan import TensorPlan
from tinystudio.core.codegen.sparse import WeightsLayout
from tinystudio.core.errors import UserError
from tinystudio.core.features import Normalization
from tinystudio.core.progress import CancelToken, Progress, no_progress

__all__ = ["CodegenReport", "LayerInfo", "TensorPlan", "WeightsLayout", "generate", "generate_files", "model_hash"]

_CTYPE_BYTES = {"int8_t": 1, "uint8_t": 1, "int32_t": 4}


@dataclass
class CodegenReport:
    name: str
    model_hash: str
    ops: list[str]  # kind of each generated op, in execution order
    removed_ops: list[str]  # shape-only ops folded away at generation time
    arena_bytes: int
    weights_bytes: int
    input_shape: tuple[int, ...]
    output_shape: tuple[int, ...]
    input_quant: tuple[float, int]
    output_quant: tuple[float, int]
    tensors: list[TensorPlan] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    weights_layouts: list[WeightsLayout] = field(default_factory=list)  # one per FULLY_CONNECTED op
    layers: list[LayerInfo] = field(default_factory=list)  # one per op, in execution order (with MACs)
    scratch: list[tuple[int, int, int]] = field(default_factory=list)  # (step, arena offset, bytes) per scratch
    profile: bool = False  # the generated code times each op (a profiling build)
    standardisation: Normalization | None = None  # applied to the float features before the quantization

    @property
    def ops_used(self) -> list[str]:
        return sorted(set(self.ops))

    @property
    def sparse_bytes_saved(self) -> int:
        """Weight bytes saved by sparse storage over dense storage, over all ops."""
        return sum(w.bytes_saved for w in self.weights_layouts)


def model_hash(tflite: bytes) -> str:
    """First 16 hex digits of the sha256 of the .tflite bytes (TS_MODEL_HASH)."""
    return hashlib.sha256(tflite).hexdigest()[:16]


def generate(
    tflite: bytes,
    out_dir: str | Path,
    name: str = "model",
    progress: Progress | None = None,
    cancel: CancelToken | None = None,
    optimize: str = "speed",
    sparse: str = "auto",
    profile: bool = False,
) -> CodegenReport:
    """Generate the C folder for ``tflite`` into ``out_dir``: a new or empty folder, or one an earlier run
    wrote (its manifest lists our files; only those are replaced or removed). Anything else is refused.
    See ``generate_files`` for the options.
    """
    files, report = generate_files(tflite, name, progress, cancel, optimize, sparse, profile)
    (progress or no_progress)(0.8, "writing files")
    write_owned(Path(out_dir), files)
    (progress or no_progress)(1.0, "done")
    return report


def generate_files(
    tflite: bytes,
    name: str = "model",
    progress: Progress | None = None,
    cancel: CancelToken | None = None,
    optimize: str = "speed",
    sparse: str = "auto",
    profile: bool = False,
) -> tuple[dict[str, str], CodegenReport]:
    """The generated files (name -> text) and the report, without writing them (exports add their own).

    ``optimize="speed"`` (default) gives every convolution its own specialised copy of the kernel;
    ``"size"`` shares one copy (smaller code, a few percent more instructions).
    ``sparse="auto"`` (default) stores a pruned FULLY_CONNECTED weight tensor as a bitmask plus its
    non-zero values when that is clearly smaller and not much slower; ``"off"`` keeps all weights dense.
    ``profile=True`` makes a profiling build: ``ts_model_invoke`` reads the board's counter between ops and
    keeps each op's count of the last inference in a static table (model.h says how); without it the
    files are exactly those of a normal build.
    """
    from tinystudio.core.codegen import emit, kernels
    from tinystudio.core.codegen.graph import read_model
    from tinystudio.core.codegen.layers import layer_infos
    from tinystudio.core.codegen.lower import lower
    from tinystudio.core.codegen.plan import plan_memory
    from tinystudio.core.input_standardisation import standardisation_of

    if optimize not in ("speed", "size"):
        raise UserError(f"optimize must be 'speed' or 'size', not {optimize!r}")
    if sparse not in ("auto", "off"):
        raise UserError(f"sparse must be 'auto' or 'off', not {sparse!r}")
    report_progress = progress or no_progress
    report_progress(0.0, "reading model")
    graph = read_model(bytes(tflite))
    if len(graph.inputs) != 1 or len(graph.outputs) != 1:
        raise UserError(
            f"the model has {len(graph.inputs)} inputs and {len(graph.outputs)} outputs; "
            "exactly one of each is supported"
        )
    x = graph.tensors[graph.inputs[0]]
    y = graph.tensors[graph.outputs[0]]
    for label, t in (("input", x), ("output", y)):
        if t.dtype != "int8":
            raise UserError(
                f"the model {label} is {t.dtype}; convert with inference_input_type/inference_output_type = int8"
            )
    if cancel is not None:
        cancel.raise_if_cancelled()
    report_progress(0.2, "lowering ops")
    steps = lower(graph, specialize=optimize == "speed", sparse=sparse)
    if cancel is not None:
        cancel.raise_if_cancelled()
    report_progress(0.5, "planning memory")
    plan = plan_memory(graph, steps)
    used = {s.kernel for s in steps if s.kernel}
    consts = [c for s in steps for c in s.consts]
    digest = model_hash(bytes(tflite))
    norm = standardisation_of(bytes(tflite))
    if norm is not None and x.size % norm.mean.size:
        raise UserError(f"the model's input standardisation has {norm.mean.size} channels, which do not divide "
                        f"its {x.size} inputs")

    files: dict[str, str] = {}
    timed = [s.op_index for s in steps if not s.alias] if profile else None
    files["model.h"] = emit.model_header(name, digest, len(steps), plan.arena_bytes, x, y, timed, norm)
    files["model_weights.h"], files["model_weights.c"] = emit.weights_files(consts)
    files["model.c"] = emit.model_source(graph, steps, plan, {kernels.header_of(k) for k in used}, profile)
    if norm is not None:
        files["model.c"] += "\n" + emit.standardisation_source(norm)
    exact_requant = any(s.acc_bound >= (1 << 30) for s in steps)
    files.update(kernels.kernel_files(used, exact_requant=exact_requant))

    return files, CodegenReport(
        name=name,
        model_hash=digest,
        ops=[s.kind for s in steps],
        removed_ops=list(graph.removed_ops),
        arena_bytes=plan.arena_bytes,
        weights_bytes=int(sum(max(1, c.values.size) * _CTYPE_BYTES[c.ctype] for c in consts))
        + (8 * int(norm.mean.size) if norm is not None else 0),
        input_shape=x.shape,
        output_shape=y.shape,
        input_quant=x.qparams(),
        output_quant=y.qparams(),
        tensors=plan.tensors,
        files=sorted(files),
        weights_layouts=[s.weights for s in steps if s.weights is not None],
        layers=layer_infos(graph, steps),
        scratch=[(pos, off, steps[pos].scratch_bytes) for pos, off in sorted(plan.scratch.items())],
        profile=profile,
        standardisation=norm,
    )
