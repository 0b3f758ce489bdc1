"""Static memory plan: every run-time tensor gets a fixed place before the model ever runs.

Reshape-like ops alias their input; elementwise ops write over an input that dies at that op; the model
input is read from the caller's buffer and the model output written straight into the caller's buffer.
The remaining buffers are packed into one arena greedily, largest first, by lifetime interval.
"""

from __future__ import annotations

from dataclasses import dataclass

from tinystudio.core.codegen.graph import Graph
from tinystudio.core.codegen.lower import Step

ALIGN = 8


@dataclass
class Placement:
    location: str  # "input", "output" or "arena"
    offset: int


@dataclass
class TensorPlan:
    index: int
    name: str
    location: str
    offset: int
    nbytes: int
    first_step: int
    last_step: int
    buffer: int = -1  # tensors with the same buffer share one place (aliases, ops writing in place)


@dataclass
class MemoryPlan:
    placements: dict[int, Placement]
    arena_bytes: int
    tensors: list[TensorPlan]
    copy_input_to_output: bool
    scratch: dict[int, int]  # step position -> arena offset of its scratch buffer


class _Groups:
    def __init__(self) -> None:
        self.parent: dict[int, int] = {}

    def find(self, x: int) -> int:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[rb] = ra


def plan_memory(graph: Graph, steps: list[Step]) -> MemoryPlan:
    model_in = set(graph.inputs)
    model_out = set(graph.outputs)
    end = len(steps)
    first: dict[int, int] = {t: -1 for t in model_in}
    last: dict[int, int] = {}
    for s, step in enumerate(steps):
        first.setdefault(step.output, s)
        for t in step.runtime_inputs:
            last[t] = max(last.get(t, -1), s)
    for t in model_out:
        last[t] = end
    for t in first:
        last.setdefault(t, first[t])

    groups = _Groups()
    for t in first:
        groups.find(t)
    for step in steps:
        if step.alias:
            groups.union(step.runtime_inputs[0], step.output)

    def members(root: int) -> list[int]:
        return [t for t in first if groups.find(t) == root]

    def span(root: int) -> tuple[int, int]:
        ts = members(root)
        return min(first[t] for t in ts), max(last[t] for t in ts)

    def external(root: int) -> bool:
        return any(t in model_in or t in model_out for t in members(root))

    for s, step in enumerate(steps):
        if not step.inplace or not step.runtime_inputs:
            continue
        src = groups.find(step.runtime_inputs[0])
        dst = groups.find(step.output)
        if src == dst or external(src) or external(dst):
            continue
        src_t = graph.tensors[step.runtime_inputs[0]]
        out_t = graph.tensors[step.output]
        if span(src)[1] == s and src_t.nbytes == out_t.nbytes:
            groups.union(src, dst)

    roots = sorted({groups.find(t) for t in first})
    location: dict[int, str] = {}
    copy_in_out = False
    for r in roots:
        ts = members(r)
        has_in = any(t in model_in for t in ts)
        has_out = any(t in model_out for t in ts)
        if has_out:
            location[r] = "output"
            copy_in_out = copy_in_out or has_in
        elif has_in:
            location[r] = "input"
        else:
            location[r] = "arena"

    arena_roots = [r for r in roots if location[r] == "arena"]
    sizes = {r: max(graph.tensors[t].nbytes for t in members(r)) for r in arena_roots}
    spans = {r: span(r) for r in arena_roots}
    # Scratch buffers live only during their own step; keyed by negative ids.
    for s, step in enumerate(steps):
        if step.scratch_bytes:
            key = -(s + 1)
            arena_roots.append(key)
            sizes[key] = step.scratch_bytes
            spans[key] = (s, s)
    order = sorted(arena_roots, key=lambda r: (-sizes[r], spans[r][0]))
    offsets: dict[int, int] = {}
    arena = 0
    for r in order:
        lo, hi = spans[r]
        busy = sorted((offsets[o], offsets[o] + sizes[o]) for o in offsets if spans[o][0] <= hi and lo <= spans[o][1])
        offset = 0
        for start, stop in busy:
            if offset + sizes[r] <= start:
                break
            offset = max(offset, _align(stop))
        offsets[r] = offset
        arena = max(arena, offset + sizes[r])

    placements: dict[int, Placement] = {}
    tensors: list[TensorPlan] = []
    for t in sorted(first):
        r = groups.find(t)
        loc = location[r]
        off = offsets.get(r, 0)
        placements[t] = Placement(loc, off)
        tt = graph.tensors[t]
        tensors.append(TensorPlan(t, tt.name, loc, off, tt.nbytes, first[t], last[t], r))
    scratch = {-(key + 1): off for key, off in offsets.items() if key < 0}
    return MemoryPlan(placements, arena, tensors, copy_in_out, scratch)


def _align(n: int) -> int:
    return (n + ALIGN - 1) // ALIGN * ALIGN
