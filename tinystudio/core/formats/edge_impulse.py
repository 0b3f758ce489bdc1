"""Edge Impulse data acquisition format, as JSON and as CBOR: read and write.

The format wraps a payload of ``interval_ms``, ``sensors`` (name and units) and ``values`` (one list per
frame, or plain numbers for one axis); the label is not inside, it comes from the file name.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import cbor2
import numpy as np

from tinystudio.core.errors import UserError
from tinystudio.core.formats import nonfinite
from tinystudio.core.formats.recording import Recording, spool_array
from tinystudio.core.limits import MIN_RATE_HZ, finite_positive, sample_rate


def read_edge_impulse(path: Path, binary: bool, drop_nonfinite: bool = False) -> tuple[list[Recording], int]:
    """Decode one Edge Impulse acquisition file (JSON or CBOR); returns it with the rows left out.

    Rows holding nan or inf (JSON's NaN/Infinity, 1e999, CBOR floats) refuse the file unless
    ``drop_nonfinite``, which leaves them out.
    """
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise UserError(f"cannot read {path}: {exc.strerror}") from exc
    if not raw.strip():
        raise UserError(f"{path.name} is empty")
    try:
        doc = cbor2.loads(raw) if binary else json.loads(raw.decode("utf-8-sig"))
    except (cbor2.CBORDecodeError, EOFError, ValueError, UnicodeDecodeError) as exc:
        kind = "CBOR" if binary else "JSON"
        raise UserError(f"{path.name} is not valid {kind} (truncated or damaged): {exc}") from exc
    return _from_document(doc, path, drop_nonfinite)


def _from_document(doc: Any, path: Path, drop_nonfinite: bool) -> tuple[list[Recording], int]:
    payload = doc.get("payload") if isinstance(doc, dict) else None
    if not isinstance(payload, dict):
        raise UserError(f"{path.name} is not an Edge Impulse acquisition file (no payload)")
    sensors = payload.get("sensors")
    values = payload.get("values")
    interval = payload.get("interval_ms")
    if not isinstance(sensors, list) or not sensors or not isinstance(values, list):
        raise UserError(f"{path.name}: payload needs 'sensors' and 'values'")
    if isinstance(interval, bool) or not isinstance(interval, int | float):
        raise UserError(f"{path.name}: payload 'interval_ms' must be a positive number")
    interval = finite_positive(f"{path.name}: payload 'interval_ms'", interval, 1000.0 / MIN_RATE_HZ)
    rate_hz = sample_rate(f"{path.name}: the rate from 'interval_ms' {interval:g}", 1000.0 / interval)
    names = [str(s.get("name", f"axis{i + 1}")) if isinstance(s, dict) else str(s) for i, s in enumerate(sensors)]
    units = [str(s.get("units", "")) if isinstance(s, dict) else "" for s in sensors]
    units = ["" if u == "N/A" else u for u in units]  # Edge Impulse writes N/A for 'no unit'

    if not values:
        raise UserError(f"{path.name} has no values")
    rows = [[v] if isinstance(v, int | float) else v for v in values]
    try:
        try:
            table = np.asarray(rows, dtype=np.float64)
        except OverflowError:  # a whole number beyond any float (10**400): non-finite, as 1e999 is
            table = np.asarray([[_huge(v) for v in row] if isinstance(row, list) else row for row in rows],
                               dtype=np.float64)
        signal = nonfinite.to_float32(table)
        rounded = nonfinite.rounded(table, signal) if signal.shape == table.shape else (0, 0.0)
    except (ValueError, TypeError, OverflowError) as exc:
        raise UserError(f"{path.name}: values must be numbers, one row of {len(names)} per frame") from exc
    if signal.ndim != 2 or signal.shape[1] != len(names):
        raise UserError(f"{path.name}: every frame needs {len(names)} values (one per sensor)")
    bad = nonfinite.bad_rows(signal)
    dropped = int(bad.sum())
    if dropped:
        if not drop_nonfinite:
            row = int(np.argmax(bad))
            col = int(np.argmax(~np.isfinite(signal[row])))
            raise nonfinite.refusal(f"{path.name}, values row {row + 1}", names[col], repr(_cell(values[row], col)))
        signal = signal[~bad]
        if not len(signal):
            raise UserError(f"{path.name}: every row of values holds a non-finite value")
    recording = Recording(
        spool=spool_array(signal),
        start=0,
        frames=signal.shape[0],
        rate_hz=rate_hz,
        axis_names=names,
        units=units,
        name=path.name,
        source="file",
        notes=[nonfinite.rounding_note(*rounded)] if rounded[0] else [],
    )
    return [recording], dropped


def _huge(value: Any) -> Any:
    """An int too large for a float as the infinity of its sign; anything else as it is."""
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > 10**308:
        return float("inf") if value > 0 else float("-inf")
    return value


def _cell(row: Any, col: int) -> Any:
    return row if isinstance(row, int | float) else row[col]


def edge_impulse_document(
    signal: np.ndarray, rate_hz: float, axis_names: list[str], units: list[str], device: str = "TinyStudio"
) -> dict[str, Any]:
    """The acquisition document for one sample (unsigned: alg 'none')."""
    values: list[Any]
    if signal.dtype.kind == "f":
        values = [[float(x) for x in row] for row in signal.astype(np.float32)]
    else:
        values = signal.tolist()
    return {
        "protected": {"ver": "v1", "alg": "none"},
        "signature": "0" * 64,
        "payload": {
            "device_name": device,
            "device_type": "TINYSTUDIO",
            "interval_ms": 1000.0 / rate_hz,
            "sensors": [{"name": n, "units": u or "N/A"} for n, u in zip(axis_names, units, strict=True)],
            "values": values,
        },
    }


def write_edge_impulse(path: Path, document: dict[str, Any], binary: bool = False) -> None:
    if binary:
        path.write_bytes(cbor2.dumps(document))
    else:
        path.write_text(json.dumps(document), encoding="utf-8")
