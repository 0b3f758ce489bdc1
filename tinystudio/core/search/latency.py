"""A board's latency model: the count its counter reports for one inference is about
``per_mac * MACs + per_op * ops + fixed`` (fitted once per board from the suite models' measured counts),
converted to milliseconds with the board's clock (or the counter's own unit)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True)
class LatencyModel:
    """Coefficients of one board, what its count means and where the coefficients come from."""

    board: str
    per_mac: float
    per_op: float
    fixed: float
    counts_per_ms: float
    """Counter units per millisecond: clock_hz / 1000 for instructions or cycles, 1000 for microseconds."""
    unit: str
    provenance: str

    def count(self, macs: int, ops: int) -> float:
        return max(0.0, self.per_mac * macs + self.per_op * ops + self.fixed)

    def ms(self, macs: int, ops: int) -> float:
        """Estimated milliseconds of one inference of a model with ``macs`` and ``ops`` on this board."""
        return self.count(macs, ops) / self.counts_per_ms

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> LatencyModel:
        return cls(**data)
