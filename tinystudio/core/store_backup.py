"""Backing a project up into one self-contained file, and restoring such a file over a project.

Copying a backup over a project by hand leaves the project's write-ahead log (its ``-wal`` file) beside
it, and SQLite replays that log onto the copied file when it is next opened: the restore silently takes
back the newer changes, or the file is damaged. A restore here writes the backup's pages into the project
through SQLite's backup API as one transaction, holding SQLite's exclusive lock on the file (so it refuses
while any other program has the project open, whatever name or link it used), after folding the
project's own log in and removing it: what is on disk afterwards is the backup exactly.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Callable
from pathlib import Path

from tinystudio.core import schema
from tinystudio.core.errors import UserError
from tinystudio.core.store import Project, _check_is_database, _sqlite_error

_HEADER = b"SQLite format 3\x00"
_BUSY = (5, 6)  # SQLITE_BUSY, SQLITE_LOCKED
_DAMAGED = (11, 26)  # SQLITE_CORRUPT, SQLITE_NOTADB


def _code(exc: sqlite3.Error) -> int:
    return (getattr(exc, "sqlite_errorcode", None) or 0) & 0xFF


def _head(path: Path) -> bytes:
    try:
        with open(path, "rb") as fh:
            return fh.read(16)
    except OSError as exc:
        raise UserError(f"cannot read {path} ({exc.strerror or exc})") from exc


def _write_whole(path: Path, fill: Callable[[sqlite3.Connection], object]) -> None:
    """A new database at ``path`` filled by ``fill`` and left as one file (no -wal needed to be whole)."""
    out = sqlite3.connect(path, isolation_level=None)
    try:
        fill(out)
        out.execute("PRAGMA journal_mode=DELETE")
    finally:
        out.close()


def backup(project: Project, dest: str | os.PathLike[str]) -> int:
    """Write a consistent copy of ``project`` to the new file ``dest`` (no log beside it, so copying it
    anywhere keeps it whole); returns how many samples it holds. A recording in progress is copied as
    far as it was saved, and is finished when the copy is opened."""
    target = Path(dest).absolute()
    if target.exists() or target.is_symlink():
        raise UserError(f"{target} already exists: choose a new file name for the backup")
    if not target.parent.is_dir():
        raise UserError(f"folder {target.parent} does not exist")
    part = target.with_name(target.name + ".part")
    part.unlink(missing_ok=True)
    try:
        _write_whole(part, project.copy_into)
        os.replace(part, target)  # never a half-written backup under the name asked for
    except sqlite3.Error as exc:
        part.unlink(missing_ok=True)
        raise _sqlite_error(exc, target) or UserError(f"could not write {target} ({exc})") from exc
    except OSError as exc:
        part.unlink(missing_ok=True)
        raise UserError(f"could not write {target} ({exc.strerror or exc})") from exc
    return len(project.samples())


def _open_backup(path: Path) -> sqlite3.Connection:
    """The backup, read only and checked: a TinyStudio project this version can read, and not damaged."""
    if not path.is_file():
        raise UserError(f"no backup at {path}")
    if _head(path) != _HEADER:
        raise UserError(f"{path} is not a TinyStudio project, so it cannot be restored")
    try:
        conn = sqlite3.connect(path.as_uri() + "?mode=ro", uri=True, isolation_level=None)
    except sqlite3.Error as exc:
        raise UserError(f"cannot read the backup {path} ({exc})") from exc
    try:
        if conn.execute("PRAGMA application_id").fetchone()[0] != schema.APPLICATION_ID:
            raise UserError(f"{path} is not a TinyStudio project, so it cannot be restored")
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version > schema.SCHEMA_VERSION:
            raise UserError(f"{path} was written by a newer TinyStudio (schema {version}); update TinyStudio "
                            "to restore it")
        check = conn.execute("PRAGMA quick_check").fetchone()[0]
        if check != "ok":
            raise UserError(f"the backup {path} is damaged ({check}); choose another backup")
    except sqlite3.Error as exc:
        conn.close()
        raise UserError(f"the backup {path} is damaged ({exc}); choose another backup") from exc
    except BaseException:
        conn.close()
        raise
    return conn


def _kind(path: Path) -> str:
    """'database' for a file SQLite reads, 'unreadable' for a damaged one that still starts as a database
    does, else 'other'. SQLite looks first: a plain open and close of a file this process has open through
    SQLite would drop SQLite's locks on it; only a file SQLite does not take for a database is opened so."""
    if not path.is_file():
        return "other"
    try:
        _check_is_database(path)
    except UserError:
        return "unreadable" if _head(path) == _HEADER else "other"
    return "database"


def _into_existing(source: sqlite3.Connection, project: Path) -> bool:
    """Restore over a readable project under SQLite's exclusive lock; False when SQLite finds the project
    too damaged to lock that way."""
    conn = sqlite3.connect(project, isolation_level=None, timeout=0.2)
    try:
        conn.execute("PRAGMA locking_mode=EXCLUSIVE")  # held from the first write until closed
        conn.execute("BEGIN EXCLUSIVE")  # replays the project's own log first: it is this file's
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        conn.execute("COMMIT")
        if app_id != schema.APPLICATION_ID:
            raise UserError(f"{project} is not a TinyStudio project: restore to a new file name instead")
        # the project's own log folded in and gone first; the copy then goes through a rollback journal, which
        # (unlike the log) takes a backup of another page size too, and is rolled back whole after a crash
        conn.execute("PRAGMA journal_mode=DELETE")
        source.backup(conn)
    except sqlite3.Error as exc:
        if _code(exc) in _BUSY:
            raise UserError(f"{project} is open in another program: close it there, then restore") from None
        if _code(exc) in _DAMAGED:
            return False
        raise _sqlite_error(exc, project) or UserError(f"could not restore {project} ({exc})") from exc
    finally:
        conn.close()  # the last connection: SQLite folds what is left of the log in and removes it
    return True


def _replace(source: sqlite3.Connection, project: Path) -> None:
    """Write the backup to a new file beside ``project`` and put it in its place, the old log gone first:
    for a project missing or too damaged for SQLite to open."""
    part = project.with_name(project.name + ".restoring")
    part.unlink(missing_ok=True)
    try:
        _write_whole(part, source.backup)
        if project.exists():
            os.chmod(part, project.stat().st_mode & 0o777)
        for suffix in ("-wal", "-shm", "-journal"):  # a log left beside the new file would be replayed onto it
            Path(str(project) + suffix).unlink(missing_ok=True)
        os.replace(part, project)
    except sqlite3.Error as exc:
        raise _sqlite_error(exc, project) or UserError(f"could not restore {project} ({exc})") from exc
    except OSError as exc:
        raise UserError(f"could not restore {project} ({exc.strerror or exc})") from exc
    finally:
        with contextlib.suppress(OSError):
            part.unlink(missing_ok=True)


def restore(backup_path: str | os.PathLike[str], project_path: str | os.PathLike[str]) -> int:
    """Make the project exactly the backup (see the module docstring); returns how many samples it holds.

    Refuses, in one line and changing nothing, while another program has the project open, when the
    backup is not a readable TinyStudio project, and when the file at ``project_path`` is some other file.
    """
    source_path = Path(backup_path).absolute()
    target = Path(os.path.realpath(Path(project_path).absolute()))  # a link: restore the file it names
    source = _open_backup(source_path)
    try:
        if target.exists():
            if os.path.samefile(source_path, target):
                raise UserError(f"{source_path} is the project itself: choose a backup file")
            kind = _kind(target)
            if kind == "other":
                raise UserError(f"{target} is not a TinyStudio project: restore to a new file name instead")
            if kind == "unreadable" or not _into_existing(source, target):
                _replace(source, target)  # damaged beyond SQLite's reach: nothing in it to keep
        else:
            if not target.parent.is_dir():
                raise UserError(f"folder {target.parent} does not exist")
            _replace(source, target)
        count = source.execute("SELECT COUNT(*) FROM samples WHERE status != 'recording'").fetchone()[0]
    finally:
        source.close()
    return int(count)
