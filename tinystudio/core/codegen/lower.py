"""Lower each TFLite op to one C kernel call with every input-independent value precomputed.

A ``Step`` holds the C statement (with ``{in0}``, ``{out}`` ... placeholders for run-time buffers), the
constant arrays it needs and whether its output may share (alias) or overwrite (in place) its input.
Unsupported ops, types or options raise ``UserError`` naming the op and its index.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from tinystudio.core.codegen import fixedpoint as fp
from tinystudio.core.codegen import kernels as kn
from tinystudio.core.codegen import sparse as sp
from tinystudio.core.codegen.graph import Graph, Op, Tensor, data_inputs
from tinystudio.core.codegen.sparse import WeightsLayout
from tinystudio.core.errors import UserError

SUPPORTED_OPS = (
    "CONV_2D",
    "DEPTHWISE_CONV_2D",
    "FULLY_CONNECTED",
    "AVERAGE_POOL_2D",
    "MAX_POOL_2D",
    "MEAN",
    "ADD",
    "MUL",
    "SUB",
    "RESHAPE",
    "EXPAND_DIMS",
    "SQUEEZE",
    "SOFTMAX",
    "LOGISTIC",
    "TANH",
    "RELU",
    "RELU6",
    "LEAKY_RELU",
    "HARD_SWISH",
    "PAD",
    "CONCATENATION",
    "QUANTIZE",
    "DEQUANTIZE",
)


@dataclass
class Const:
    name: str
    ctype: str  # int8_t, int32_t
    values: np.ndarray


@dataclass
class Step:
    op_index: int
    kind: str
    kernel: str  # the kernel's C file stem in firmware/kernels (ts_<op>_s8); "" for aliases
    code: str
    runtime_inputs: list[int]
    output: int
    consts: list[Const] = field(default_factory=list)
    decls: list[str] = field(default_factory=list)
    alias: bool = False
    inplace: bool = False
    scratch_bytes: int = 0  # arena bytes the kernel needs only during this step ({scratch})
    scratch_query: str = ""  # the C call giving scratch_bytes (ts_<kernel>_get_buffer_size(&params))
    acc_bound: int = 0  # largest possible |accumulator| before requantization (0: no ts_requantize)
    weights: WeightsLayout | None = None  # storage of the op's weight tensor (FULLY_CONNECTED)


class _Ctx:
    """Naming of constants and parameter blocks for one op."""

    def __init__(self, op: Op) -> None:
        self.op = op
        self.consts: list[Const] = []
        self.decls: list[str] = []

    def const(self, suffix: str, ctype: str, values: Any) -> str:
        name = f"ts_model_op{self.op.index}_{suffix}"
        self.consts.append(Const(name, ctype, np.asarray(values).reshape(-1)))
        return name

    def params(self, ctype: str, fields: list[Any]) -> str:
        """A static const parameter block with C99 designated initializers (readable generated code)."""
        name = f"op{self.op.index}_params"
        names = _PARAM_FIELDS[ctype]
        if len(names) != len(fields):  # pragma: no cover - programming error
            raise AssertionError(f"{ctype}: {len(fields)} values for {len(names)} fields")
        body = ", ".join(f".{n} = {_c(v)}" for n, v in zip(names, fields, strict=True))
        self.decls.append(f"static const {ctype} {name} = {{{body}}};")
        return f"&{name}"


_PARAM_FIELDS = {
    "ts_conv_params": (
        "batches in_h in_w in_c out_h out_w out_c k_h k_w stride_h stride_w dil_h dil_w pad_h pad_w "
        "in_offset out_offset act_min act_max fast_rq"
    ).split(),
    "ts_fc_params": "batches depth units out_offset act_min act_max".split(),
    "ts_fc_sparse_params": "batches depth units out_offset act_min act_max mask_bytes".split(),
    "ts_pool_params": (
        "batches in_h in_w channels out_h out_w f_h f_w stride_h stride_w pad_h pad_w act_min act_max"
    ).split(),
    "ts_mean_params": "outer reduced inner in_zp out_zp mult shift".split(),
    "ts_elementwise_params": (
        "op in1_offset in2_offset out_offset out_mult out_shift act_min act_max dims stride1 stride2"
    ).split(),
    "ts_pad_params": "in_dims out_dims before value".split(),
}
"""Field order of each kernel parameter struct (must match firmware/kernels/ts_nn_types.h)."""


def _c(v: Any) -> str:
    if isinstance(v, (list, tuple)):
        return "{" + ", ".join(_c(x) for x in v) + "}"
    return str(int(v))


def _fail(op: Op, why: str) -> UserError:
    return UserError(f"op {op.index} ({op.kind}): {why}")


def _act_range(op: Op, act: int, out: Tensor) -> tuple[int, int]:
    scale, zp = out.qparams()

    def quant(x: float) -> int:
        return zp + fp.tflite_round(fp.f32(np.float32(x) / np.float32(scale)))

    if act == 0:
        return -128, 127
    if act == 1:
        return max(-128, quant(0.0)), 127
    if act == 2:
        return max(-128, quant(-1.0)), min(127, quant(1.0))
    if act == 3:
        return max(-128, quant(0.0)), min(127, quant(6.0))
    raise _fail(op, f"fused activation {act} is not supported")


def _padding(op: Op, padding: int, stride: int, dil: int, in_size: int, k: int, out_size: int) -> int:
    eff = (k - 1) * dil + 1
    expected = (in_size + stride - 1) // stride if padding == 0 else (in_size + stride - eff) // stride
    if expected != out_size:
        raise _fail(op, f"output size {out_size} does not match the padding (expected {expected})")
    pad = ((out_size - 1) * stride + eff - in_size) // 2
    return max(pad, 0)


def _need_int8(op: Op, *tensors: Tensor) -> None:
    for t in tensors:
        if t.dtype != "int8":
            raise _fail(op, f"tensor '{t.name}' has type {t.dtype}; only int8 is supported")


def _per_channel(op: Op, scale_in: float, filt: Tensor, scale_out: float, channels: int) -> tuple[list, list]:
    scales = filt.scale
    if scales.size not in (1, channels):
        raise _fail(op, "filter quantization does not match the channel count")
    if filt.zero_point.size and np.any(filt.zero_point != 0):
        raise _fail(op, "filter zero points must be 0 (symmetric int8 weights)")
    mults, shifts = [], []
    for c in range(channels):
        s = float(scales[c if scales.size > 1 else 0])
        m, sh = fp.quantize_multiplier(scale_in * s / scale_out)
        mults.append(m)
        shifts.append(sh)
    return mults, shifts


def _acc_bound(bias: np.ndarray, weights: np.ndarray, channel_axis: int) -> int:
    """max over channels of |bias| + 255 * sum|w|: (x + in_offset) is always within [-255, 255]."""
    w = np.abs(weights.astype(np.int64))
    axes = tuple(a for a in range(w.ndim) if a != channel_axis % w.ndim)
    per_channel = w.sum(axis=axes) * 255 + np.abs(bias.astype(np.int64))
    return int(per_channel.max()) if per_channel.size else 0


def _bias(g: Graph, op: Op, idx: int, channels: int) -> np.ndarray:
    if idx < 0:
        return np.zeros(channels, dtype=np.int64)
    t = g.tensors[idx]
    if t.data is None or t.dtype != "int32":
        raise _fail(op, "bias must be a constant int32 tensor")
    return t.data.astype(np.int64).reshape(-1)


def _const_or_runtime(t: Tensor) -> bool:
    return t.data is not None


def lower(graph: Graph, specialize: bool = True, sparse: str = "auto") -> list[Step]:
    """Lower every op; with ``specialize`` convolutions get a per-op copy of the kernel (faster, larger).

    ``sparse="auto"`` stores pruned FULLY_CONNECTED weights in the bitmask layout when that makes the
    model smaller (see sparse.choose); ``"off"`` keeps every weight tensor dense.
    """
    fc_weights = {}
    for op in graph.ops:
        if op.kind == "FULLY_CONNECTED" and len(op.inputs) > 1:
            w = graph.tensors[op.inputs[1]]
            if w.data is not None and w.dtype == "int8" and len(w.shape) == 2:
                fc_weights[op.index] = w.data
    layouts = sp.choose(fc_weights, sparse)
    steps = []
    for op in graph.ops:
        if op.kind not in SUPPORTED_OPS:
            raise UserError(f"op {op.index} ({op.kind}) is not supported; supported ops: {', '.join(SUPPORTED_OPS)}")
        if op.kind in ("CONV_2D", "DEPTHWISE_CONV_2D"):
            step = (_conv if op.kind == "CONV_2D" else _dwconv)(graph, op, specialize)
        elif op.kind == "FULLY_CONNECTED":
            step = _fc(graph, op, layouts.get(op.index, "dense"))
        else:
            step = _LOWER[op.kind](graph, op)
        steps.append(step)
    return steps


# ------------------------------------------------------------------------------------------ conv family


def _conv(g: Graph, op: Op, specialize: bool = True) -> Step:
    x, w, out = (g.tensors[i] for i in op.inputs[:2] + op.outputs[:1])
    _need_int8(op, x, w, out)
    o = op.options
    if len(x.shape) != 4 or len(w.shape) != 4 or len(out.shape) != 4:
        raise _fail(op, "expects 4-D input, filter and output")
    if w.data is None:
        raise _fail(op, "filter must be constant")
    n, ih, iw, ic = x.shape
    oc, kh, kw, fic = w.shape
    if fic != ic:
        raise _fail(op, "grouped convolution is not supported")
    _, oh, ow, occ = out.shape
    dh, dw = max(1, o.dilationHFactor), max(1, o.dilationWFactor)
    pad_h = _padding(op, o.padding, o.strideH, dh, ih, kh, oh)
    pad_w = _padding(op, o.padding, o.strideW, dw, iw, kw, ow)
    in_s, in_zp = x.qparams()
    out_s, out_zp = out.qparams()
    mults, shifts = _per_channel(op, in_s, w, out_s, oc)
    bias = _bias(g, op, op.inputs[2] if len(op.inputs) > 2 else -1, oc)
    lo, hi = _act_range(op, o.fusedActivationFunction, out)
    ctx = _Ctx(op)
    wn = ctx.const("w", "int8_t", w.data)
    bn = ctx.const("bias", "int32_t", bias)
    acc_bound = _acc_bound(bias, w.data, 0)
    fast = _fast_requant(mults, shifts, out_zp, acc_bound) if specialize else None
    if fast is not None:
        mn = sn = ctx.const("rq", "int32_t", fast)
    else:
        mn = ctx.const("mult", "int32_t", mults)
        sn = ctx.const("shift", "int32_t", shifts)
    fields = [n, ih, iw, ic, oh, ow, occ, kh, kw, o.strideH, o.strideW, dh, dw, pad_h, pad_w]
    fields += [-in_zp, out_zp, lo, hi, int(fast is not None)]
    pp = ctx.params("ts_conv_params", fields)
    direct = kh == kw == o.strideH == o.strideW == 1 and pad_h == pad_w == 0
    if specialize and direct:
        # A plain 1x1 conv uses scratch to widen a pixel pair once (4 bytes per input channel).
        kernel, scratch = "ts_conv_1x1_s8", kn.conv_1x1_s8_buffer_size(ic)
    else:
        kernel, scratch = "ts_conv_s8", kn.conv_s8_buffer_size(kh, kw, ic, direct)
    scratch_arg = "{scratch}" if scratch else "NULL"
    if specialize:
        fn = f"op{op.index}_conv"
        ctx.decls.append(
            f"static TS_NOINLINE void {fn}(const int8_t *in, int8_t *scratch, int8_t *out)\n{{\n"
            f"    {kernel}_inline(in, {wn}, {bn}, {mn}, {sn}, {pp}, scratch, out);\n}}"
        )
        code = f"{fn}({{in0}}, {scratch_arg}, {{out}});"
    else:
        code = f"{kernel}({{in0}}, {wn}, {bn}, {mn}, {sn}, {pp}, {scratch_arg}, {{out}});"
    step = Step(op.index, op.kind, kernel, code, [x.index], out.index, ctx.consts, ctx.decls)
    step.scratch_bytes = scratch
    step.scratch_query = f"{kernel}_get_buffer_size({pp})"
    step.acc_bound = acc_bound
    return step


def _fast_requant(mults: list, shifts: list, out_zp: int, acc_bound: int) -> np.ndarray | None:
    """ts_requantize_folded triples {mult, 2^(r-1) + out_zp * 2^r, r} per channel, or None when its proof does not
    hold (some channel shifts left or not at all, or the accumulator or the folded offset could overflow)."""
    if acc_bound >= 1 << 30 or not shifts or max(shifts) > -1:
        return None
    rows = []
    for m, sh in zip(mults, shifts, strict=True):
        r = -int(sh)
        rc = (1 << (r - 1)) + out_zp * (1 << r)
        if r > 30 or abs(rc) + acc_bound + 2 >= 1 << 31:
            return None
        rows.append((int(m), rc, r))
    return np.asarray(rows, dtype=np.int64)


def _dwconv(g: Graph, op: Op, specialize: bool = True) -> Step:
    x, w, out = (g.tensors[i] for i in op.inputs[:2] + op.outputs[:1])
    _need_int8(op, x, w, out)
    o = op.options
    if len(x.shape) != 4 or len(w.shape) != 4 or len(out.shape) != 4 or w.data is None:
        raise _fail(op, "expects 4-D tensors and a constant filter")
    n, ih, iw, ic = x.shape
    _, kh, kw, oc = w.shape
    _, oh, ow, occ = out.shape
    if oc % ic != 0 or occ != oc:
        raise _fail(op, "output channels must be a multiple of input channels")
    dm = oc // ic
    dh, dw = max(1, o.dilationHFactor), max(1, o.dilationWFactor)
    pad_h = _padding(op, o.padding, o.strideH, dh, ih, kh, oh)
    pad_w = _padding(op, o.padding, o.strideW, dw, iw, kw, ow)
    in_s, in_zp = x.qparams()
    out_s, out_zp = out.qparams()
    mults, shifts = _per_channel(op, in_s, w, out_s, oc)
    bias = _bias(g, op, op.inputs[2] if len(op.inputs) > 2 else -1, oc)
    lo, hi = _act_range(op, o.fusedActivationFunction, out)
    ctx = _Ctx(op)
    fields = [n, ih, iw, ic, oh, ow, oc, kh, kw, o.strideH, o.strideW, dh, dw, pad_h, pad_w]
    fields += [-in_zp, out_zp, lo, hi]
    scratch = 0
    acc_bound = _acc_bound(bias, w.data, 3)
    if specialize and dm == 1:
        fast = _fast_requant(mults, shifts, out_zp, acc_bound)
        pp = ctx.params("ts_conv_params", [*fields, int(fast is not None)])
        code, scratch = _dwconv_strip(ctx, op, w.data, bias, mults, shifts, fast, pp, fields)
        kernel = "ts_depthwise_conv_strip_s8"
    else:
        pp = ctx.params("ts_conv_params", [*fields, 0])
        kernel = "ts_depthwise_conv_s8"
        wn = ctx.const("w", "int8_t", w.data)
        bn = ctx.const("bias", "int32_t", bias)
        mn = ctx.const("mult", "int32_t", mults)
        sn = ctx.const("shift", "int32_t", shifts)
        code = f"ts_depthwise_conv_s8({{in0}}, {wn}, {bn}, {mn}, {sn}, {dm}, {pp}, {{out}});"
    step = Step(op.index, op.kind, kernel, code, [x.index], out.index, ctx.consts, ctx.decls)
    step.scratch_bytes = scratch
    if scratch:
        step.scratch_query = f"{kernel}_get_buffer_size({pp})"
    step.acc_bound = acc_bound
    return step


def _dwconv_strip(
    ctx: _Ctx,
    op: Op,
    w: np.ndarray,
    bias: np.ndarray,
    mults: list,
    shifts: list,
    fast: np.ndarray | None,
    pp: str,
    fields: list,
) -> tuple[str, int]:
    """Depth multiplier 1: a per-op copy of the strip kernel, weights packed as int16 pairs per 4 channels."""
    _, kh, kw, c = w.shape
    groups = (c + 3) // 4
    pad = groups * 4 - c
    taps = w.astype(np.int64).reshape(kh * kw, c)
    taps = np.pad(taps, ((0, 0), (0, pad))).reshape(kh * kw, groups, 4).transpose(1, 0, 2)
    packed = np.stack(
        [(taps[..., 0] & 0xFFFF) + (taps[..., 2] << 16), (taps[..., 1] & 0xFFFF) + (taps[..., 3] << 16)], axis=-1
    )
    wn = ctx.const("wq", "int32_t", packed)
    bn = ctx.const("bias", "int32_t", np.pad(bias, (0, pad)))
    if fast is not None:
        mn = sn = ctx.const("rq", "int32_t", np.concatenate([fast, np.tile([[1 << 30, 1, 1]], (pad, 1))]))
    else:
        mn = ctx.const("mult", "int32_t", np.pad(np.asarray(mults, dtype=np.int64), (0, pad), constant_values=1 << 30))
        sn = ctx.const("shift", "int32_t", np.pad(np.asarray(shifts, dtype=np.int64), (0, pad)))
    out_w, stride_w, dil_w = fields[5], fields[10], fields[12]
    fn = f"op{op.index}_dwconv"
    ctx.decls.append(
        f"static TS_NOINLINE void {fn}(const int8_t *in, int8_t *scratch, int8_t *out)\n{{\n"
        f"    ts_depthwise_conv_strip_s8_inline(in, {wn}, {bn}, {mn}, {sn}, {pp}, scratch, out);\n}}"
    )
    scratch = kn.depthwise_conv_strip_s8_buffer_size(kh, kw, c, out_w, stride_w, dil_w)
    return f"{fn}({{in0}}, {{scratch}}, {{out}});", scratch


def _fc(g: Graph, op: Op, layout: str = "dense") -> Step:
    x, w, out = (g.tensors[i] for i in op.inputs[:2] + op.outputs[:1])
    _need_int8(op, x, w, out)
    o = op.options
    if w.data is None or len(w.shape) != 2:
        raise _fail(op, "weights must be a constant 2-D tensor")
    if getattr(o, "weightsFormat", 0) != 0:
        raise _fail(op, "shuffled weights format is not supported")
    units, depth = w.shape
    if x.size % depth != 0 or out.size != (x.size // depth) * units:
        raise _fail(op, "input/output sizes do not match the weights")
    batches = x.size // depth
    in_s, in_zp = x.qparams()
    out_s, out_zp = out.qparams()
    mults, shifts = _per_channel(op, in_s, w, out_s, units)
    bias = _bias(g, op, op.inputs[2] if len(op.inputs) > 2 else -1, units)
    bias = bias + (-in_zp) * w.data.astype(np.int64).sum(axis=1)
    lo, hi = _act_range(op, o.fusedActivationFunction, out)
    ctx = _Ctx(op)
    if layout == "sparse":
        mask, values = sp.pack(w.data)
        mk = ctx.const("wmask", "uint8_t", mask)
        wn = ctx.const("wnz", "int8_t", values)
        stored = mask.size + values.size
    else:
        wn = ctx.const("w", "int8_t", w.data)
        stored = w.size
    bn = ctx.const("bias", "int32_t", bias)
    mn = ctx.const("mult", "int32_t", mults)
    sn = ctx.const("shift", "int32_t", shifts)
    if layout == "sparse":
        fields = [batches, depth, units, out_zp, lo, hi, sp.mask_bytes_per_row(depth)]
        pp = ctx.params("ts_fc_sparse_params", fields)
        code = f"ts_fully_connected_sparse_s8({{in0}}, {mk}, {wn}, {bn}, {mn}, {sn}, {pp}, {{out}});"
        kernel = "ts_fully_connected_sparse_s8"
    else:
        pp = ctx.params("ts_fc_params", [batches, depth, units, out_zp, lo, hi])
        code = f"ts_fully_connected_s8({{in0}}, {wn}, {bn}, {mn}, {sn}, {pp}, {{out}});"
        kernel = "ts_fully_connected_s8"
    step = Step(op.index, op.kind, kernel, code, [x.index], out.index, ctx.consts, ctx.decls)
    zeros = int(w.size - np.count_nonzero(w.data))
    step.weights = WeightsLayout(op.index, op.kind, layout, int(w.size), int(stored), zeros / w.size if w.size else 0.0)
    # FC folds in_offset * sum(w) into the bias: bound the raw products plus the unfolded bias.
    raw_bias = bias - (-in_zp) * w.data.astype(np.int64).sum(axis=1)
    step.acc_bound = _acc_bound(raw_bias, w.data, 0) + int(np.abs(bias - raw_bias).max(initial=0))
    return step


def _pool(g: Graph, op: Op) -> Step:
    x, out = g.tensors[op.inputs[0]], g.tensors[op.outputs[0]]
    _need_int8(op, x, out)
    o = op.options
    if len(x.shape) != 4 or len(out.shape) != 4:
        raise _fail(op, "expects 4-D input and output")
    n, ih, iw, c = x.shape
    _, oh, ow, _ = out.shape
    pad_h = _padding(op, o.padding, o.strideH, 1, ih, o.filterHeight, oh)
    pad_w = _padding(op, o.padding, o.strideW, 1, iw, o.filterWidth, ow)
    lo, hi = _act_range(op, o.fusedActivationFunction, out)
    ctx = _Ctx(op)
    fields = [n, ih, iw, c, oh, ow, o.filterHeight, o.filterWidth, o.strideH, o.strideW, pad_h, pad_w, lo, hi]
    if op.kind == "MAX_POOL_2D":
        fields = _pool_along_one_axis(fields)
    pp = ctx.params("ts_pool_params", fields)
    fn = "ts_avgpool_s8" if op.kind == "AVERAGE_POOL_2D" else "ts_maxpool_s8"
    return Step(op.index, op.kind, fn, f"{fn}({{in0}}, {pp}, {{out}});", [x.index], out.index, [], ctx.decls)


def _pool_along_one_axis(fields: list[int]) -> list[int]:
    """Pool parameters in the kernel's fast 1-D form (in_w == f_w == 1) when only one axis is pooled: the
    unpooled axis (window 1, stride 1, so no padding) joins the channels (pooling along H: each input row
    is one run of in_w * channels bytes) or the batches (pooling along W). The same windows, so the same
    bytes; other pools are returned as they are."""
    n, ih, iw, c, oh, ow, fh, fw, sh, sw, ph, pw, lo, hi = fields
    if fw == 1 and sw == 1 and pw == 0:
        return [n, ih, 1, iw * c, oh, 1, fh, 1, sh, 1, ph, 0, lo, hi]
    if fh == 1 and sh == 1 and ph == 0:
        return [n * ih, iw, 1, c, ow, 1, fw, 1, sw, 1, pw, 0, lo, hi]
    return fields


def _mean(g: Graph, op: Op) -> Step:
    x, axis_t, out = g.tensors[op.inputs[0]], g.tensors[op.inputs[1]], g.tensors[op.outputs[0]]
    _need_int8(op, x, out)
    if axis_t.data is None:
        raise _fail(op, "axes must be constant")
    rank = len(x.shape)
    axes = sorted({int(a) % rank for a in axis_t.data.reshape(-1)})
    if axes != list(range(axes[0], axes[-1] + 1)):
        raise _fail(op, "only a contiguous block of reduced axes is supported")
    outer = int(np.prod(x.shape[: axes[0]], dtype=np.int64))
    reduced = int(np.prod(x.shape[axes[0] : axes[-1] + 1], dtype=np.int64))
    inner = int(np.prod(x.shape[axes[-1] + 1 :], dtype=np.int64))
    in_s, in_zp = x.qparams()
    out_s, out_zp = out.qparams()
    mult, shift = fp.quantize_multiplier(in_s / out_s)
    fold = min(reduced.bit_length() - 1, 32, 31 + shift)
    mult = (mult << fold) // reduced
    shift -= fold
    ctx = _Ctx(op)
    pp = ctx.params("ts_mean_params", [outer, reduced, inner, in_zp, out_zp, mult, shift])
    code = f"ts_mean_s8({{in0}}, {pp}, {{out}});"
    return Step(op.index, op.kind, "ts_mean_s8", code, [x.index], out.index, [], ctx.decls)


# ------------------------------------------------------------------------------------------ elementwise


def _broadcast(op: Op, a: Tensor, b: Tensor, out: Tensor) -> tuple[list[int], list[int], list[int]] | None:
    if a.shape == b.shape == out.shape or (a.size == b.size == out.size and a.shape == b.shape):
        return None
    rank = len(out.shape)
    if rank > 4 or len(a.shape) > 4 or len(b.shape) > 4:
        raise _fail(op, "broadcasting beyond 4 dimensions is not supported")
    dims = [1] * (4 - rank) + list(out.shape)

    def strides(t: Tensor) -> list[int]:
        shape = [1] * (4 - len(t.shape)) + list(t.shape)
        s, acc = [0] * 4, 1
        for i in range(3, -1, -1):
            if shape[i] != 1 and shape[i] != dims[i]:
                raise _fail(op, f"shapes {a.shape} and {b.shape} do not broadcast")
            s[i] = acc if shape[i] != 1 else 0
            acc *= shape[i]
        return s

    return dims, strides(a), strides(b)


def _binary(g: Graph, op: Op) -> Step:
    a, b, out = g.tensors[op.inputs[0]], g.tensors[op.inputs[1]], g.tensors[op.outputs[0]]
    _need_int8(op, a, b, out)
    s1, z1 = a.qparams()
    s2, z2 = b.qparams()
    so, zo = out.qparams()
    act = getattr(op.options, "fusedActivationFunction", 0) if op.options is not None else 0
    lo, hi = _act_range(op, act, out)
    ctx = _Ctx(op)
    if op.kind == "MUL":
        code_op = 2
        mo, sho = fp.quantize_multiplier(s1 * s2 / so)
        t1 = t2 = "NULL"
    else:
        # TFLite ADD/SUB: each input is shifted left 20 bits and rescaled to twice the larger input scale;
        # that depends on one int8 value only, so it is tabulated here.
        code_op = 0 if op.kind == "ADD" else 1
        left = 20
        twice_max = 2 * max(s1, s2)
        m1, sh1 = fp.quantize_multiplier(s1 / twice_max)
        m2, sh2 = fp.quantize_multiplier(s2 / twice_max)
        mo, sho = fp.quantize_multiplier(twice_max / ((1 << left) * so))
        rescale = fp.multiply_by_quantized_multiplier
        t1 = ctx.const("t1", "int32_t", [rescale((q - z1) * (1 << left), m1, sh1) for q in range(-128, 128)])
        t2 = ctx.const("t2", "int32_t", [rescale((q - z2) * (1 << left), m2, sh2) for q in range(-128, 128)])
    bc = _broadcast(op, a, b, out)
    dims, st1, st2 = bc if bc is not None else ([0] * 4, [0] * 4, [0] * 4)
    fields = [code_op, -z1, -z2, zo, mo, sho, lo, hi, dims, st1, st2]
    pp = ctx.params("ts_elementwise_params", fields)
    runtime: list[int] = []
    ptrs = []
    for t in (a, b):
        if t.data is not None:
            ptrs.append(ctx.const(f"in{len(ptrs)}", "int8_t", t.data))
        else:
            ptrs.append(f"{{in{len(runtime)}}}")
            runtime.append(t.index)
    n = out.size if bc is None else 0
    if op.kind == "MUL":
        kernel, code = "ts_elementwise_mul_s8", f"ts_elementwise_mul_s8({ptrs[0]}, {ptrs[1]}, {n}, {pp}, {{out}});"
    else:
        kernel = "ts_elementwise_add_s8"
        code = f"ts_elementwise_add_s8({ptrs[0]}, {ptrs[1]}, {n}, {t1}, {t2}, {pp}, {{out}});"
    step = Step(op.index, op.kind, kernel, code, runtime, out.index, ctx.consts, ctx.decls)
    step.inplace = bc is None and a.data is None
    return step


def _lut_step(op: Op, x: Tensor, out: Tensor, table: list[int]) -> Step:
    ctx = _Ctx(op)
    tn = ctx.const("lut", "int8_t", np.asarray(table, dtype=np.int8))
    code = f"ts_lut_s8({{in0}}, {tn}, {out.size}, {{out}});"
    return Step(op.index, op.kind, "ts_lut_s8", code, [x.index], out.index, ctx.consts, ctx.decls, inplace=True)


def _unary(g: Graph, op: Op) -> Step:
    x, out = g.tensors[op.inputs[0]], g.tensors[op.outputs[0]]
    if op.kind == "QUANTIZE" and x.dtype == "float32":
        _need_int8(op, out)
        scale, zp = out.qparams()
        code = f"ts_quantize_s8({{fin0}}, {out.size}, {fp.f32(scale)!r}f, {zp}, {{out}});"
        return Step(op.index, op.kind, "ts_quantize_s8", code, [x.index], out.index)
    if op.kind == "DEQUANTIZE":
        _need_int8(op, x)
        if out.dtype != "float32":
            raise _fail(op, "only int8 -> float32 is supported")
        scale, zp = x.qparams()
        code = f"ts_dequantize_s8({{in0}}, {x.size}, {fp.f32(scale)!r}f, {zp}, {{fout}});"
        return Step(op.index, op.kind, "ts_dequantize_s8", code, [x.index], out.index)
    _need_int8(op, x, out)
    if x.size != out.size:
        raise _fail(op, "input and output sizes differ")
    si, zi = x.qparams()
    so, zo = out.qparams()
    if op.kind == "QUANTIZE":
        table = fp.lut_requantize(si, zi, so, zo)
    elif op.kind == "RELU":
        table = fp.lut_relu(si, zi, so, zo, None)
    elif op.kind == "RELU6":
        table = fp.lut_relu6(si, zi)
    elif op.kind == "LEAKY_RELU":
        table = fp.lut_leaky_relu(si, zi, so, zo, float(op.options.alpha))
    elif op.kind == "HARD_SWISH":
        table = fp.lut_hard_swish(si, zi, so, zo)
    elif op.kind == "LOGISTIC":
        if zo != -128:
            raise _fail(op, "int8 LOGISTIC needs output zero point -128")
        table = fp.lut_logistic(si, zi)
    elif op.kind == "TANH":
        table = fp.lut_tanh(si, zi)
    else:  # pragma: no cover - guarded by SUPPORTED_OPS
        raise _fail(op, "unsupported")
    return _lut_step(op, x, out, table)


def _softmax(g: Graph, op: Op) -> Step:
    x, out = g.tensors[op.inputs[0]], g.tensors[op.outputs[0]]
    _need_int8(op, x, out)
    so, zo = out.qparams()
    if zo != -128 or np.float32(so) != np.float32(1.0 / 256):
        raise _fail(op, "int8 SOFTMAX needs output scale 1/256 and zero point -128")
    si, _ = x.qparams()
    beta = float(np.float32(op.options.beta)) if op.options is not None else 1.0
    table, max_diff = fp.softmax_exp_table(si, beta)
    depth = x.shape[-1] if x.shape else 1
    rows = x.size // depth
    ctx = _Ctx(op)
    tn = ctx.const("exp", "int32_t", table)
    code = f"ts_softmax_s8({{in0}}, {rows}, {depth}, {tn}, {max_diff}, {{out}});"
    return Step(op.index, op.kind, "ts_softmax_s8", code, [x.index], out.index, ctx.consts, ctx.decls)


# ------------------------------------------------------------------------------------------ data movement


def _alias(g: Graph, op: Op) -> Step:
    x, out = g.tensors[op.inputs[0]], g.tensors[op.outputs[0]]
    if x.size != out.size or x.dtype != out.dtype:
        raise _fail(op, f"cannot reshape {x.shape} to {out.shape}")
    return Step(op.index, op.kind, "", "", [x.index], out.index, alias=True)


def _pad(g: Graph, op: Op) -> Step:
    x, pads, out = g.tensors[op.inputs[0]], g.tensors[op.inputs[1]], g.tensors[op.outputs[0]]
    _need_int8(op, x, out)
    if pads.data is None:
        raise _fail(op, "paddings must be constant")
    if len(op.inputs) > 2 and op.inputs[2] >= 0:
        raise _fail(op, "a constant pad value input is not supported")
    rank = len(x.shape)
    if rank > 4:
        raise _fail(op, "more than 4 dimensions")
    p = pads.data.astype(np.int64).reshape(rank, 2)
    in_dims = [1] * (4 - rank) + list(x.shape)
    before = [0] * (4 - rank) + [int(v) for v in p[:, 0]]
    out_dims = [1] * (4 - rank) + list(out.shape)
    for i in range(4):
        after = out_dims[i] - in_dims[i] - before[i]
        if after < 0:
            raise _fail(op, "output shape does not match the paddings")
    _, zo = out.qparams()
    ctx = _Ctx(op)
    pp = ctx.params("ts_pad_params", [in_dims, out_dims, before, zo])
    code = f"ts_pad_s8({{in0}}, {pp}, {{out}});"
    return Step(op.index, op.kind, "ts_pad_s8", code, [x.index], out.index, [], ctx.decls)


def _concat(g: Graph, op: Op) -> Step:
    out = g.tensors[op.outputs[0]]
    ins = [g.tensors[i] for i in op.inputs]
    _need_int8(op, out, *ins)
    o = op.options
    if getattr(o, "fusedActivationFunction", 0) != 0:
        raise _fail(op, "fused activation is not supported")
    rank = len(out.shape)
    axis = int(o.axis) % rank
    outer = int(np.prod(out.shape[:axis], dtype=np.int64))
    inner = int(np.prod(out.shape[axis + 1 :], dtype=np.int64))
    ctx = _Ctx(op)
    ptrs, runtime, chunks = [], [], []
    for t in ins:
        if len(t.shape) != rank:
            raise _fail(op, "inputs must have the output's rank")
        chunks.append(t.shape[axis] * inner)
        if t.data is not None:
            ptrs.append(ctx.const(f"in{len(ptrs)}", "int8_t", t.data))
        else:
            ptrs.append(f"{{in{len(runtime)}}}")
            runtime.append(t.index)
    cn = f"op{op.index}_chunks"
    ctx.decls.append(f"static const int32_t {cn}[{len(chunks)}] = {_c(chunks)};")
    code = (
        "{{ const int8_t *const ins["
        + str(len(ptrs))
        + "] = {{"
        + ", ".join(ptrs)
        + "}}; "
        + f"ts_concatenation_s8(ins, {cn}, {len(ptrs)}, {outer}, {{out}}); }}}}"
    )
    return Step(op.index, op.kind, "ts_concatenation_s8", code, runtime, out.index, ctx.consts, ctx.decls)


_LOWER = {
    "CONV_2D": _conv,
    "DEPTHWISE_CONV_2D": _dwconv,
    "FULLY_CONNECTED": _fc,
    "AVERAGE_POOL_2D": _pool,
    "MAX_POOL_2D": _pool,
    "MEAN": _mean,
    "ADD": _binary,
    "SUB": _binary,
    "MUL": _binary,
    "RESHAPE": _alias,
    "EXPAND_DIMS": _alias,
    "SQUEEZE": _alias,
    "SOFTMAX": _softmax,
    "LOGISTIC": _unary,
    "TANH": _unary,
    "RELU": _unary,
    "RELU6": _unary,
    "LEAKY_RELU": _unary,
    "HARD_SWISH": _unary,
    "QUANTIZE": _unary,
    "DEQUANTIZE": _unary,
    "PAD": _pad,
    "CONCATENATION": _concat,
}

__all__ = ["Const", "Step", "SUPPORTED_OPS", "lower", "data_inputs"]
