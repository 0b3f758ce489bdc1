"""Write the generated C folder: model.h (API and metadata macros), model.c (arena and the call
sequence) and model_weights.c/.h (constant arrays); the kernel files come from firmware/kernels.

Exported symbols start with ``ts_model_`` (the model) or ``ts_`` (the kernels); everything else is
``static``. User-supplied text (the model name) only ever appears inside an escaped C string literal.
"""

from __future__ import annotations

import numpy as np

from tinystudio.core.codegen.graph import Graph, Tensor
from tinystudio.core.codegen.lower import Const, Step
from tinystudio.core.codegen.plan import MemoryPlan
from tinystudio.core.features import Normalization


def c_string(text: str) -> str:
    """A C99 string literal for any text: printable ASCII kept, everything else octal-escaped.

    '?' is escaped too so no trigraph can form, and octal escapes are always three digits so the next
    character can never be swallowed into the escape.
    """
    out = ['"']
    for byte in text.encode("utf-8"):
        ch = chr(byte)
        if 0x20 <= byte < 0x7F and ch not in '"\\?':
            out.append(ch)
        else:
            out.append(f"\\{byte:03o}")
    out.append('"')
    return "".join(out)


def c_float(value: float) -> str:
    text = f"{float(np.float32(value)):.9g}"
    if not any(c in text for c in ".eEn"):
        text += ".0"
    return f"{text}f"


def _c_int(value: int) -> str:
    return f"({value})" if value < 0 else str(value)


def _array_body(values: np.ndarray) -> str:
    items = [str(int(v)) for v in values.reshape(-1)]
    lines, line = [], ""
    for item in items:
        piece = item + ","
        if len(line) + len(piece) > 100:
            lines.append(line)
            line = ""
        line += piece
    if line:
        lines.append(line)
    return "\n".join("    " + ln for ln in lines)


def model_header(name: str, model_hash: str, op_count: int, arena_bytes: int, x: Tensor, y: Tensor,
                 profile_ops: list[int] | None = None, standardisation: Normalization | None = None) -> str:
    """model.h; ``profile_ops`` (the graph op index of each timed op) adds the profiling build's table;
    ``standardisation`` (the model's input standardisation, if it carries one) its macros and tables."""
    std_macros, std_decls = _standardisation_header(standardisation)
    xs, xz = x.qparams()
    ys, yz = y.qparams()
    return f"""/* Generated model interface. */
#ifndef TS_MODEL_H
#define TS_MODEL_H

#include <stdint.h>

#define TS_MODEL_NAME {c_string(name)}
#define TS_MODEL_HASH "{model_hash}"
#define TS_MODEL_OP_COUNT {op_count}
#define TS_MODEL_ARENA_BYTES {arena_bytes}

#define TS_MODEL_INPUT_BYTES {x.size}
#define TS_MODEL_INPUT_RANK {len(x.shape)}
#define TS_MODEL_INPUT_SHAPE {{{", ".join(str(d) for d in x.shape)}}}
#define TS_MODEL_INPUT_SCALE {c_float(xs)}
#define TS_MODEL_INPUT_ZERO_POINT {_c_int(xz)}
{std_macros}
#define TS_MODEL_OUTPUT_BYTES {y.size}
#define TS_MODEL_OUTPUT_RANK {len(y.shape)}
#define TS_MODEL_OUTPUT_SHAPE {{{", ".join(str(d) for d in y.shape)}}}
#define TS_MODEL_OUTPUT_SCALE {c_float(ys)}
#define TS_MODEL_OUTPUT_ZERO_POINT {_c_int(yz)}

#ifdef __cplusplus
extern "C" {{
#endif

/* Run one inference: TS_MODEL_INPUT_BYTES int8 values in, TS_MODEL_OUTPUT_BYTES int8 values out.
   Returns 0 on success, -1 on a NULL argument. Not reentrant (one static arena). */
int ts_model_invoke(const int8_t *input, int8_t *output);
{std_decls}{_profile_header(profile_ops)}
#ifdef __cplusplus
}}
#endif

#endif
"""


def _standardisation_header(norm: Normalization | None) -> tuple[str, str]:
    """(macros, declarations) of model.h for the input standardisation; empty for a model without one, so
    such a model's files are exactly those of earlier versions."""
    if norm is None:
        return "", ""
    macros = f"""
/* The float features are standardised before the quantization, in float32 and in this order:
   z[i] = (f[i] - ts_model_input_mean[c]) / ts_model_input_std[c], c = i % TS_MODEL_INPUT_CHANNELS,
   then q[i] = clamp(round_half_away_from_zero(z[i] / TS_MODEL_INPUT_SCALE) + TS_MODEL_INPUT_ZERO_POINT)
   (tsr_standardise_quantize; TinyStudio's host reference does the same). */
#define TS_MODEL_INPUT_STANDARDISED 1
#define TS_MODEL_INPUT_CHANNELS {int(norm.mean.size)}u
"""
    decls = """extern const float ts_model_input_mean[TS_MODEL_INPUT_CHANNELS];
extern const float ts_model_input_std[TS_MODEL_INPUT_CHANNELS];
"""
    return macros, decls


def standardisation_source(norm: Normalization) -> str:
    """The definitions of model.h's standardisation tables (appended to model.c)."""

    def floats(values: np.ndarray) -> str:
        items = [c_float(float(v)) for v in np.asarray(values, dtype=np.float32).ravel()]
        return ",\n    ".join(", ".join(items[i : i + 6]) for i in range(0, len(items), 6))

    n = int(norm.mean.size)
    return (f"const float ts_model_input_mean[{n}] = {{\n    {floats(norm.mean)}\n}};\n"
            f"const float ts_model_input_std[{n}] = {{\n    {floats(norm.std)}\n}};\n")


def _profile_header(ops: list[int] | None) -> str:
    if ops is None:
        return ""
    n = max(1, len(ops))
    return f"""
/* Profiling build: ts_model_invoke reads the board's counter (tsr_hal_counter) between ops and keeps, for
   each of the TS_MODEL_PROFILE_OPS ops that run code, its count of the last inference in ts_model_op_counts;
   ts_model_op_index names the .tflite op of each entry. */
#define TS_MODEL_PROFILE_OPS {len(ops)}
extern uint32_t ts_model_op_counts[{n}];
extern const uint16_t ts_model_op_index[{n}];
"""


def weights_files(consts: list[Const]) -> tuple[str, str]:
    header = ["/* Generated constant arrays (weights, biases, multipliers, tables). */", "#ifndef TS_MODEL_WEIGHTS_H"]
    header += ["#define TS_MODEL_WEIGHTS_H", "", "#include <stdint.h>", ""]
    source = ["/* Generated constant arrays. */", '#include "model_weights.h"', ""]
    for c in consts:
        n = max(1, c.values.size)
        header.append(f"extern const {c.ctype} {c.name}[{n}];")
        values = c.values if c.values.size else np.zeros(1, dtype=np.int64)
        source.append(f"const {c.ctype} {c.name}[{n}] = {{\n{_array_body(values)}\n}};")
    header += ["", "#endif", ""]
    source.append("")
    return "\n".join(header), "\n".join(source)


def model_source(graph: Graph, steps: list[Step], plan: MemoryPlan, headers: set[str], profile: bool = False) -> str:
    """model.c; with ``profile`` every op that runs code is timed (see ``_profile_header``)."""
    lines = ["/* Generated model: static arena and the kernel call sequence. */", "#include <stdint.h>"]
    lines += ["#include <string.h>", "", '#include "model.h"', '#include "model_weights.h"']
    lines += [f'#include "{h}"' for h in sorted(headers)]
    lines += ["", "/* Define TS_MODEL_OP_HOOK(index) to run code after each op (e.g. per-op profiling). */"]
    lines += ["#ifndef TS_MODEL_OP_HOOK", "#define TS_MODEL_OP_HOOK(index) ((void)0)", "#endif"]
    words = (plan.arena_bytes + 7) // 8
    lines += ["", f"static uint64_t ts_arena_words[{max(1, words)}];", ""]
    for step in steps:
        lines.extend(step.decls)
    timed = [s.op_index for s in steps if not s.alias]
    if profile:
        lines += ["", "uint32_t tsr_hal_counter(void);"]
        lines += [f"uint32_t ts_model_op_counts[{max(1, len(timed))}];"]
        lines += [f"const uint16_t ts_model_op_index[{max(1, len(timed))}] = {{{', '.join(map(str, timed)) or '0'}}};"]
    lines += ["", "int ts_model_invoke(const int8_t *input, int8_t *output)", "{"]
    lines += ["    int8_t *const arena = (int8_t *)(void *)ts_arena_words;", "    (void)arena;"]
    lines += ["    if (input == NULL || output == NULL) {", "        return -1;", "    }"]
    if plan.copy_input_to_output:
        x = graph.tensors[graph.inputs[0]]
        lines.append(f"    memcpy(output, input, {x.nbytes});")
    if profile:
        lines += ["    uint32_t ts_then = tsr_hal_counter();", "    uint32_t ts_now;"]

    def ptr(t: int, kind: str) -> str:
        p = plan.placements[t]
        base = {"input": "input", "output": "output"}.get(p.location, f"(arena + {p.offset})")
        if kind == "f":
            return f"(float *)(void *){base}"
        return base

    timed_position = 0
    for position, step in enumerate(steps):
        if step.alias:
            continue
        fmt: dict[str, str] = {"out": ptr(step.output, "i"), "fout": ptr(step.output, "f")}
        if position in plan.scratch:
            fmt["scratch"] = f"(arena + {plan.scratch[position]})"
        for k, t in enumerate(step.runtime_inputs):
            fmt[f"in{k}"] = ptr(t, "i")
            fmt[f"fin{k}"] = ptr(t, "f")
        lines.append(f"    /* op {step.op_index}: {step.kind} */")
        lines.append("    " + step.code.format(**fmt))
        lines.append(f"    TS_MODEL_OP_HOOK({step.op_index});")
        if profile:
            lines.append(f"    ts_now = tsr_hal_counter(); ts_model_op_counts[{timed_position}] = ts_now - ts_then; "
                         "ts_then = ts_now;")
        timed_position += 1
    lines += ["    return 0;", "}", ""]
    return "\n".join(lines)
