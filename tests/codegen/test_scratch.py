"""The memory planner's scratch sizes are the kernels' own: each kernel's C *_get_buffer_size function,
compiled on the host, gives exactly the bytes the plan reserves, for every op of every test model."""

from __future__ import annotations

import re
import subprocess

import pytest

import suite_models
from tinystudio.core.codegen.graph import read_model
from tinystudio.core.codegen.kernels import kernels_dir
from tinystudio.core.codegen.lower import lower
from tinystudio.core.codegen.plan import plan_memory

pytestmark = pytest.mark.slow

# Kernels that take a scratch buffer; every other kernel has no *_get_buffer_size function.
SCRATCH_KERNELS = {"ts_conv_s8", "ts_conv_1x1_s8", "ts_depthwise_conv_strip_s8"}
MODELS = sorted({*suite_models.OP_MODELS, *suite_models.APP_MODELS})


def _cases(suite_model) -> list[tuple[str, str, int]]:
    """(params declaration, C size query, planned bytes) for each op with a scratch kernel, both modes."""
    cases = []
    for index, name in enumerate(MODELS):
        graph = read_model(suite_model(name))
        for mode, specialize in (("speed", True), ("size", False)):
            steps = lower(graph, specialize=specialize)
            plan = plan_memory(graph, steps)
            for position, step in enumerate(steps):
                if step.kernel not in SCRATCH_KERNELS:
                    assert not step.scratch_bytes, f"{name}: {step.kernel} reserves scratch it never asks for"
                    continue
                assert step.scratch_query.startswith(f"{step.kernel}_get_buffer_size("), (name, step.kernel)
                if step.scratch_bytes:
                    assert position in plan.scratch, f"{name} op {step.op_index}: scratch not placed in the arena"
                prefix = f"m{index}_{mode}_"
                decl = next(d for d in step.decls if d.startswith("static const ts_conv_params "))
                cases.append((
                    re.sub(r"\bop(\d+)_params\b", prefix + r"op\1_params", decl),
                    re.sub(r"\bop(\d+)_params\b", prefix + r"op\1_params", step.scratch_query),
                    step.scratch_bytes,
                ))
    return cases


def test_planned_scratch_equals_the_kernels_c_functions(suite_model, tmp_path):
    cases = _cases(suite_model)
    kinds = {query.split("(")[0] for _, query, _ in cases}
    assert kinds == {f"{k}_get_buffer_size" for k in SCRATCH_KERNELS}, "test models must use every scratch kernel"
    (tmp_path / "ts_kernels_config.h").write_text("#define TS_EXACT_REQUANT 1\n")
    lines = ["#include <stdio.h>"]
    lines += [f'#include "{k}.h"' for k in sorted(SCRATCH_KERNELS)]
    lines += [decl for decl, _, _ in cases]
    lines += ["int main(void)", "{"]
    lines += [f'    printf("%ld\\n", (long){query});' for _, query, _ in cases]
    lines += ["    return 0;", "}", ""]
    (tmp_path / "sizes.c").write_text("\n".join(lines))
    exe = tmp_path / "sizes"
    cmd = ["cc", "-std=c99", "-Wall", "-Wextra", "-Werror", "-I", str(tmp_path), "-I", str(kernels_dir())]
    subprocess.run([*cmd, str(tmp_path / "sizes.c"), "-o", str(exe)], check=True, capture_output=True, text=True)
    printed = [int(v) for v in subprocess.run([str(exe)], check=True, capture_output=True, text=True).stdout.split()]
    planned = [size for _, _, size in cases]
    mismatches = [(q, c, p) for (_, q, _), c, p in zip(cases, printed, planned, strict=True) if c != p]
    assert not mismatches, mismatches[:5]


def test_pointwise_conv_scratch_matches_what_its_kernel_uses(suite_model):
    """A specialised 1x1 conv gets 4 bytes per input channel for its widened pixel pair, as its kernel
    says (the old header macro said 0 for it while the planner reserved 4 x input channels)."""
    graph = read_model(suite_model("ds_cnn_kws"))
    pointwise = [s for s in lower(graph) if s.kernel == "ts_conv_1x1_s8"]
    assert pointwise
    for step in pointwise:
        in_c = graph.tensors[step.runtime_inputs[0]].shape[-1]
        assert step.scratch_bytes == (4 * in_c if in_c % 4 == 0 else 0)
