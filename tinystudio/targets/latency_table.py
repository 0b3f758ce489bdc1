"""Per-board latency coefficients for the search: the count a board's counter reports for one inference is
about ``per_mac * MACs + per_op * ops + fixed`` (ops: the generated C's op calls).

Each row was fitted by ``tests/benchmarks/calibrate_latency.py`` from the suite models' measured counts on
that board (relative least squares); its provenance says when and how well it fitted. A board without its
own row borrows the row of the measured board with the same kernels (plain C, DSP extension, Helium), and
says so: a real board's true cycles differ from QEMU's instruction counts, so its figure is an estimate
until it is calibrated on the board itself.
"""

from __future__ import annotations

from dataclasses import dataclass

from tinystudio.core.search.latency import LatencyModel
from tinystudio.targets.registry import BoardSpec


@dataclass(frozen=True)
class LatencyCoefficients:
    per_mac: float
    per_op: float
    fixed: float
    provenance: str


MEASURED: dict[str, LatencyCoefficients] = {
    "mps2-an386": LatencyCoefficients(2.45368, 0, 405.994,
                                   "2026-11-30, calibrate_latency.py: 8 suite models, median error 22%, worst 91%"),
    "microbit": LatencyCoefficients(10.0933, 0, 406.72,
                                   "2026-11-30, calibrate_latency.py: 6 suite models, median error 32%, worst 95%"),
    "mps3-an547": LatencyCoefficients(1.13819, 0, 324.601,
                                   "2026-11-30, calibrate_latency.py: 8 suite models, median error 35%, worst 92%"),
    "host": LatencyCoefficients(0.000339051, 0, 0,
                                   "2026-11-30, calibrate_latency.py: 8 suite models, median error 5%, worst 75%"),
}

_PLAIN = ("Cortex-M0", "Cortex-M0+", "Cortex-M3")


def _borrowed_from(spec: BoardSpec) -> str:
    if spec.clock_hz is None:
        return "host"
    core = spec.core
    if core.startswith("Cortex-M55"):
        return "mps3-an547"
    if core in _PLAIN or core.rstrip("F") in _PLAIN:
        return "microbit"
    return "mps2-an386"


def latency_model(spec: BoardSpec) -> LatencyModel:
    """The latency model of ``spec``: its own measured row, else its kernel kind's (see module docstring)."""
    own = MEASURED.get(spec.name)
    source = spec.name if own is not None else _borrowed_from(spec)
    row = own or MEASURED[source]
    provenance = row.provenance if own is not None else f"borrowed from {source} ({row.provenance})"
    per_ms = spec.clock_hz / 1000.0 if spec.clock_hz else 1000.0
    return LatencyModel(spec.name, row.per_mac, row.per_op, row.fixed, per_ms, spec.counter_kind.label, provenance)
