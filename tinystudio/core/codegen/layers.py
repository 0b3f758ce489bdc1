"""What each generated op is, for a per-layer profile: its kind, output shape and multiply-accumulates.

MACs come from the shapes alone (the dense count, as the layer's arithmetic defines it; a sparse weight
layout skips zeros at run time but the figure stays the layer's own). Only convolutions and fully
connected layers multiply-accumulate; every other op has 0 MACs. Reshape-like ops are aliases the
generated code does not run, so they are not timed.
"""

from __future__ import annotations

from dataclasses import dataclass

from tinystudio.core.codegen.graph import Graph
from tinystudio.core.codegen.lower import Step


@dataclass(frozen=True)
class LayerInfo:
    """One op of the generated call sequence."""

    position: int  # index in the step sequence (the arena plan's time axis)
    op_index: int  # the op's index in the .tflite graph
    kind: str
    output: str  # name of the output tensor
    output_shape: tuple[int, ...]
    macs: int
    timed: bool  # False for aliases (no code runs)


def macs_of(graph: Graph, step: Step) -> int:
    """Multiply-accumulates of one op from its input, filter and output shapes."""
    op = next(o for o in graph.ops if o.index == step.op_index)
    out = graph.tensors[step.output]
    if op.kind == "CONV_2D":
        _, kh, kw, ic = graph.tensors[op.inputs[1]].shape
        return out.size * kh * kw * ic
    if op.kind == "DEPTHWISE_CONV_2D":
        _, kh, kw, _ = graph.tensors[op.inputs[1]].shape
        return out.size * kh * kw
    if op.kind == "FULLY_CONNECTED":
        _, depth = graph.tensors[op.inputs[1]].shape
        return out.size * depth
    return 0


def layer_infos(graph: Graph, steps: list[Step]) -> list[LayerInfo]:
    """One entry per step, in execution order."""
    return [
        LayerInfo(position, s.op_index, s.kind, graph.tensors[s.output].name, tuple(graph.tensors[s.output].shape),
                  macs_of(graph, s), not s.alias)
        for position, s in enumerate(steps)
    ]
