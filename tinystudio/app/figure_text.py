"""The sentences that state the rate, duty cycle and energy estimate of a result (from app/device_figures.py),
so the CLI, the Deploy page and the report word them the same way, each always marked an estimate where
it is one and "typical, unverified" where the board's current was not checked against its datasheet."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tinystudio.core.errors import UserError
from tinystudio.core.store import TFLITE_KIND

if TYPE_CHECKING:
    from tinystudio.core.store import Project

TREE_MODEL = "tree"
"""A result's ``model_kind`` when the board ran a random forest or boosted trees (else ``int8``)."""
TREE_INPUT_QUANT = [1.0, 0]
"""What a tree model's board declares as its input quantization: float32 features, passed as they are."""

HOURS_PER_DAY = 24.0
DAYS_PER_YEAR = 365.0


def host_model(result: dict[str, Any]) -> str:
    """What the host scored the test windows with: "host int8" for a network, "host" for a tree model,
    which runs as the tree itself (no int8 copy exists to name)."""
    return "host" if result.get("model_kind") == TREE_MODEL else "host int8"


def input_type(result: dict[str, Any]) -> str:
    """The type of the model's input on the board: float32 features for a tree model, int8 for a network."""
    return "float32" if result.get("model_kind") == TREE_MODEL else "int8"


def with_model_kind(result: dict[str, Any], project: Project | None) -> dict[str, Any]:
    """``result`` with its ``model_kind``: a result stored before deploys recorded it takes it from its variant
    in ``project`` or, when that variant is gone, from the input the board declared (a tree model's board
    declares float input, scale 1 and zero point 0)."""
    if "model_kind" in result:
        return result
    kind = None
    if project is not None and result.get("variant_id") is not None:
        try:
            kind = TREE_MODEL if project.variant_kind(int(result["variant_id"])) != TFLITE_KIND else "int8"
        except (UserError, TypeError, ValueError):
            kind = None
    if kind is None:
        quant = result.get("hello", {}).get("input_quant")
        kind = TREE_MODEL if quant is not None and list(quant) == TREE_INPUT_QUANT else "int8"
    return {**result, "model_kind": kind}


def battery_life(hours: float | None) -> str:
    """Hours under two days, days under a year, years beyond."""
    if hours is None:
        return "-"
    if hours < 2 * HOURS_PER_DAY:
        return f"{hours:.3g} hours"
    days = hours / HOURS_PER_DAY
    if days < DAYS_PER_YEAR:
        return f"{days:.1f} days"
    return f"{days / DAYS_PER_YEAR:.1f} years"


def per_second(value: float) -> str:
    """A rate people read at a glance: 493.3, 12,500 (never 1.25e+04)."""
    return f"{value:,.0f}" if value >= 1000 else f"{value:.4g}"


def rate_sentence(rate: dict[str, Any]) -> str:
    """How long one inference takes, how many fit in a second and the duty cycle at the chosen rate."""
    if rate["inference_ms"] is None:
        return "no clock to turn counts into time"
    est = " (estimate)" if rate["estimate"] else ""
    if not rate["inferences_per_second"]:  # every window took less than one count of the board's counter
        return f"one inference takes less than the counter can time{est}"
    most = per_second(rate["inferences_per_second"])
    text = (f"one inference takes {rate['inference_ms']:.3g} ms{est}: up to {most} per second; at "
            f"{per_second(rate['rate_hz'])} per second the duty cycle is {rate['duty_cycle'] * 100:.3g}%")
    if rate.get("keeps_up") is False:
        text += f", more than the board can do (it keeps up with {most} per second)"
    return text


def energy_sentence(e: dict[str, Any] | None, micro: str = "µ") -> str:
    """Energy per inference and battery life at the chosen rate, sleep current and battery; always an estimate."""
    if e is None:
        return "no power figure for this board"
    return (f"Estimate: {e['uj_per_inference']:.3g} {micro}J per inference ({e['chip']}, {e['active_ma']:.3g} mA at "
            f"{e['volts']:g} V, {e['basis']}); at {e['rate_hz']:g} per second with {e['sleep_ua']:g} {micro}A "
            f"asleep the average is {e['average_ma']:.3g} mA and {e['battery_mah']:g} mAh lasts "
            f"{battery_life(e['battery_hours'])}")
