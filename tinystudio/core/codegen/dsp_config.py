"""Emit tsr_dsp_config.c: a DSP block's parameters and float32 tables (bit reversal, radix-4 and split
twiddles of the real FFT, windows, the mel filterbank stored sparse, DCT, biquad, percentile positions) as C
constants, so the firmware's tsr_dsp_blocks.c mirrors the Python block. A block made of blocks (spectral +
statistics) calls each one's mirror in turn, each writing after the other's features.

The tables come from the same functions tinystudio/core/dsp computes with, so both sides use identical
float32 constants and the same order of float32 operations.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from tinystudio.core.dsp import DspBlock
from tinystudio.core.dsp.fft import bit_reversal, split_twiddles, stage_twiddles
from tinystudio.core.dsp.mel import Framer, sparse_filters
from tinystudio.core.dsp.mfcc import dct_matrix
from tinystudio.core.dsp.spectral import biquad_coefficients
from tinystudio.core.dsp.spectral_statistics import SpectralStatisticsBlock
from tinystudio.core.dsp.statistics import percentile_taps
from tinystudio.core.errors import UserError

DSP_KINDS = {"raw": 1, "spectral": 2, "mfe": 3, "mfcc": 4, "statistics": 5, "spectral-statistics": 6}
SEGMENT_BATCH_FLOATS = 256
"""Work floats the spectral block may spend on running several Welch segments through the FFT at once."""


@dataclass(frozen=True)
class DspConfig:
    """The generated C source and the facts the build needs about it."""

    kind: int
    raw_bytes: int  # float32 raw window size
    features: int
    source: str

    def defines(self) -> list[str]:
        return [f"-DTSR_DSP_KIND={self.kind}u", f"-DTSR_DSP_RAW_BYTES={self.raw_bytes}u"]


def _f(value: float) -> str:
    text = repr(float(np.float32(value)))
    if text in ("inf", "-inf", "nan"):
        raise UserError(f"DSP constant {text} cannot go into the firmware")
    return text + "f"


def _array(ctype: str, name: str, values: Iterable[float | int], floats: bool = True) -> str:
    items = [_f(v) if floats else str(int(v)) for v in values]
    lines = [", ".join(items[i : i + 8]) for i in range(0, len(items), 8)]
    body = ",\n    ".join(lines)
    return f"static const {ctype} {name}[{len(items)}] = {{\n    {body}\n}};\n"


def _fft_tables(name: str, n: int) -> str:
    """The tsr_rfft_t of an N-point real FFT: bit reversal of N/2, radix-4 stage twiddles, split twiddles."""
    m = n // 2
    stages = [float(v) for tw in stage_twiddles(m) for v in tw.ravel()] or [0.0]  # C has no empty arrays
    split = [float(v) for v in split_twiddles(n).ravel()] or [0.0]
    return (
        _array("uint16_t", f"{name}_rev", bit_reversal(m), floats=False)
        + _array("float", f"{name}_stages", stages)
        + _array("float", f"{name}_split", split)
        + f"static const tsr_rfft_t {name} = {{{n}u, {name}_rev, {name}_stages, {name}_split}};\n"
    )


def _filter(block: DspBlock) -> str:
    """The biquad fields of a config struct: ``filter, {b0, b1, b2}, {a1, a2}`` (zeros without a filter)."""
    p = block.params
    if p["filter"] == "none":
        return "0, {0.0f, 0.0f, 0.0f}, {0.0f, 0.0f}"
    b, a = biquad_coefficients(p["filter"], p["cutoff_hz"], block.rate_hz)
    return f"1, {{{_f(b[0])}, {_f(b[1])}, {_f(b[2])}}}, {{{_f(a[0])}, {_f(a[1])}}}"


def _statistics_parts(block: DspBlock, prefix: str = "g_") -> tuple[str, int, str]:
    """Tables and config of the statistics block (names starting ``prefix``), the work floats it needs and
    its call on ``raw`` into ``{out}``."""
    frames, p = block.window_frames, block.params
    taps = percentile_taps(frames) if p["percentiles"] else [(0, 0, 0.0)]  # C has no empty arrays
    count = len(taps) if p["percentiles"] else 0
    text = (
        _array("uint32_t", f"{prefix}lo", [t[0] for t in taps], floats=False)
        + _array("uint32_t", f"{prefix}hi", [t[1] for t in taps], floats=False)
        + _array("float", f"{prefix}frac", [t[2] for t in taps])
        + f"static const tsr_statistics_t {prefix}cfg = {{"
        f"{frames}u, {block.axes}u, {_f(p['scale'])}, {_filter(block)}, {_f(np.float32(1.0 / frames))}, "
        f"{count}u, {prefix}lo, {prefix}hi, {prefix}frac}};\n"
    )
    return text, 2 * frames if count else frames, f"tsr_dsp_statistics(&{prefix}cfg, raw, g_work, {{out}});"


def _spectral_parts(block: DspBlock, prefix: str = "g_") -> tuple[str, int, str]:
    """Tables and config of the spectral block (names starting ``prefix``), the work floats it needs and
    its call on ``raw`` into ``{out}``."""
    frames, axes, p = block.window_frames, block.axes, block.params
    n = int(p["fft_length"])
    hann = (0.5 - 0.5 * np.cos(2.0 * np.pi * np.arange(n) / n)).astype(np.float32)
    norm = np.float32(1.0) / (hann * hann).sum(dtype=np.float32)
    segments = 1 if frames < n else 1 + (frames - n) // (n // 2)
    batch = max(1, min(segments, SEGMENT_BATCH_FLOATS // n))  # short FFTs share their stage loops
    text = _fft_tables(f"{prefix}fft", n) + _array("float", f"{prefix}hann", hann)
    text += (
        f"static const tsr_spectral_t {prefix}cfg = {{"
        f"{frames}u, {axes}u, {_f(p['scale'])}, {_filter(block)}, {_f(np.float32(1.0 / frames))}, &{prefix}fft, "
        f"{prefix}hann, {_f(norm * np.float32(0.25))}, {_f(np.float32(1.0 / segments))}, {segments}u, "
        f"{1 if p['log'] else 0}, {batch}u}};\n"
    )
    return text, frames + batch * n, f"tsr_dsp_spectral(&{prefix}cfg, raw, g_work, {{out}});"


def _features_source(parts: list[tuple[str, int, str]], sizes: list[int]) -> str:
    """The blocks' tables, one work buffer for the largest, and ``tsr_dsp_features`` calling each block in
    turn, each writing its features after the previous block's (``sizes``: features per block)."""
    text = "".join(t for t, _, _ in parts) + f"static float g_work[{max(w for _, w, _ in parts)}];\n\n"
    text += "int tsr_dsp_features(const float *raw, float *features)\n{\n"
    offset = 0
    for (_, _, call), size in zip(parts, sizes, strict=True):
        text += "    " + call.format(out="features" if offset == 0 else f"features + {offset}u") + "\n"
        offset += size
    return text + "    return 0;\n}\n"


def _framer_source(block: DspBlock) -> tuple[str, Framer, int]:
    fr = Framer(block.params, block.rate_hz, block.window_frames)
    text = _fft_tables("g_fft", fr.n_fft)
    text += _array("float", "g_window", fr.window)
    starts, lengths, weights = sparse_filters(fr.bank)
    text += _array("uint16_t", "g_mel_start", starts, floats=False)
    text += _array("uint16_t", "g_mel_len", lengths, floats=False)
    # power4 is 4 |X|^2 and the host scales |X|^2 by 1/N: both powers of two, folded into the weights exactly
    text += _array("float", "g_mel_w", [float(v) for v in weights * np.float32(0.25 / fr.n_fft)] or [0.0])
    text += (
        "static const tsr_framer_t g_framer = {"
        f"{block.axes}u, {fr.frame}u, {fr.hop}u, {fr.n_frames}u, {fr.n_mels}u, {_f(fr.scale)}, "
        "g_window, g_mel_start, g_mel_len, g_mel_w, &g_fft};\n"
    )
    work = fr.n_fft + fr.n_fft // 2 + 1 + fr.n_mels
    return text, fr, work


def dsp_config(block: DspBlock) -> DspConfig:
    """C source of ``tsr_dsp_features`` for this block instance."""
    kind = DSP_KINDS.get(block.name)
    if kind is None:
        raise UserError(f"DSP block '{block.name}' has no firmware version yet")
    frames, axes = block.window_frames, block.axes
    features = int(np.prod(block.output_shape))
    head = (
        f"/* Generated by TinyStudio for DSP block '{block.name}' v{block.version}: do not edit. */\n"
        '#include "tsr_dsp.h"\n#include "tsr_dsp_blocks.h"\n\n'
    )
    p = block.params
    if block.name == "raw":
        body = (
            "int tsr_dsp_features(const float *raw, float *features)\n{\n"
            f"    tsr_dsp_raw(raw, {frames * axes}u, {_f(p['scale'])}, features);\n    return 0;\n}}\n"
        )
    elif block.name == "spectral":
        body = _features_source([_spectral_parts(block)], [features])
    elif block.name == "statistics":
        body = _features_source([_statistics_parts(block)], [features])
    elif isinstance(block, SpectralStatisticsBlock):
        spectral, statistics = block.spectral, block.statistics
        body = _features_source([_spectral_parts(spectral, "g_spectral_"), _statistics_parts(statistics, "g_stats_")],
                                [int(np.prod(spectral.output_shape)), int(np.prod(statistics.output_shape))])
    elif block.name == "mfe":
        text, _fr, work = _framer_source(block)
        body = text + (
            f"static float g_work[{work}];\n\n"
            "int tsr_dsp_features(const float *raw, float *features)\n{\n"
            f"    tsr_dsp_mfe(&g_framer, {_f(p['noise_floor_db'])}, raw, g_work, features);\n    return 0;\n}}\n"
        )
    else:
        text, fr, work = _framer_source(block)
        n_coeffs = int(p["n_coeffs"])
        body = text + _array("float", "g_dct_t", dct_matrix(n_coeffs, fr.n_mels).T.ravel()) + (
            f"static float g_work[{work}];\n\n"
            "int tsr_dsp_features(const float *raw, float *features)\n{\n"
            f"    tsr_dsp_mfcc(&g_framer, g_dct_t, {n_coeffs}u, raw, g_work, features);\n    return 0;\n}}\n"
        )
    return DspConfig(kind=kind, raw_bytes=4 * frames * axes, features=features, source=head + body)
