"""The project store: one SQLite file (WAL) holding samples, runs, model variants and device results.

Every change is a transaction, so a failed import or a crash leaves the project as it was; live
recordings are committed in chunks while they are captured, so a pulled cable loses at most the last
flush. One lock serialises access, so a capture thread can append while the GUI reads; other processes
may open the project meanwhile (a live recording's writer holds a lock file, so only recordings whose
writer is gone are finished on open). A file the user may not change opens read-only, for viewing.
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
from tinystudio.core.model_check import check_tflite
from tinystudio.core.writer_lock import WriterLock, take_over

SPLITS: tuple[str, ...] = ("train", "validation", "test")
_DTYPES = {"float32", "float64", "int8", "int16", "int32", "int64", "uint8", "uint16"}
PROJECT_SUFFIX = ".tsproj"
TFLITE_KIND = "tflite"
"""The kind of a variant holding an int8 .tflite; tree model variants carry their family instead."""
BUSY_TIMEOUT_S = 30.0
"""How long a change waits for another program that is writing to the project before giving up."""

# SQLite primary result codes that a user can cause (or must be told about) rather than a bug
_SQLITE_BUSY, _SQLITE_LOCKED, _SQLITE_READONLY, _SQLITE_IOERR, _SQLITE_CORRUPT = 5, 6, 8, 10, 11
_SQLITE_FULL, _SQLITE_CANTOPEN, _SQLITE_TOOBIG, _SQLITE_NOTADB = 13, 14, 18, 26

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


def _writable(path: Path) -> bool:
    """Writable for us and not marked read-only (the mode bits are honoured even for root)."""
    try:
        return os.access(path, os.W_OK) and bool(path.stat().st_mode & 0o222)
    except OSError:
        return False


def _sqlite_error(exc: sqlite3.Error, path: Path) -> UserError | None:
    """The one line to show for a database error the user can cause; None for a programming error."""
    code = (getattr(exc, "sqlite_errorcode", None) or 0) & 0xFF
    if code in (_SQLITE_BUSY, _SQLITE_LOCKED):
        return UserError(
            f"{path} is busy: another program has been writing to it for over {BUSY_TIMEOUT_S:g} s; "
            "try again when it has finished"
        )
    if code == _SQLITE_READONLY:
        return UserError(f"{path} is read-only: it can be viewed but not changed")
    if code in (_SQLITE_CORRUPT, _SQLITE_NOTADB):
        return UserError(f"{path} is damaged ({exc}); restore it from a backup (tinystudio restore BACKUP PROJECT)")
    if code == _SQLITE_FULL:
        return UserError(f"the disk holding {path} is full")
    if code == _SQLITE_TOOBIG:
        return UserError(f"too large to store in {path} in one piece ({exc}): record or import long recordings "
                         "in shorter parts")
    if code in (_SQLITE_IOERR, _SQLITE_CANTOPEN):
        return UserError(f"could not read or write {path} ({exc})")
    return None


def _names(path: Path) -> int:
    """How many names (hard links) the file has."""
    try:
        return max(1, path.stat().st_nlink)
    except OSError:
        return 1


def _check_is_database(path: Path) -> None:
    """Refuse a file that is not an SQLite database before SQLite may change anything in or beside it.

    Read through SQLite (immutable: no locks, no journal), never with a plain open: closing any other
    descriptor of the file drops the POSIX locks SQLite holds on it in this process, so another program
    closing the project would take itself for the last one and delete the write-ahead log while this
    process still commits into it (those commits are then lost).
    """
    if not os.access(path, os.R_OK):
        raise UserError(f"cannot read {path} (permission denied)")
    try:
        probe = sqlite3.connect(path.as_uri() + "?mode=ro&immutable=1", uri=True)
    except sqlite3.Error as exc:
        raise UserError(f"cannot read {path} ({exc})") from exc
    try:
        probe.execute("PRAGMA schema_version").fetchone()
    except sqlite3.Error as exc:
        code = (getattr(exc, "sqlite_errorcode", None) or 0) & 0xFF
        if code == _SQLITE_NOTADB:
            raise UserError(f"{path} is not a TinyStudio project") from None
        if code != _SQLITE_CORRUPT:  # damaged: opening it says so, with the way out
            raise UserError(f"cannot read {path} ({exc})") from exc
    finally:
        probe.close()


def _check_split(split: str | None) -> None:
    if split is not None and split not in SPLITS:
        raise UserError(f"unknown split {split!r}: use one of {', '.join(SPLITS)}")


class Project:
    """An open project file. Use ``Project.create`` or ``Project.open``; close it (or use ``with``)."""

    def __init__(self, path: Path, conn: sqlite3.Connection, read_only: bool = False) -> None:
        self.path = path
        self.read_only = read_only
        """True when the file or its folder may not be changed: the project opened for viewing only."""
        self.read_only_reason = f"{path} is read-only: it can be viewed but not changed"
        """The one line a change is refused with while ``read_only``."""
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
            conn.execute("PRAGMA journal_mode=WAL")
            schema.initialise(conn)
        except sqlite3.Error as exc:
            conn.close()
            p.unlink(missing_ok=True)
            raise _sqlite_error(exc, p) or UserError(f"could not create {p} ({exc})") from exc
        except BaseException:
            conn.close()
            p.unlink(missing_ok=True)
            raise
        return cls(p, conn)

    @classmethod
    def open(cls, path: str | os.PathLike[str]) -> Project:
        """Open an existing project, upgrading an older schema and finishing interrupted recordings.

        Nothing in the file is changed before it is known to be ours. A file (or folder) the user may
        not change opens read-only: everything can be viewed, every change says it is read-only.
        """
        p = Path(path).absolute()
        if p.is_symlink():
            # the project is the file the link names: SQLite keeps its journal beside that file, and so must
            # the cache with the locks of recordings in progress, or a program opening the project by its
            # own name would not see them and would finish a recording that is still being captured
            p = Path(os.path.realpath(p))  # a loop of links stays a path that is no file
        if not p.is_file():
            raise UserError(f"no project at {p}")
        _check_is_database(p)
        read_only = not (_writable(p) and _writable(p.parent))
        names = _names(p)
        # SQLite names its write-ahead log after the path: through two hard links two programs would each
        # keep their own log of one file, and one's changes would be lost (or the file damaged). Viewing
        # through a second name is safe; changing is not.
        conn = cls._connect(p, read_only)
        try:
            schema.check_and_migrate(conn, str(p), read_only=read_only or names > 1)
            if not read_only and names == 1:
                conn.execute("PRAGMA journal_mode=WAL")
        except sqlite3.Error as exc:
            conn.close()
            raise _sqlite_error(exc, p) or UserError(f"{p} is not a readable TinyStudio project ({exc})") from exc
        except BaseException:
            conn.close()
            raise
        project = cls(p, conn, read_only or names > 1)
        if names > 1 and not read_only:
            project.read_only_reason = (
                f"{p} has {names} names (hard links), and SQLite keeps a separate log for each name, so changes "
                "made through two names would be lost: it opens read-only; copy it to a new file, or delete its other "
                "name, to change it")
        try:
            project.recover_recordings()
        except BaseException:
            project.close()
            raise
        return project

    def snapshot(self, path: str | os.PathLike[str]) -> Project:
        """A consistent copy of the project in a new file, opened: work on it (another split, say) leaves
        this project untouched. Uses SQLite's backup, so a recording in progress does not tear the copy."""
        target = Path(path).absolute()
        if target.exists():
            raise UserError(f"{target} already exists")
        dest = sqlite3.connect(target)
        try:
            self.copy_into(dest)
        except BaseException:
            dest.close()
            target.unlink(missing_ok=True)
            raise
        dest.close()
        return Project.open(target)

    def copy_into(self, dest: sqlite3.Connection) -> None:
        """Write this project's pages into another database connection (SQLite's backup: consistent even
        while a recording appends)."""
        try:
            with self._lock:
                self._conn.backup(dest)
        except sqlite3.Error as exc:
            raise self._error(exc) or UserError(f"could not copy {self.path} ({exc})") from exc

    @staticmethod
    def _connect(p: Path, read_only: bool = False) -> sqlite3.Connection:
        """Connect without changing the file: the journal mode is only set once the file is known to be ours."""

        def connect(target: str | Path, uri: bool = False) -> sqlite3.Connection:
            conn = sqlite3.connect(
                target, isolation_level=None, check_same_thread=False, timeout=BUSY_TIMEOUT_S, uri=uri
            )
            try:
                conn.execute("PRAGMA application_id").fetchone()  # make SQLite really open the file now
                conn.execute("PRAGMA synchronous=NORMAL")
                conn.execute("PRAGMA foreign_keys=ON")
            except BaseException:
                conn.close()
                raise
            return conn

        try:
            if not read_only:
                return connect(p)
            try:
                return connect(p.as_uri() + "?mode=ro", uri=True)
            except sqlite3.OperationalError:
                # a read-only folder cannot hold the WAL index: read the file as it is on disk
                return connect(p.as_uri() + "?mode=ro&immutable=1", uri=True)
        except sqlite3.Error as exc:
            raise _sqlite_error(exc, p) or UserError(f"{p} is not a TinyStudio project ({exc})") from exc

    def _error(self, exc: sqlite3.Error) -> UserError | None:
        return _sqlite_error(exc, self.path)

    def _json(self, text: str, what: str) -> Any:
        """Parse JSON stored in the file; damaged or absurdly nested text is one clear line, not a crash."""
        try:
            return json.loads(text)
        except (ValueError, TypeError, RecursionError) as exc:
            kind = "is nested too deeply" if isinstance(exc, RecursionError) else "is not valid JSON"
            raise UserError(f"{self.path} is damaged: its {what} {kind}") from None

    @staticmethod
    def _dumps(value: Any, what: str) -> str:
        try:
            return json.dumps(value)
        except (ValueError, TypeError, RecursionError) as exc:
            raise UserError(f"cannot store {what}: {type(exc).__name__}") from None

    @property
    def cache_dir(self) -> Path:
        """Folder beside the project for build outputs and reports; never needed to reopen the project."""
        path = self.path.with_name(self.path.name + "-cache")
        try:
            path.mkdir(exist_ok=True)
        except OSError as exc:
            raise UserError(f"cannot create the folder {path} ({exc.strerror or exc})") from exc
        return path

    def _recording_lock(self, sample_id: int) -> Path:
        """The lock file a recording's writer holds while it records (in the cache folder)."""
        return self.path.with_name(self.path.name + "-cache") / "recordings" / f"sample-{sample_id}.lock"

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
                if self.read_only:
                    raise UserError(self.read_only_reason)
                try:
                    self._conn.execute("BEGIN IMMEDIATE")
                except sqlite3.Error as exc:
                    err = self._error(exc)
                    if err is None:
                        raise
                    raise err from exc
            self._depth += 1
            try:
                yield
                if self._depth == 1:
                    self._conn.execute("COMMIT")
            except BaseException as exc:
                self._depth -= 1
                if self._depth == 0 and self._conn.in_transaction:
                    try:
                        self._conn.execute("ROLLBACK")
                    except sqlite3.Error:
                        pass  # SQLite already rolled back (a damaged or full disk)
                if isinstance(exc, sqlite3.Error) and (err := self._error(exc)) is not None:
                    raise err from exc
                raise
            self._depth -= 1

    def _query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        with self._lock:
            try:
                return self._conn.execute(sql, params).fetchall()
            except sqlite3.Error as exc:
                err = self._error(exc)
                if err is None:
                    raise
                raise err from exc

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
        limit = self._conn.getlimit(sqlite3.SQLITE_LIMIT_LENGTH)
        if nbytes > limit:  # SQLite refuses a longer blob: say so before reading anything
            raise UserError(
                f"{name or 'the recording'} holds {nbytes / 1e6:,.0f} MB of signal, more than one sample can hold "
                f"({limit / 1e6:,.0f} MB): cut it into shorter recordings of at most "
                f"{limit // (axes * np_dtype.itemsize) / rate_hz / 3600:.3g} h")

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

    def _info(self, row: Sequence[Any]) -> SampleInfo:
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
            axis_names=tuple(self._json(row[9], f"axis names of sample {row[0]}")),
            units=tuple(self._json(row[10], f"units of sample {row[0]}")),
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
        """The signal as a (frames, axes) array in its stored dtype.

        The bytes are checked against the sample's content hash: a truncated or overwritten project file
        reads back as zeros or noise without any error from SQLite, and such a signal must never reach a
        plot, an export or training as if it were the recording.
        """
        rows = self._query(
            "SELECT dtype, frames, axes, rate_hz, content_hash, name, data FROM samples WHERE id = ?", (sample_id,)
        )
        if not rows:
            raise UserError(f"no sample with id {sample_id}")
        dtype, frames, axes, rate, digest, name, data = rows[0]
        if digest:  # a recording still being captured has no hash yet
            check = _hasher(np.dtype(dtype), (frames, axes), float(rate))
            check.update(data)
            if check.hexdigest() != digest:
                raise UserError(
                    f"{self.path} is damaged: the signal of sample {sample_id} ({name or 'unnamed'}) does not "
                    "match its checksum; restore the project from a backup, or delete that sample"
                )
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

    def recordings_in_progress(self) -> int:
        """Recordings still being written (by this or another process); they become samples when saved."""
        return int(self._query("SELECT COUNT(*) FROM samples WHERE status = 'recording'")[0][0])

    def recover_recordings(self) -> list[int]:
        """Turn recordings whose writer is gone (crashed, killed) into complete samples, or drop empty ones.

        A recording that another process (or another part of this one) is still writing holds its lock
        file and is left alone. If the project is read-only or busy, recovery waits for a later open.
        """
        if self.read_only:
            return []
        ids = [r[0] for r in self._query("SELECT id FROM samples WHERE status = 'recording'")]
        recovered = []
        for sid in ids:
            lock = take_over(self._recording_lock(sid))
            if lock is None:
                continue  # still being recorded
            try:
                if self._finalise(sid) is not None:
                    recovered.append(sid)
            except UserError:
                continue  # busy or read-only right now: the next open tries again
            finally:
                lock.release()
        return recovered

    def _finalise(self, sample_id: int) -> int | None:
        """Join a recording's chunks into its sample; None when nothing was captured (the row goes)."""
        with self.transaction():
            row = self._conn.execute(
                "SELECT dtype, axes, rate_hz, status FROM samples WHERE id = ?", (sample_id,)
            ).fetchone()
            if row is None or row[3] != "recording":
                return None  # finished meanwhile by someone else
            chunks = self._conn.execute(
                "SELECT data FROM sample_chunks WHERE sample_id = ? ORDER BY seq", (sample_id,)
            ).fetchall()
            data = b"".join(c[0] for c in chunks)
            dtype, axes, rate, _ = row
            frame_bytes = np.dtype(dtype).itemsize * axes
            data = data[: len(data) // frame_bytes * frame_bytes]  # a torn last frame is not a frame
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
                (kind, name, time.time(), self._dumps(config, "the run's settings"),
                 self._dumps(metrics, "the run's results"), self._dumps(curves, "the run's curves"), model),
            )
            return int(cur.lastrowid or 0)

    def runs(self, kind: str | None = None) -> list[RunInfo]:
        sql = "SELECT id, kind, name, created, config, metrics FROM runs"
        rows = self._query(sql + (" WHERE kind = ?" if kind else "") + " ORDER BY id", (kind,) if kind else ())
        return [
            RunInfo(r[0], r[1], r[2], r[3], self._json(r[4], f"run {r[0]}'s settings"),
                    self._json(r[5], f"run {r[0]}'s results"))
            for r in rows
        ]

    def run(self, run_id: int) -> Run:
        rows = self._query(
            "SELECT id, kind, name, created, config, metrics, curves, model FROM runs WHERE id = ?", (run_id,)
        )
        if not rows:
            raise UserError(f"no run with id {run_id}")
        r = rows[0]
        return Run(
            r[0], r[1], r[2], r[3], self._json(r[4], f"run {r[0]}'s settings"),
            self._json(r[5], f"run {r[0]}'s results"), self._json(r[6], f"run {r[0]}'s curves"), r[7],
        )

    def delete_run(self, run_id: int) -> None:
        with self.transaction():
            self._conn.execute("DELETE FROM runs WHERE id = ?", (run_id,))

    def add_variant(
        self, run_id: int | None, name: str, tflite: bytes, config: dict[str, Any], metrics: dict[str, Any]
    ) -> int:
        check_tflite(tflite)
        with self.transaction():
            cur = self._conn.execute(
                "INSERT INTO variants (run_id, name, created, config, metrics, tflite) VALUES (?, ?, ?, ?, ?, ?)",
                (run_id, name, time.time(), self._dumps(config, "the variant's settings"),
                 self._dumps(metrics, "the variant's results"), tflite),
            )
            return int(cur.lastrowid or 0)

    def add_tree_variant(
        self, run_id: int | None, name: str, kind: str, model_json: str, config: dict[str, Any],
        metrics: dict[str, Any],
    ) -> int:
        """Store a tree model variant (``kind`` 'rf' or 'gbt') as its JSON description."""
        if kind == TFLITE_KIND:
            raise UserError("a tree model variant needs its family, not 'tflite'")
        with self.transaction():
            cur = self._conn.execute(
                "INSERT INTO variants (run_id, name, created, config, metrics, tflite, kind, model_json)"
                " VALUES (?, ?, ?, ?, ?, x'', ?, ?)",
                (run_id, name, time.time(), self._dumps(config, "the variant's settings"),
                 self._dumps(metrics, "the variant's results"), kind, model_json),
            )
            return int(cur.lastrowid or 0)

    def variant_kind(self, variant_id: int) -> str:
        """'tflite' for an int8 network, else the tree family ('rf', 'gbt')."""
        rows = self._query("SELECT kind FROM variants WHERE id = ?", (variant_id,))
        if not rows:
            raise UserError(f"no model variant with id {variant_id}")
        return str(rows[0][0])

    def variant_model_json(self, variant_id: int) -> str:
        """The JSON description of a tree model variant."""
        rows = self._query("SELECT kind, model_json FROM variants WHERE id = ?", (variant_id,))
        if not rows:
            raise UserError(f"no model variant with id {variant_id}")
        if rows[0][0] == TFLITE_KIND or rows[0][1] is None:
            raise UserError(f"model variant {variant_id} is an int8 network, not a tree model")
        return str(rows[0][1])

    def variants(self, run_id: int | None = None) -> list[dict[str, Any]]:
        sql = "SELECT id, run_id, name, created, config, metrics, kind FROM variants"
        rows = self._query(sql + (" WHERE run_id = ?" if run_id else "") + " ORDER BY id", (run_id,) if run_id else ())
        keys = ("id", "run_id", "name", "created", "config", "metrics", "kind")
        return [
            {
                **dict(zip(keys, r, strict=True)),
                "config": self._json(r[4], f"model variant {r[0]}'s settings"),
                "metrics": self._json(r[5], f"model variant {r[0]}'s results"),
            }
            for r in rows
        ]

    def variant_tflite(self, variant_id: int) -> bytes:
        rows = self._query("SELECT tflite, kind FROM variants WHERE id = ?", (variant_id,))
        if not rows:
            raise UserError(f"no model variant with id {variant_id}")
        if rows[0][1] != TFLITE_KIND:
            raise UserError(f"model variant {variant_id} is a tree model ({rows[0][1]}), not an int8 .tflite")
        return bytes(rows[0][0])

    def add_device_result(self, variant_id: int | None, target: str, results: dict[str, Any]) -> int:
        with self.transaction():
            cur = self._conn.execute(
                "INSERT INTO device_results (variant_id, target, created, results) VALUES (?, ?, ?, ?)",
                (variant_id, target, time.time(), self._dumps(results, "the device results")),
            )
            return int(cur.lastrowid or 0)

    def device_results(self, variant_id: int | None = None) -> list[dict[str, Any]]:
        sql = "SELECT id, variant_id, target, created, results FROM device_results"
        rows = self._query(
            sql + (" WHERE variant_id = ?" if variant_id else "") + " ORDER BY id", (variant_id,) if variant_id else ()
        )
        return [
            {
                "id": r[0], "variant_id": r[1], "target": r[2], "created": r[3],
                "results": self._json(r[4], f"device result {r[0]}"),
            }
            for r in rows
        ]

    def delete_device_result(self, result_id: int) -> None:
        with self.transaction():
            self._conn.execute("DELETE FROM device_results WHERE id = ?", (result_id,))

    def set_setting(self, key: str, value: Any) -> None:
        with self.transaction():
            self._conn.execute(
                "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (key, self._dumps(value, f"setting {key!r}")),
            )

    def get_setting(self, key: str, default: Any = None) -> Any:
        rows = self._query("SELECT value FROM settings WHERE key = ?", (key,))
        return self._json(rows[0][0], f"setting {key!r}") if rows else default


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
        self._writer_lock: WriterLock | None = None
        self._part_frames = 0
        self.parts: list[int] = []
        """Samples already finished from this recording's earlier parts (a recording past 1 GB is cut)."""
        self._row = (
            name, label, group, self._axes, float(rate_hz), json.dumps(list(axis_names)),
            json.dumps(list(units) if units is not None else [""] * self._axes), source,
        )
        with project.transaction():
            self._begin()

    def _begin(self) -> None:
        """Insert the recording's row and lock it (inside a transaction)."""
        project = self._project
        cur = project._conn.execute(
            "INSERT INTO samples (name, label, split, group_key, frames, axes, rate_hz, axis_names, units,"
            " dtype, source, created, content_hash, status, data)"
            " VALUES (?, ?, NULL, ?, 0, ?, ?, ?, ?, 'float32', ?, ?, '', 'recording', x'')",
            (*self._row, time.time()),
        )
        self.sample_id = int(cur.lastrowid or 0)
        self._seq = 0
        self._part_frames = 0
        # taken before the row is committed, so no other process ever sees this recording unlocked
        try:
            self._writer_lock = WriterLock.acquire(project._recording_lock(self.sample_id))
        except OSError as exc:
            raise UserError(f"cannot record into {project.path}: {exc.strerror or exc}") from exc

    def _still_ours(self) -> bool:
        row = self._project._conn.execute("SELECT status FROM samples WHERE id = ?", (self.sample_id,)).fetchone()
        return row is not None and row[0] == "recording"

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
            if not self._still_ours():
                # another program finished this recording as if its writer were gone (its lock file was
                # deleted with the cache folder, or the project was opened under another name): what comes
                # next is kept as a new sample instead of being written after a finished one and lost
                self._release()
                self._begin()
            elif self._part_frames and (self._part_frames + block.shape[0]) * 4 * self._axes > self._max_bytes():
                # one sample holds at most SQLite's largest value (1 GB, hours of audio): this part is
                # finished as a sample and the recording goes on in the next, so none is too big to finish
                self._project._finalise(self.sample_id)
                self.parts.append(self.sample_id)
                self._release()
                self._begin()
            self._project._conn.execute(
                "INSERT INTO sample_chunks (sample_id, seq, frames, data) VALUES (?, ?, ?, ?)",
                (self.sample_id, self._seq, block.shape[0], block.tobytes()),
            )
        self._seq += 1
        self.frames += block.shape[0]
        self._part_frames += block.shape[0]

    def _max_bytes(self) -> int:
        return int(self._project._conn.getlimit(sqlite3.SQLITE_LIMIT_LENGTH))

    def set_rate(self, rate_hz: float) -> None:
        """Record a refined rate estimate for this recording."""
        if rate_hz > 0 and np.isfinite(rate_hz):
            rate = canonical_rate(rate_hz)
            self._row = (*self._row[:4], rate, *self._row[5:])
            with self._project.transaction():
                self._project._conn.execute(  # never a finished sample's: its content hash covers the rate
                    "UPDATE samples SET rate_hz = ? WHERE id = ? AND status = 'recording'", (rate, self.sample_id)
                )

    def finish(self) -> int | None:
        """Flush and turn the chunks into one complete sample; None when nothing was captured."""
        if self._done:
            return self.sample_id
        try:
            self.flush()
            return self._project._finalise(self.sample_id)
        finally:
            self._done = True
            self._release()  # even after a failure: the next open then recovers what was committed

    def abort(self) -> None:
        """Throw the recording away."""
        self._done = True
        self._pending = []
        try:
            self._project.delete([self.sample_id])
        finally:
            self._release()

    def _release(self) -> None:
        if self._writer_lock is not None:
            self._writer_lock.release()
            self._writer_lock = None
