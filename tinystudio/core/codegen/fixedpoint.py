"""Exact Python model of TFLite's integer arithmetic (multipliers, rounding shifts, gemmlowp fixed point).

Generation-time code uses it to fold constants and to tabulate every int8 -> int8 elementwise op into a
256-entry lookup table, so the device only does table lookups with results identical to TFLM's kernels.
"""

from __future__ import annotations

import math

import numpy as np

INT32_MIN = -(2**31)
INT32_MAX = 2**31 - 1


def wrap32(x: int) -> int:
    """Two's-complement wrap to int32 (what C int32 arithmetic does on overflow in practice)."""
    return ((x + 2**31) % 2**32) - 2**31


def f32(x: float) -> float:
    """Round a Python float to float32 and back (TFLite stores scales as float32)."""
    return float(np.float32(x))


def tflite_round(x: float) -> int:
    """std::round: halves away from zero."""
    return int(math.copysign(math.floor(abs(x) + 0.5), x))


def quantize_multiplier(real: float) -> tuple[int, int]:
    """TFLite QuantizeMultiplier: real = m * 2^(shift - 31) with m in [2^30, 2^31)."""
    if real == 0.0:
        return 0, 0
    q, shift = math.frexp(real)
    q_fixed = tflite_round(q * (1 << 31))
    if q_fixed == (1 << 31):
        q_fixed //= 2
        shift += 1
    if shift < -31:
        shift = 0
        q_fixed = 0
    if shift > 30:
        shift = 30
        q_fixed = (1 << 31) - 1
    return q_fixed, shift


def saturating_rounding_doubling_high_mul(a: int, b: int, bits: int = 32) -> int:
    """gemmlowp SaturatingRoundingDoublingHighMul on int32 (or int16 with ``bits=16``)."""
    if a == b == -(1 << (bits - 1)):
        return (1 << (bits - 1)) - 1
    ab = a * b
    nudge = (1 << (bits - 2)) if ab >= 0 else (1 - (1 << (bits - 2)))
    total = ab + nudge
    # C integer division truncates toward zero.
    q = abs(total) >> (bits - 1)
    return q if total >= 0 else -q


def rounding_divide_by_power_of_two(x: int, exponent: int) -> int:
    """gemmlowp RoundingDivideByPOT on int32."""
    mask = (1 << exponent) - 1
    remainder = x & mask
    threshold = (mask >> 1) + (1 if x < 0 else 0)
    return (x >> exponent) + (1 if remainder > threshold else 0)


def multiply_by_quantized_multiplier(x: int, multiplier: int, shift: int) -> int:
    """TFLite MultiplyByQuantizedMultiplier (double rounding)."""
    left = shift if shift > 0 else 0
    right = 0 if shift > 0 else -shift
    high = saturating_rounding_doubling_high_mul(wrap32(x * (1 << left)), multiplier)
    return rounding_divide_by_power_of_two(high, right)


def sat_mul_pot(x: int, exponent: int) -> int:
    """gemmlowp SaturatingRoundingMultiplyByPOT on int32."""
    if exponent == 0:
        return x
    if exponent < 0:
        return rounding_divide_by_power_of_two(x, -exponent)
    threshold = (1 << (31 - exponent)) - 1
    if x > threshold:
        return INT32_MAX
    if x < -threshold:
        return INT32_MIN
    return wrap32(x << exponent)


def rounding_half_sum(a: int, b: int) -> int:
    """gemmlowp RoundingHalfSum on int32: (a + b + sign) / 2 with C truncation."""
    total = a + b
    value = total + (1 if total >= 0 else -1)
    half = abs(value) // 2
    return half if value >= 0 else -half


# ------------------------------------------------------------------ gemmlowp transcendental functions


def _exp_quarter(a: int) -> int:
    """exp(a) for a in [-1/4, 0), both Q0.31."""
    constant_term = 1895147668
    one_third = 715827883
    x = wrap32(a + (1 << 28))
    x2 = saturating_rounding_doubling_high_mul(x, x)
    x3 = saturating_rounding_doubling_high_mul(x2, x)
    x4 = saturating_rounding_doubling_high_mul(x2, x2)
    x4_over_4 = sat_mul_pot(x4, -2)
    poly = sat_mul_pot(wrap32(saturating_rounding_doubling_high_mul(wrap32(x4_over_4 + x3), one_third) + x2), -1)
    return wrap32(constant_term + saturating_rounding_doubling_high_mul(constant_term, wrap32(x + poly)))


def exp_on_negative_values(a: int, integer_bits: int) -> int:
    """gemmlowp exp_on_negative_values: input Q(integer_bits), result Q0.31."""
    fractional_bits = 31 - integer_bits
    one_quarter = 1 << (fractional_bits - 2)
    mask = one_quarter - 1
    a_mod = wrap32((a & mask) - one_quarter)
    result = _exp_quarter(sat_mul_pot(a_mod, integer_bits))
    remainder = wrap32(a_mod - a)
    for exponent, multiplier in (
        (-2, 1672461947),
        (-1, 1302514674),
        (0, 790015084),
        (1, 290630308),
        (2, 39332535),
        (3, 720401),
        (4, 242),
    ):
        if integer_bits > exponent:
            shift_amount = fractional_bits + exponent
            if remainder & (1 << shift_amount):
                result = saturating_rounding_doubling_high_mul(result, multiplier)
    if integer_bits > 5:
        clamp = -(1 << (36 - integer_bits))
        if a < clamp:
            result = 0
    if a == 0:
        result = INT32_MAX
    return result


def _newton_reciprocal_f2(a: int) -> int:
    """Shared Newton-Raphson part of gemmlowp's 1/(1+x) helpers; returns x in Q2.29."""
    half_denominator = rounding_half_sum(a, INT32_MAX)
    x = wrap32(1515870810 + saturating_rounding_doubling_high_mul(half_denominator, -1010580540))
    one_f2 = 1 << 29
    for _ in range(3):
        hdx = saturating_rounding_doubling_high_mul(half_denominator, x)
        one_minus = wrap32(one_f2 - hdx)
        x = wrap32(x + sat_mul_pot(saturating_rounding_doubling_high_mul(x, one_minus), 2))
    return x


def one_over_one_plus_x(a: int) -> int:
    """gemmlowp one_over_one_plus_x_for_x_in_0_1 (Q0.31 in and out)."""
    return sat_mul_pot(_newton_reciprocal_f2(a), 1)


def one_minus_x_over_one_plus_x(a: int) -> int:
    """gemmlowp one_minus_x_over_one_plus_x_for_x_in_0_1 (Q0.31 in and out)."""
    return sat_mul_pot(wrap32(_newton_reciprocal_f2(a) - (1 << 29)), 2)


def gemmlowp_logistic(a: int, integer_bits: int) -> int:
    if a == 0:
        return 1 << 30
    positive = a > 0
    abs_input = a if positive else wrap32(-a)
    result_pos = one_over_one_plus_x(exp_on_negative_values(wrap32(-abs_input), integer_bits))
    return result_pos if positive else wrap32(INT32_MAX - result_pos)


def gemmlowp_tanh(a: int, integer_bits: int) -> int:
    if a == 0:
        return 0
    negative = a < 0
    n = a if negative else wrap32(-a)
    # ExactMulByPot<1>: same raw value, one more integer bit.
    t = one_minus_x_over_one_plus_x(exp_on_negative_values(n, integer_bits + 1))
    return wrap32(-t) if negative else t


def calculate_input_radius(integer_bits: int, left_shift: int, total_signed_bits: int = 31) -> int:
    value = 1.0 * ((1 << integer_bits) - 1) * (1 << (total_signed_bits - integer_bits)) / (1 << left_shift)
    return int(math.floor(value))


def get_reciprocal(x: int, x_integer_digits: int) -> tuple[int, int]:
    """TFLite GetReciprocal: returns (Q0.31 reciprocal of the normalised x, num_bits_over_unit)."""
    headroom_plus_one = 32 - (x & 0xFFFFFFFF).bit_length()
    num_bits_over_unit = x_integer_digits - headroom_plus_one
    shifted_minus_one = wrap32(((x << headroom_plus_one) & 0xFFFFFFFF) - (1 << 31))
    return one_over_one_plus_x(shifted_minus_one), num_bits_over_unit


# ------------------------------------------------------------------ int8 lookup tables


def _clamp8(v: int) -> int:
    return max(-128, min(127, v))


def lut_requantize(in_scale: float, in_zp: int, out_scale: float, out_zp: int) -> list[int]:
    """QUANTIZE int8 -> int8 (TFLM Requantize)."""
    m, s = quantize_multiplier(in_scale / out_scale)
    return [_clamp8(multiply_by_quantized_multiplier(q - in_zp, m, s) + out_zp) for q in range(-128, 128)]


def lut_relu(in_scale: float, in_zp: int, out_scale: float, out_zp: int, upper: float | None) -> list[int]:
    """RELU / RELU_N1_TO_1 style (TFLM ReluQuantized with act_min 0 and optional act_max)."""
    m, s = quantize_multiplier(in_scale / out_scale)
    act_min = max(-128, out_zp + tflite_round(f32(0.0 / np.float32(out_scale))))
    act_max = 127 if upper is None else min(127, out_zp + tflite_round(f32(np.float32(upper) / np.float32(out_scale))))
    return [
        max(act_min, min(act_max, out_zp + multiply_by_quantized_multiplier(q - in_zp, m, s))) for q in range(-128, 128)
    ]


def lut_relu6(in_scale: float, in_zp: int) -> list[int]:
    """RELU6 (TFLM Relu6Quantized: clamp to [zp, quantized 6] on the input scale, no rescale)."""
    six = _clamp8(tflite_round(f32(np.float32(6.0) / np.float32(in_scale))) + in_zp)
    return [max(in_zp, min(six, q)) for q in range(-128, 128)]


def lut_leaky_relu(in_scale: float, in_zp: int, out_scale: float, out_zp: int, alpha: float) -> list[int]:
    alpha_real = float(np.float32(np.float32(in_scale) * np.float32(alpha)) / np.float32(out_scale))
    identity_real = float(np.float32(in_scale) / np.float32(out_scale))
    ma, sa = quantize_multiplier(alpha_real)
    mi, si = quantize_multiplier(identity_real)
    table = []
    for q in range(-128, 128):
        v = q - in_zp
        if v >= 0:
            out = out_zp + multiply_by_quantized_multiplier(v, mi, si)
        else:
            out = out_zp + multiply_by_quantized_multiplier(v, ma, sa)
        table.append(_clamp8(out))
    return table


def _wrap16(x: int) -> int:
    return ((x + 2**15) % 2**16) - 2**15


def _downscale16(m32: int) -> int:
    """TFLite DownScaleInt32ToInt16Multiplier."""
    if m32 == 0:
        return 0
    rounding = 1 << 15
    if m32 >= INT32_MAX - rounding:
        return 32767
    return (m32 + rounding) >> 16


def lut_hard_swish(in_scale: float, in_zp: int, out_scale: float, out_zp: int) -> list[int]:
    hires_input_scale = np.float32(np.float32(1.0 / 128.0) * np.float32(in_scale))
    reluish_scale = np.float32(3.0 / 32768.0)
    out_m32, out_exp = quantize_multiplier(float(np.float32(hires_input_scale / np.float32(out_scale))))
    rel_m32, rel_exp = quantize_multiplier(float(np.float32(hires_input_scale / reluish_scale)))
    out_m16 = _downscale16(out_m32)
    rel_m16 = _downscale16(rel_m32)
    table = []
    for q in range(-128, 128):
        input_value = _wrap16(q - in_zp)
        hires = _wrap16(input_value * 128)
        preshift = saturating_rounding_doubling_high_mul(hires, out_m16, bits=16)
        reluish = hires
        if rel_exp > 0:
            reluish = max(-32768, min(32767, reluish * (1 << (rel_exp - 1))))
        reluish = saturating_rounding_doubling_high_mul(reluish, rel_m16, bits=16)
        if rel_exp > 0:
            reluish = max(-32768, min(32767, reluish * 2))
        if rel_exp < 0:
            reluish = rounding_divide_by_power_of_two(reluish, -rel_exp)
        reluish = (reluish + (1 << 15)) >> 1
        reluish = _wrap16(reluish)
        if reluish == preshift == -32768:
            pre_out = 32767
        else:
            prod = reluish * preshift
            pre_out = _wrap16((abs(prod) >> 15) * (1 if prod >= 0 else -1))
        out = _wrap16(rounding_divide_by_power_of_two(pre_out, -out_exp) + out_zp)
        table.append(_clamp8(out))
    return table


def _logistic_like_params(in_scale: float) -> tuple[int, int, int]:
    real = float(np.float32(in_scale)) * float(1 << (31 - 4))
    q, left_shift = math.frexp(real)
    multiplier = tflite_round(q * (1 << 31))
    radius = calculate_input_radius(4, left_shift, 31)
    return multiplier, left_shift, radius


def lut_logistic(in_scale: float, in_zp: int) -> list[int]:
    multiplier, left_shift, radius = _logistic_like_params(in_scale)
    table = []
    for q in range(-128, 128):
        v = q - in_zp
        if v <= -radius:
            table.append(-128)
        elif v >= radius:
            table.append(127)
        else:
            x = multiply_by_quantized_multiplier(v, multiplier, left_shift)
            out = rounding_divide_by_power_of_two(gemmlowp_logistic(x, 4), 23) - 128
            table.append(_clamp8(out))
    return table


def lut_tanh(in_scale: float, in_zp: int) -> list[int]:
    multiplier, left_shift, radius = _logistic_like_params(in_scale)
    table = []
    for q in range(-128, 128):
        v = q - in_zp
        if v <= -radius:
            table.append(-128)
        elif v >= radius:
            table.append(127)
        else:
            x = multiply_by_quantized_multiplier(v, multiplier, left_shift)
            out = rounding_divide_by_power_of_two(gemmlowp_tanh(x, 4), 24)
            table.append(_clamp8(out))
    return table


def softmax_exp_table(in_scale: float, beta: float) -> tuple[list[int], int]:
    """exp(beta * (x - max)) in Q0.31 for x - max = 0, -1, ..., -255; and the largest |diff| used."""
    integer_bits = 5
    real = min(float(beta) * float(np.float32(in_scale)) * (1 << (31 - integer_bits)), (1 << 31) - 1.0)
    multiplier, left_shift = quantize_multiplier(real)
    diff_min = -calculate_input_radius(integer_bits, left_shift)
    table = []
    for d in range(256):
        diff = -d
        if diff >= diff_min:
            rescaled = saturating_rounding_doubling_high_mul(wrap32(diff * (1 << left_shift)), multiplier)
            table.append(exp_on_negative_values(rescaled, integer_bits))
        else:
            table.append(0)
    return table, min(255, -diff_min)
