"""Sparse weight storage for pruned FULLY_CONNECTED weights: the layout, its packing and the per-tensor choice.

Layout "sparse" (bitmask): per output row, ceil(depth / 8) mask bytes (bit j of byte k set when column
8k + j is non-zero) followed, in a separate array, by the row's non-zero int8 values in column order.
The kernel adds only the non-zero products; the input zero-point correction stays in the bias, folded
offline from the full (dense) row sums, so the result is bit-identical to the dense kernel.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

MIN_SAVED_BYTES = 64
"""A tensor must save at least this much: the sparse kernel itself costs flash (about 100 bytes, once)."""

MIN_SAVED_SHARE = 0.2
"""...and at least this share of its dense bytes (a marginal saving is not worth the slower loop)."""

MAX_SLOWDOWN = 3.0
"""Estimated sparse / dense instruction ratio above which the dense layout is kept."""

# Rough Cortex-M4 instruction costs (measured on QEMU): dense FC with SMLAD about 1.6 per weight,
# the bitmask loop about 8 per non-zero plus 4 per mask byte.
_DENSE_PER_WEIGHT = 1.6
_SPARSE_PER_NONZERO = 8.0
_SPARSE_PER_MASK_BYTE = 4.0


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


def choose(w: np.ndarray, mode: str) -> str:
    """'sparse' when ``mode`` is 'auto' and the bitmask layout is clearly smaller and not much slower."""
    if mode != "auto" or w.ndim != 2 or w.size == 0:
        return "dense"
    dense = int(w.size)
    saved = dense - sparse_bytes(w)
    if saved < MIN_SAVED_BYTES or saved < MIN_SAVED_SHARE * dense:
        return "dense"
    rows, depth = w.shape
    sparse_cost = _SPARSE_PER_NONZERO * np.count_nonzero(w) + _SPARSE_PER_MASK_BYTE * rows * mask_bytes_per_row(depth)
    if sparse_cost > MAX_SLOWDOWN * _DENSE_PER_WEIGHT * dense:
        return "dense"
    return "sparse"
