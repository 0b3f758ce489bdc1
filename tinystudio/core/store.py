"""The project store: one SQLite file (WAL) holding samples, runs, model variants and device results.

Every change is a transaction, so a failed import or a crash leaves the project as it was; live
recordings are committed in chunks while they are captured, so a pulled cable loses at most the last
flush. One lock serialises access, so a capture thread can append while the GUI reads.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from tinystudio.core import schema
from tinystudio.core.errors import UserError

SPLITS: tuple[str, ...] = ("train", "validation", "test")
_DTYPES = {"float32", "float64", "int8", "int16", "int32", "int64", "uint8", "uint16"}
PROJECT_SUFFIX = ".tsproj"

_INFO_COLUMNS = (
    "id, name, label, split, split_manual, group_key, frames, axes, rate_hz, axis_names, units, "
    "dtype, source, created, content_hash, status"
)


@dataclass(frozen=True)
class SampleInfo:
    """A sample's metadata, without its signal."""

    id: int
    name: str
    label: str | None
    split: str | None
    split_manual: bool
    group: str | None
    frames: int
    axes: int
    rate_hz: float
    axis_names: tuple[str, ...]
    units: tuple[str, ...]
    dtype: str
    source: str
    created: float
    content_hash: str
    status: str

    @property
    def duration_s(self) -> float:
        return self.frames / self.rate_hz if self.rate_hz > 0 else 0.0


@dataclass(frozen=True)
class RunInfo:
    """A training (or compression) run's summary."""

    id: int
    kind: str
    name: str
    created: float
    config: dict[str, Any]
    metrics: dict[str, Any]


@dataclass(frozen=True)
class Run(RunInfo):
    """A run with its curves and model bytes."""

    curves: dict[str, Any]
    model: bytes | None


def canonical_rate(rate_hz: float) -> float:
    """Rates are kept to 9 significant digits, so a rate re-derived from exported timestamps matches."""
    if not (rate_hz > 0 and np.isfinite(rate_hz)):
        raise UserError(f"sample rate must be a positive number, got {rate_hz}")
    return float(f"{float(rate_hz):.9g}")


def _hasher(dtype: np.dtype, shape: tuple[int, int], rate_hz: float) -> Any:
    h = hashlib.sha256()
    h.update(f"{dtype.name}|{shape[0]}x{shape[1]}|{float(rate_hz)!r}|".encode())
    return h


def content_hash(signal: np.ndarray, rate_hz: float) -> str:
    """Hash of what makes two samples the same recording: dtype, shape, rate and values."""
    arr = np.ascontiguousarray(signal)
    h = _hasher(arr.dtype, (arr.shape[0], arr.shape[1]), canonical_rate(rate_hz))
    h.update(arr.astype(arr.dtype.newbyteorder("<"), copy=False).tobytes())
    return h.hexdigest()


def _check_signal(signal: np.ndarray, axis_names: Sequence[str], units: Sequence[str] | None) -> np.ndarray:
    arr = np.asarray(signal)
    if arr.ndim == 1:
        arr = arr.reshape(-1, 1)
    if arr.ndim != 2:
        raise UserError(f"a sample must be frames x axes, got shape {arr.shape}")
    if arr.dtype.name not in _DTYPES:
        arr = arr.astype(np.float32)
    if len(axis_names) != arr.shape[1]:
        raise UserError(f"{arr.shape[1]} axes but {len(axis_names)} axis names")
    if units is not None and len(units) != arr.shape[1]:
        raise UserError(f"{arr.shape[1]} axes but {len(units)} units")
    return np.ascontiguousarray(arr.astype(arr.dtype.newbyteorder("<"), copy=False))


def _check_split(split: str | None) -> None:
    if split is not None and split not in SPLITS:
        raise UserError(f"unknown split {split!r}: use one of {', '.join(SPLITS)}")


class Project:
    """An open project file. Use ``Project.create`` or ``Project.open``; close it (or use ``with``)."""

    def __init__(self, path: Path, conn: sqlite3.Connection) -> None:
        self.path = path
        self._conn = conn
        self._lock = threading.RLock()
        self._depth = 0

    # -- opening and closing -------------------------------------------------------------------

    @classmethod
    def create(cls, path: str | os.PathLike[str]) -> Project:
        """Create a new, empty project file; refuses to overwrite anything."""
        p = Path(path).absolute()  # tools started in other folders (compilers) get usable paths
        if p.exists():
            raise UserError(f"{p} already exists")
        if not p.parent.exists():
            raise UserError(f"folder {p.parent} does not exist")
        conn = cls._connect(p)
        try:
            schema.initialise(conn)
        except BaseException:
            conn.close()
            p.unlink(missing_ok=True)
            raise
        return cls(p, conn)

    @classmethod
    def open(cls, path: str | os.PathLike[str]) -> Project:
        """Open an existing project, upgrading an older schema and finishing interrupted recordings."""
        p = Path(path).absolute()
        if not p.is_file():
            raise UserError(f"no project at {p}")
        with open(p, "rb") as fh:
            head = fh.read(16)
        if head != b"SQLite format 3\x00":
            raise UserError(f"{p} is not a TinyStudio project")
        conn = cls._connect(p)
        try:
            schema.check_and_migrate(conn, str(p))
        except sqlite3.DatabaseError as exc:
            conn.close()
            raise UserError(f"{p} is not a readable TinyStudio project ({exc})") from exc
        except BaseException:
            conn.close()
            raise
        project = cls(p, conn)
        project.recover_recordings()
        return project

    @staticmethod
    def _connect(p: Path) -> sqlite3.Connection:
        try:
            conn = sqlite3.connect(p, isolation_level=None, check_same_thread=False, timeout=30)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("PRAGMA foreign_keys=ON")
        except sqlite3.DatabaseError as exc:
            raise UserError(f"{p} is not a TinyStudio project ({exc})") from exc
        return conn

    @property
    def cache_dir(self) -> Path:
        """Folder beside the project for build outputs and reports; never needed to reopen the project."""
        path = self.path.with_name(self.path.name + "-cache")
        path.mkdir(exist_ok=True)
        return path

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def __enter__(self) -> Project:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """All changes inside happen together or not at all; nesting joins the outer transaction."""
        with self._lock:
            if self._depth == 0:
                self._conn.execute("BEGIN IMMEDIATE")
            self._depth += 1
            try:
                yield
            except BaseException:
                self._depth -= 1
                if self._depth == 0:
                    self._conn.execute("ROLLBACK")
                raise
            self._depth -= 1
            if self._depth == 0:
                self._conn.execute("COMMIT")

    def _query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        with self._lock:
            return self._conn.execute(sql, params).fetchall()

    # -- samples -------------------------------------------------------------------------------

    def add_sample(
        self,
        signal: np.ndarray,
        rate_hz: float,
        axis_names: Sequence[str],
        label: str | None,
        units: Sequence[str] | None = None,
        group: str | None = None,
        source: str = "file",
        name: str = "",
        split: str | None = None,
    ) -> int:
        """Store one complete recording and return its id."""
        arr = _check_signal(signal, axis_names, units)
        return self.add_sample_chunks(
            lambda: [arr], arr.shape[0], arr.shape[1], arr.dtype.name, rate_hz, axis_names, label,
            units=units, group=group, source=source, name=name, split=split,
        )

    def add_sample_chunks(
        self,
        blocks: Callable[[], Iterable[np.ndarray]],
        frames: int,
        axes: int,
        dtype: str,
        rate_hz: float,
        axis_names: Sequence[str],
        label: str | None,
        units: Sequence[str] | None = None,
        group: str | None = None,
        source: str = "file",
        name: str = "",
        split: str | None = None,
    ) -> int:
        """Store a recording streamed as (n, axes) blocks, never holding the whole signal in memory.

        ``blocks()`` is read twice: once for the content hash, once into the row's blob. (Writing the
        hash afterwards would make SQLite rewrite the whole row, blob included, in memory.)
        """
        if dtype not in _DTYPES:
            raise UserError(f"unsupported sample type {dtype}")
        if len(axis_names) != axes or (units is not None and len(units) != axes):
            raise UserError(f"{axes} axes but {len(axis_names)} axis names")
        rate_hz = canonical_rate(rate_hz)
        if frames <= 0:
            raise UserError("a sample needs at least one frame")
        _check_split(split)
        np_dtype = np.dtype(dtype).newbyteorder("<")
        nbytes = frames * axes * np_dtype.itemsize

        def checked() -> Iterator[bytes]:
            written = 0
            for chunk in blocks():
                block = np.ascontiguousarray(np.asarray(chunk).astype(np_dtype, copy=False))
                if block.ndim != 2 or block.shape[1] != axes or written + block.nbytes > nbytes:
                    raise UserError("recording data does not match its declared shape")
                written += block.nbytes
                yield block.tobytes()
            if written != nbytes:
                raise UserError("recording data is shorter than its declared length")

        digest = _hasher(np.dtype(dtype), (frames, axes), rate_hz)
        for data in checked():
            digest.update(data)
        with self.transaction():
            cur = self._conn.execute(
                "INSERT INTO samples (name, label, split, split_manual, group_key, frames, axes, rate_hz,"
                " axis_names, units, dtype, source, created, content_hash, status, data)"
                " VALUES (?, ?, ?, 0, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'complete', zeroblob(?))",
                (
                    name,
                    label,
                    split,
                    group,
                    frames,
                    axes,
                    rate_hz,
                    json.dumps(list(axis_names)),
                    json.dumps(list(units) if units is not None else [""] * axes),
                    dtype,
                    source,
                    time.time(),
                    digest.hexdigest(),
                    nbytes,
                ),
            )
            sample_id = int(cur.lastrowid or 0)
            with self._conn.blobopen("samples", "data", sample_id) as blob:
                for data in checked():
                    blob.write(data)
            return sample_id

    @staticmethod
    def _info(row: Sequence[Any]) -> SampleInfo:
        return SampleInfo(
            id=row[0],
            name=row[1],
            label=row[2],
            split=row[3],
            split_manual=bool(row[4]),
            group=row[5],
            frames=row[6],
            axes=row[7],
            rate_hz=row[8],
            axis_names=tuple(json.loads(row[9])),
            units=tuple(json.loads(row[10])),
            dtype=row[11],
            source=row[12],
            created=row[13],
            content_hash=row[14],
            status=row[15],
        )

    def samples(self, label: str | None = None, split: str | None = None) -> list[SampleInfo]:
        """Sample metadata in id order, optionally filtered by label and split."""
        sql = f"SELECT {_INFO_COLUMNS} FROM samples WHERE status = 'complete'"
        params: list[Any] = []
        if label is not None:
            sql += " AND label = ?"
            params.append(label)
        if split is not None:
            sql += " AND split = ?"
            params.append(split)
        return [self._info(r) for r in self._query(sql + " ORDER BY id", params)]

    def sample_info(self, sample_id: int) -> SampleInfo:
        rows = self._query(f"SELECT {_INFO_COLUMNS} FROM samples WHERE id = ?", (sample_id,))
        if not rows:
            raise UserError(f"no sample with id {sample_id}")
        return self._info(rows[0])

    def load_signal(self, sample_id: int) -> np.ndarray:
        """The signal as a (frames, axes) array in its stored dtype."""
        rows = self._query("SELECT dtype, frames, axes, data FROM samples WHERE id = ?", (sample_id,))
        if not rows:
            raise UserError(f"no sample with id {sample_id}")
        dtype, frames, axes, data = rows[0]
        arr = np.frombuffer(data, dtype=np.dtype(dtype).newbyteorder("<"))
        return arr.reshape(frames, axes).astype(np.dtype(dtype), copy=True)

    def labels(self) -> list[str]:
        rows = self._query(
            "SELECT DISTINCT label FROM samples WHERE label IS NOT NULL AND status = 'complete' ORDER BY label"
        )
        return [r[0] for r in rows]

    def hashes(self) -> set[str]:
        """Content hashes of every sample, to spot re-imports of the same recording."""
        return {r[0] for r in self._query("SELECT content_hash FROM samples")}

    def _update(self, column: str, value: Any, ids: Sequence[int], extra: str = "") -> None:
        with self.transaction():
            for sid in ids:
                self._conn.execute(f"UPDATE samples SET {column} = ?{extra} WHERE id = ?", (value, sid))

    def relabel(self, ids: Sequence[int], label: str | None) -> None:
        self._update("label", label, ids)

    def set_split(self, ids: Sequence[int], split: str | None, manual: bool = True) -> None:
        """Move samples to a split; a manual move is kept by later automatic splits."""
        _check_split(split)
        self._update("split", split, ids, f", split_manual = {1 if manual else 0}")

    def set_group(self, ids: Sequence[int], group: str | None) -> None:
        self._update("group_key", group, ids)

    def rename(self, sample_id: int, name: str) -> None:
        self._update("name", name, [sample_id])

    def delete(self, ids: Sequence[int]) -> None:
        with self.transaction():
            for sid in ids:
                self._conn.execute("DELETE FROM samples WHERE id = ?", (sid,))

    def replace_signal(self, sample_id: int, signal: np.ndarray) -> None:
        """Swap a sample's signal (crop); axis names and units stay."""
        info = self.sample_info(sample_id)
        arr = _check_signal(signal, info.axis_names, info.units)
        if arr.shape[0] == 0:
            raise UserError("a sample needs at least one frame")
        with self.transaction():
            self._conn.execute(
                "UPDATE samples SET frames = ?, dtype = ?, content_hash = ?, data = ? WHERE id = ?",
                (arr.shape[0], arr.dtype.name, content_hash(arr, info.rate_hz), arr.tobytes(), sample_id),
            )

    # -- live recordings -------------------------------------------------------------------------

    def start_recording(
        self,
        rate_hz: float,
        axis_names: Sequence[str],
        label: str | None,
        units: Sequence[str] | None = None,
        group: str | None = None,
        source: str = "device",
        name: str = "",
    ) -> RecordingWriter:
        """Begin a sample that is committed in chunks while it is captured."""
        return RecordingWriter(self, rate_hz, axis_names, label, units, group, source, name)

    def recover_recordings(self) -> list[int]:
        """Turn recordings interrupted by a crash into complete samples (or drop empty ones)."""
        ids = [r[0] for r in self._query("SELECT id FROM samples WHERE status = 'recording'")]
        recovered = []
        for sid in ids:
            if self._finalise(sid) is not None:
                recovered.append(sid)
        return recovered

    def _finalise(self, sample_id: int) -> int | None:
        with self.transaction():
            row = self._conn.execute(
                "SELECT dtype, axes, rate_hz FROM samples WHERE id = ?", (sample_id,)
            ).fetchone()
            chunks = self._conn.execute(
                "SELECT data FROM sample_chunks WHERE sample_id = ? ORDER BY seq", (sample_id,)
            ).fetchall()
            data = b"".join(c[0] for c in chunks)
            dtype, axes, rate = row
            arr = np.frombuffer(data, dtype=np.dtype(dtype).newbyteorder("<")).reshape(-1, axes)
            self._conn.execute("DELETE FROM sample_chunks WHERE sample_id = ?", (sample_id,))
            if arr.shape[0] == 0:
                self._conn.execute("DELETE FROM samples WHERE id = ?", (sample_id,))
                return None
            self._conn.execute(
                "UPDATE samples SET status = 'complete', frames = ?, content_hash = ?, data = ? WHERE id = ?",
                (arr.shape[0], content_hash(arr, rate), data, sample_id),
            )
        return sample_id

    # -- runs, variants, device results, settings ------------------------------------------------

    def add_run(
        self,
        kind: str,
        config: dict[str, Any],
        metrics: dict[str, Any],
        curves: dict[str, Any],
        model: bytes | None,
        name: str = "",
    ) -> int:
        with self.transaction():
            cur = self._conn.execute(
                "INSERT INTO runs (kind, name, created, config, metrics, curves, model)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (kind, name, time.time(), json.dumps(config), json.dumps(metrics), json.dumps(curves), model),
            )
            return int(cur.lastrowid or 0)

    def runs(self, kind: str | None = None) -> list[RunInfo]:
        sql = "SELECT id, kind, name, created, config, metrics FROM runs"
        rows = self._query(sql + (" WHERE kind = ?" if kind else "") + " ORDER BY id", (kind,) if kind else ())
        return [RunInfo(r[0], r[1], r[2], r[3], json.loads(r[4]), json.loads(r[5])) for r in rows]

    def run(self, run_id: int) -> Run:
        rows = self._query(
            "SELECT id, kind, name, created, config, metrics, curves, model FROM runs WHERE id = ?", (run_id,)
        )
        if not rows:
            raise UserError(f"no run with id {run_id}")
        r = rows[0]
        return Run(r[0], r[1], r[2], r[3], json.loads(r[4]), json.loads(r[5]), json.loads(r[6]), r[7])

    def delete_run(self, run_id: int) -> None:
        with self.transaction():
            self._conn.execute("DELETE FROM runs WHERE id = ?", (run_id,))

    def add_variant(
        self, run_id: int | None, name: str, tflite: bytes, config: dict[str, Any], metrics: dict[str, Any]
    ) -> int:
        with self.transaction():
            cur = self._conn.execute(
                "INSERT INTO variants (run_id, name, created, config, metrics, tflite) VALUES (?, ?, ?, ?, ?, ?)",
                (run_id, name, time.time(), json.dumps(config), json.dumps(metrics), tflite),
            )
            return int(cur.lastrowid or 0)

    def variants(self, run_id: int | None = None) -> list[dict[str, Any]]:
        sql = "SELECT id, run_id, name, created, config, metrics FROM variants"
        rows = self._query(sql + (" WHERE run_id = ?" if run_id else "") + " ORDER BY id", (run_id,) if run_id else ())
        keys = ("id", "run_id", "name", "created", "config", "metrics")
        return [
            {**dict(zip(keys, r, strict=True)), "config": json.loads(r[4]), "metrics": json.loads(r[5])}
            for r in rows
        ]

    def variant_tflite(self, variant_id: int) -> bytes:
        rows = self._query("SELECT tflite FROM variants WHERE id = ?", (variant_id,))
        if not rows:
            raise UserError(f"no model variant with id {variant_id}")
        return bytes(rows[0][0])

    def add_device_result(self, variant_id: int | None, target: str, results: dict[str, Any]) -> int:
        with self.transaction():
            cur = self._conn.execute(
                "INSERT INTO device_results (variant_id, target, created, results) VALUES (?, ?, ?, ?)",
                (variant_id, target, time.time(), json.dumps(results)),
            )
            return int(cur.lastrowid or 0)

    def device_results(self, variant_id: int | None = None) -> list[dict[str, Any]]:
        sql = "SELECT id, variant_id, target, created, results FROM device_results"
        rows = self._query(
            sql + (" WHERE variant_id = ?" if variant_id else "") + " ORDER BY id", (variant_id,) if variant_id else ()
        )
        return [
            {"id": r[0], "variant_id": r[1], "target": r[2], "created": r[3], "results": json.loads(r[4])}
            for r in rows
        ]

    def set_setting(self, key: str, value: Any) -> None:
        with self.transaction():
            self._conn.execute(
                "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (key, json.dumps(value)),
            )

    def get_setting(self, key: str, default: Any = None) -> Any:
        rows = self._query("SELECT value FROM settings WHERE key = ?", (key,))
        return json.loads(rows[0][0]) if rows else default


class RecordingWriter:
    """Appends frames to a sample under capture, committing each flush so a crash loses little."""

    def __init__(
        self,
        project: Project,
        rate_hz: float,
        axis_names: Sequence[str],
        label: str | None,
        units: Sequence[str] | None,
        group: str | None,
        source: str,
        name: str,
    ) -> None:
        rate_hz = canonical_rate(rate_hz)
        self._project = project
        self._axes = len(axis_names)
        self._pending: list[np.ndarray] = []
        self._seq = 0
        self.frames = 0
        self._done = False
        with project.transaction():
            cur = project._conn.execute(
                "INSERT INTO samples (name, label, split, group_key, frames, axes, rate_hz, axis_names, units,"
                " dtype, source, created, content_hash, status, data)"
                " VALUES (?, ?, NULL, ?, 0, ?, ?, ?, ?, 'float32', ?, ?, '', 'recording', x'')",
                (
                    name,
                    label,
                    group,
                    self._axes,
                    float(rate_hz),
                    json.dumps(list(axis_names)),
                    json.dumps(list(units) if units is not None else [""] * self._axes),
                    source,
                    time.time(),
                ),
            )
            self.sample_id = int(cur.lastrowid or 0)

    def append(self, frames: np.ndarray) -> None:
        """Buffer frames (n, axes); they reach the file at the next flush."""
        arr = np.asarray(frames, dtype="<f4")
        if arr.ndim == 1:
            arr = arr.reshape(1, -1)
        if arr.shape[1] != self._axes:
            raise UserError(f"recording has {self._axes} axes, got frames with {arr.shape[1]}")
        if arr.shape[0]:
            self._pending.append(np.ascontiguousarray(arr))

    def flush(self) -> None:
        """Commit everything buffered so far as one chunk."""
        if self._done or not self._pending:
            return
        block = np.concatenate(self._pending)
        self._pending = []
        with self._project.transaction():
            self._project._conn.execute(
                "INSERT INTO sample_chunks (sample_id, seq, frames, data) VALUES (?, ?, ?, ?)",
                (self.sample_id, self._seq, block.shape[0], block.tobytes()),
            )
        self._seq += 1
        self.frames += block.shape[0]

    def set_rate(self, rate_hz: float) -> None:
        """Record a refined rate estimate for this recording."""
        if rate_hz > 0 and np.isfinite(rate_hz):
            with self._project.transaction():
                self._project._conn.execute(
                    "UPDATE samples SET rate_hz = ? WHERE id = ?", (canonical_rate(rate_hz), self.sample_id)
                )

    def finish(self) -> int | None:
        """Flush and turn the chunks into one complete sample; None when nothing was captured."""
        if self._done:
            return self.sample_id
        self.flush()
        self._done = True
        return self._project._finalise(self.sample_id)

    def abort(self) -> None:
        """Throw the recording away."""
        self._done = True
        self._pending = []
        self._project.delete([self.sample_id])
