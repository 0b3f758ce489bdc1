"""C99 for a tree ensemble: the node arrays as ``const`` tables and one loop walking each tree, behind the
same ``model.h`` interface the runner uses for a neural network (``ts_model_invoke``, ``TS_MODEL_*``).

The input is TS_MODEL_INPUT_COUNT float32 features (``TS_MODEL_INPUT_F32`` tells the runner not to
quantize them), the output TS_MODEL_OUTPUT_BYTES int8 scores, computed with integers only, so the board
gives exactly ``TreeModel.predict_scores``. No dynamic memory, no state between calls.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from tinystudio.core.classical.model import TreeModel
from tinystudio.core.codegen.emit import c_float, c_string
from tinystudio.core.codegen.outdir import write_owned
from tinystudio.core.errors import UserError

DEFAULT_LAYOUT = "inline"
_BYTES = {"uint8_t": 1, "uint16_t": 2, "int16_t": 2, "int32_t": 4, "float": 4}


@dataclass
class TreeCodegenReport:
    """What the generated tree C holds; ``weights_bytes`` is the size of its constant tables."""

    name: str
    model_hash: str
    family: str
    trees: int
    internal_nodes: int
    leaves: int
    max_depth: int
    weights_bytes: int
    input_shape: tuple[int, ...]
    output_shape: tuple[int, ...]
    output_quant: tuple[float, int]
    arena_bytes: int = 0
    input_quant: tuple[float, int] = (1.0, 0)
    files: list[str] = field(default_factory=list)


def _uint_type(limit: int) -> str:
    return "uint8_t" if limit <= 0xFF else "uint16_t" if limit <= 0xFFFF else "int32_t"


def _table(ctype: str, name: str, values: np.ndarray, floats: bool = False) -> tuple[str, int]:
    vals = values.reshape(-1)
    if vals.size == 0:
        vals = np.zeros(1, dtype=np.float32 if floats else np.int64)
    items = [c_float(float(v)) if floats else (f"({int(v)})" if int(v) < 0 else str(int(v))) for v in vals]
    lines, line = [], ""
    for item in items:
        if len(line) + len(item) + 1 > 100:
            lines.append(line)
            line = ""
        line += item + ","
    lines.append(line)
    body = "\n".join("    " + ln for ln in lines)
    return f"static const {ctype} {name}[{len(items)}] = {{\n{body}\n}};\n", len(items) * _BYTES[ctype]


def model_header(model: TreeModel, name: str) -> str:
    scale, zero = model.output_quant
    n, c = model.n_features, model.n_classes
    return f"""/* Generated tree model interface. */
#ifndef TS_MODEL_H
#define TS_MODEL_H

#include <stdint.h>

#define TS_MODEL_NAME {c_string(name)}
#define TS_MODEL_HASH "{model.model_hash()}"
#define TS_MODEL_KIND {c_string(model.family)}
#define TS_MODEL_OP_COUNT {model.trees}
#define TS_MODEL_ARENA_BYTES 0

/* The input is float32 features, not int8: the runner passes its DSP output as it is. */
#define TS_MODEL_INPUT_F32 1
#define TS_MODEL_INPUT_COUNT {n}
#define TS_MODEL_INPUT_BYTES {4 * n}
#define TS_MODEL_INPUT_RANK 1
#define TS_MODEL_INPUT_SHAPE {{{n}}}
#define TS_MODEL_INPUT_SCALE 1.0f
#define TS_MODEL_INPUT_ZERO_POINT 0

#define TS_MODEL_OUTPUT_BYTES {c}
#define TS_MODEL_OUTPUT_RANK 1
#define TS_MODEL_OUTPUT_SHAPE {{{c}}}
#define TS_MODEL_OUTPUT_SCALE {c_float(scale)}
#define TS_MODEL_OUTPUT_ZERO_POINT {f"({zero})" if zero < 0 else zero}

#ifdef __cplusplus
extern "C" {{
#endif

/* Run the trees: ``input`` points to TS_MODEL_INPUT_COUNT floats (4-byte aligned), TS_MODEL_OUTPUT_BYTES
   int8 scores come out. Returns 0 on success, -1 on a NULL argument. Reentrant (no state). */
int ts_model_invoke(const int8_t *input, int8_t *output);

#ifdef __cplusplus
}}
#endif

#endif
"""


LAYOUTS = ("tables", "inline")
"""``inline`` (the default): each tree as nested if/else code whose leaves add their class shares (rf) or
return their value (gbt); ``tables``: node arrays walked by one loop, the smallest flash but about 3x the
instructions. On the emulated Cortex-M4F (tests/benchmarks/bench_classical.py, BasicMotions) a 10-tree
depth-8 forest inline took 2.0 KB and 264 instructions per inference, emlearn's 3.8 KB and 302."""


def _tree_code(model: TreeModel, t: int) -> str:
    """One tree as a function of nested if/else: a forest's leaf adds its non-zero class shares to ``sums``,
    a boosted tree's leaf returns its value."""
    rf = model.family == "rf"
    head = f"static void ts_tree_{t}(const float *x, uint32_t *sums)" if rf else \
        f"static int32_t ts_tree_{t}(const float *x)"
    lines = [head, "{"]

    def leaf(k: int, pad: str) -> None:
        if not rf:
            lines.append(f"{pad}return {int(model.leaf_values[k])};")
            return
        for c, v in enumerate(model.leaf_values[k]):
            if v:
                lines.append(f"{pad}sums[{c}] += {int(v)}u;")

    def walk(node: int, depth: int) -> None:
        pad = "    " * depth
        if node < 0:
            leaf(-1 - node, pad)
            return
        f, thr = int(model.feature[node]), c_float(float(model.threshold[node]))
        lines.append(f"{pad}if (x[{f}] <= {thr}) {{")
        walk(int(model.left[node]), depth + 1)
        lines.append(f"{pad}}} else {{")
        walk(int(model.right[node]), depth + 1)
        lines.append(f"{pad}}}")

    walk(int(model.roots[t]), 1)
    lines += ["}", ""]
    return "\n".join(lines)


def model_source(model: TreeModel, layout: str = "tables") -> tuple[str, int]:
    """model.c and the bytes of its constant tables (see LAYOUTS)."""
    if layout not in LAYOUTS:
        raise UserError(f"tree layout must be one of {', '.join(LAYOUTS)}, not {layout!r}")
    c, trees = model.n_classes, model.trees
    tables: list[tuple[str, int]] = []
    if layout == "tables":
        nodes = max(model.internal_nodes, model.leaves)
        child = "int16_t" if nodes < 0x7FFF else "int32_t"
        tables += [
            _table(_uint_type(model.n_features - 1), "ts_tree_feature", model.feature),
            _table("float", "ts_tree_threshold", model.threshold, floats=True),
            _table(child, "ts_tree_left", model.left),
            _table(child, "ts_tree_right", model.right),
            _table(child, "ts_tree_root", model.roots),
        ]
        walker = """/* The leaf row reached from ``node`` (a root). */
static int32_t leaf_of(int32_t node, const float *x)
{
    while (node >= 0) {
        node = (x[ts_tree_feature[node]] <= ts_tree_threshold[node]) ? (int32_t)ts_tree_left[node]
                                                                      : (int32_t)ts_tree_right[node];
    }
    return -1 - node;
}

"""
        reach = "leaf_of(ts_tree_root[t], x)"
    else:
        walker = "".join(_tree_code(model, t) for t in range(trees))
        reach = ""
    if model.family == "rf":
        if layout == "tables":
            tables.append(_table("uint16_t", "ts_tree_leaf", model.leaf_values))
            accumulate = f"""    for (t = 0u; t < {trees}u; t++) {{{{
        const uint16_t *row = &ts_tree_leaf[(uint32_t){reach} * {c}u];
        for (c = 0u; c < {c}u; c++) {{{{
            sums[c] += row[c];
        }}}}
    }}}}
"""
        else:
            accumulate = "    (void)t;\n" + "".join(f"    ts_tree_{t}(x, sums);\n" for t in range(trees))
        total = trees * model.leaf_one
        helper = f"""/* round(255 * part / total) - 128: a probability as an int8 score (total = trees x leaf one; the
   products stay below 2^32) */
#define TS_TREE_TOTAL {total}u
static int32_t probability(uint32_t part)
{{
    return (int32_t)((part * 255u + TS_TREE_TOTAL / 2u) / TS_TREE_TOTAL) - 128;
}}

"""
        body = f"""    uint32_t sums[{c}];
    uint32_t best = 0u;
    uint32_t t;
    uint32_t c;
    int32_t top;
    if (input == NULL || output == NULL) {{
        return -1;
    }}
    for (c = 0u; c < {c}u; c++) {{
        sums[c] = 0u;
    }}
{accumulate}    for (c = 1u; c < {c}u; c++) {{
        if (sums[c] > sums[best]) {{
            best = c;
        }}
    }}
    top = probability(sums[best]);
    for (c = 0u; c < {c}u; c++) {{
        int32_t q = probability(sums[c]);
        if (c < best && q >= top) {{
            q = top - 1;
        }}
        output[c] = (int8_t)q;
    }}
    return 0;
"""
    else:
        if layout == "tables":
            tables.append(_table("int32_t", "ts_tree_leaf", model.leaf_values))
            tables.append(_table(_uint_type(c - 1), "ts_tree_class", model.tree_class))
            accumulate = f"""    for (t = 0u; t < {trees}u; t++) {{{{
        scores[ts_tree_class[t]] += ts_tree_leaf[{reach}];
    }}}}
"""
        else:  # each tree function returns its leaf's value
            accumulate = "    (void)t;\n" + "".join(f"    scores[{int(model.tree_class[t])}] += ts_tree_{t}(x);\n"
                                                   for t in range(trees))
        tables.append(_table("int32_t", "ts_tree_base", model.base))
        helper = ""
        body = f"""    int32_t scores[{c}];
    uint32_t best = 0u;
    uint32_t t;
    uint32_t c;
    if (input == NULL || output == NULL) {{
        return -1;
    }}
    for (c = 0u; c < {c}u; c++) {{
        scores[c] = ts_tree_base[c];
    }}
{accumulate}    for (c = 1u; c < {c}u; c++) {{
        if (scores[c] > scores[best]) {{
            best = c;
        }}
    }}
    for (c = 0u; c < {c}u; c++) {{
        uint32_t gap = (uint32_t)(scores[best] - scores[c]) >> {model.output_shift}u;
        int32_t q = 127 - (int32_t)(gap > 255u ? 255u : gap);
        if (c < best && q >= 127) {{
            q = 126;
        }}
        output[c] = (int8_t)q;
    }}
    return 0;
"""
    text = "".join(t for t, _ in tables)
    weights = sum(b for _, b in tables)
    source = f"""/* Generated tree model ({model.family}, {layout}): {trees} trees,
   {model.internal_nodes} decision nodes, {model.leaves} leaves. A sample goes left when
   x[feature] <= threshold; in the tables a child below 0 is leaf -1 - child. */
#include <stddef.h>
#include <stdint.h>

#include "model.h"

{text}
{walker}{helper}int ts_model_invoke(const int8_t *input, int8_t *output)
{{
    const float *x = (const float *)(const void *)input;
{body}}}
"""
    return source, weights


def tree_files(model: TreeModel, name: str = "model", layout: str = DEFAULT_LAYOUT
               ) -> tuple[dict[str, str], TreeCodegenReport]:
    """model.h and model.c for ``model`` (name -> text) and the report, without writing them (the C library
    export adds its own files); ``layout`` as in LAYOUTS."""
    model.check()
    source, weights = model_source(model, layout)
    files = {"model.h": model_header(model, name), "model.c": source}
    return files, TreeCodegenReport(
        name=name, model_hash=model.model_hash(), family=model.family, trees=model.trees,
        internal_nodes=model.internal_nodes, leaves=model.leaves, max_depth=model.max_depth,
        weights_bytes=weights, input_shape=(model.n_features,), output_shape=(model.n_classes,),
        output_quant=model.output_quant, files=sorted(files),
    )


def emit_c(model: TreeModel, out_dir: str | Path, name: str = "model",
           layout: str = DEFAULT_LAYOUT) -> TreeCodegenReport:
    """Write model.h and model.c for ``model`` into ``out_dir`` (the codegen folder rules: a new or empty
    folder, or one an earlier run wrote); ``layout`` as in LAYOUTS."""
    files, report = tree_files(model, name, layout)
    write_owned(Path(out_dir), files)
    return report
