"""Which stored on-device result belongs to the board and model a person has chosen on the Deploy page, so
the figures shown follow the choice instead of staying those of another board or variant."""

from __future__ import annotations

from typing import Any


def newest_result_for(rows: list[dict[str, Any]], choice: tuple[str, int] | None, target: str) -> int | None:
    """The id of the newest result in ``rows`` (``Project.device_results()``, oldest first) of ``target`` and of
    ``choice`` (("variant", id) or ("run", id): any variant of that run); None when there is none."""
    if choice is None:
        return None
    kind, ident = choice
    key = "variant_id" if kind == "variant" else "run_id"
    for row in reversed(rows):
        r = row["results"]
        value = row["variant_id"] if key == "variant_id" else r.get("run_id")
        if row["target"] == target and value == ident:
            return int(row["id"])
    return None
