"""Sparse weight storage for pruned FULLY_CONNECTED weights: the layout, its packing and the per-tensor choice.

Layout "sparse" (bitmask): per output row, ceil(depth / 8) mask bytes (bit j of byte k set when column
8k + j is non-zero) followed, in a separate array, by the row's non-zero int8 values in column order.
The kernel adds only the non-zero products; the input zero-point correction stays in the bias, folded
offline from the full (dense) row sums, so the result is bit-identical to the dense kernel.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

KERNEL_BYTES = 330
"""Flash of the sparse kernel itself (Cortex-M4, -O2): a model goes sparse only when its weights save more."""

MIN_SAVED_SHARE = 0.2
"""The first sparse tensor of a model must save this share of its dense bytes (once the sparse kernel is
in, any tensor whose bitmask layout is smaller joins it, so the dense kernel may drop out entirely)."""

MAX_SLOWDOWN = 3.0
"""Estimated sparse / dense instruction ratio above which the dense layout is kept."""

# Cortex-M4 instruction costs measured on QEMU (-icount): the dense SMLAD loop takes about 2 per weight
# including its row overhead; the bitmask loop 9 per non-zero (RBIT, CLZ, two loads, SMLABB, bit clear,
# branch) plus 5 per mask byte. At 50 % zeros a pruned FC thus runs about 2x the dense instructions, at
# 80 % about the same, at 95 % fewer.
_DENSE_PER_WEIGHT = 2.0
_SPARSE_PER_NONZERO = 9.0
_SPARSE_PER_MASK_BYTE = 5.0


@dataclass(frozen=True)
class WeightsLayout:
    """How one op's weight tensor is stored in flash."""

    op_index: int
    kind: str
    weights_layout: str  # "dense" | "sparse"
    dense_bytes: int  # bytes of the plain int8 weight array
    stored_bytes: int  # bytes actually stored for the weights (mask + values when sparse)
    sparsity: float  # share of zero weights

    @property
    def bytes_saved(self) -> int:
        return self.dense_bytes - self.stored_bytes


def mask_bytes_per_row(depth: int) -> int:
    return (depth + 7) // 8


def sparse_bytes(w: np.ndarray) -> int:
    """Bytes of the bitmask layout of a 2-D [rows][depth] int8 weight matrix."""
    rows, depth = w.shape
    return rows * mask_bytes_per_row(depth) + int(np.count_nonzero(w))


def pack(w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(mask uint8 [rows * ceil(depth/8)], non-zero values int8 in row-major order) of ``w`` [rows][depth]."""
    rows, depth = w.shape
    mb = mask_bytes_per_row(depth)
    nz = np.zeros((rows, mb * 8), dtype=bool)
    nz[:, :depth] = w != 0
    mask = np.packbits(nz.reshape(rows, mb, 8), axis=-1, bitorder="little").reshape(-1)
    values = w[w != 0].astype(np.int8)
    return mask.astype(np.uint8), values


def unpack(mask: np.ndarray, values: np.ndarray, rows: int, depth: int) -> np.ndarray:
    """Inverse of ``pack`` (for tests and checks)."""
    mb = mask_bytes_per_row(depth)
    bits = np.unpackbits(mask.astype(np.uint8).reshape(rows, mb, 1), axis=-1, bitorder="little")
    nz = bits.reshape(rows, mb * 8)[:, :depth].astype(bool)
    w = np.zeros((rows, depth), dtype=np.int8)
    w[nz] = values
    return w


def _fits(w: np.ndarray, min_share: float) -> bool:
    """The bitmask layout saves at least ``min_share`` of the dense bytes (and some) and is not much slower."""
    if w.ndim != 2 or w.size == 0:
        return False
    dense = int(w.size)
    saved = dense - sparse_bytes(w)
    if saved <= 0 or saved < min_share * dense:
        return False
    rows, depth = w.shape
    sparse_cost = _SPARSE_PER_NONZERO * np.count_nonzero(w) + _SPARSE_PER_MASK_BYTE * rows * mask_bytes_per_row(depth)
    return bool(sparse_cost <= MAX_SLOWDOWN * _DENSE_PER_WEIGHT * dense)


def choose(weights: dict[int, np.ndarray], mode: str) -> dict[int, str]:
    """Op index -> 'dense' | 'sparse' for a model's FULLY_CONNECTED weight matrices.

    With ``mode="auto"``: tensors that are clearly smaller in the bitmask layout go sparse; then every other
    tensor that is at all smaller joins them (the sparse kernel is linked anyway); finally the whole model
    stays dense unless its weights save more than the sparse kernel's own code.
    """
    layouts = dict.fromkeys(weights, "dense")
    if mode != "auto" or not any(_fits(w, MIN_SAVED_SHARE) for w in weights.values()):
        return layouts
    chosen = {i: "sparse" if _fits(w, 0.0) else "dense" for i, w in weights.items()}
    saved = sum(w.size - sparse_bytes(w) for i, w in weights.items() if chosen[i] == "sparse")
    return chosen if saved > KERNEL_BYTES else layouts
