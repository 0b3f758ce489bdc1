"""The project file's SQLite schema and its migrations, one numbered step per schema version.

A project file says which schema it has (``PRAGMA user_version``) and carries our application id, so a
foreign SQLite file or one written by a newer TinyStudio is refused instead of being damaged.
"""

from __future__ import annotations

import sqlite3

from tinystudio.core.errors import UserError

APPLICATION_ID = 0x54535450  # "TSTP"
SCHEMA_VERSION = 2

_V1 = """
CREATE TABLE samples (
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL DEFAULT '',
    label         TEXT,
    split         TEXT CHECK (split IN ('train', 'validation', 'test')),
    split_manual  INTEGER NOT NULL DEFAULT 0,
    group_key     TEXT,
    frames        INTEGER NOT NULL,
    axes          INTEGER NOT NULL,
    rate_hz       REAL NOT NULL,
    axis_names    TEXT NOT NULL,
    units         TEXT NOT NULL,
    dtype         TEXT NOT NULL,
    source        TEXT NOT NULL,
    created       REAL NOT NULL,
    content_hash  TEXT NOT NULL,
    status        TEXT NOT NULL DEFAULT 'complete' CHECK (status IN ('complete', 'recording')),
    data          BLOB NOT NULL
);
CREATE INDEX samples_label ON samples(label);
CREATE INDEX samples_split ON samples(split);
CREATE TABLE sample_chunks (
    sample_id INTEGER NOT NULL REFERENCES samples(id) ON DELETE CASCADE,
    seq       INTEGER NOT NULL,
    frames    INTEGER NOT NULL,
    data      BLOB NOT NULL,
    PRIMARY KEY (sample_id, seq)
);
CREATE TABLE runs (
    id       INTEGER PRIMARY KEY,
    kind     TEXT NOT NULL,
    name     TEXT NOT NULL DEFAULT '',
    created  REAL NOT NULL,
    config   TEXT NOT NULL,
    metrics  TEXT NOT NULL,
    curves   TEXT NOT NULL,
    model    BLOB
);
CREATE TABLE variants (
    id       INTEGER PRIMARY KEY,
    run_id   INTEGER REFERENCES runs(id) ON DELETE CASCADE,
    name     TEXT NOT NULL,
    created  REAL NOT NULL,
    config   TEXT NOT NULL,
    metrics  TEXT NOT NULL,
    tflite   BLOB NOT NULL
);
CREATE TABLE device_results (
    id          INTEGER PRIMARY KEY,
    variant_id  INTEGER REFERENCES variants(id) ON DELETE CASCADE,
    target      TEXT NOT NULL,
    created     REAL NOT NULL,
    results     TEXT NOT NULL
);
CREATE TABLE settings (
    key    TEXT PRIMARY KEY,
    value  TEXT NOT NULL
);
"""

# Version 2: a variant is an int8 .tflite (kind 'tflite') or a tree model ('rf', 'gbt') whose JSON
# description is in model_json (its tflite column is then empty).
_V2 = """
ALTER TABLE variants ADD COLUMN kind TEXT NOT NULL DEFAULT 'tflite';
ALTER TABLE variants ADD COLUMN model_json TEXT
"""

# Index i holds the script that takes a file from version i to version i + 1.
MIGRATIONS: list[str] = [_V1, _V2]


def initialise(conn: sqlite3.Connection) -> None:
    """Stamp a brand-new file as a TinyStudio project and bring it to the current schema."""
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    migrate(conn)


def check_and_migrate(conn: sqlite3.Connection, path: str, read_only: bool = False) -> None:
    """Refuse foreign or newer files (reading only, so a refused file is left exactly as it was);
    upgrade older ones in one transaction."""
    app_id = conn.execute("PRAGMA application_id").fetchone()[0]
    if app_id != APPLICATION_ID:
        raise UserError(f"{path} is not a TinyStudio project")
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        raise UserError(
            f"{path} was written by a newer TinyStudio (schema {version}, this version reads up to "
            f"{SCHEMA_VERSION}); update TinyStudio to open it"
        )
    if version < SCHEMA_VERSION:
        if read_only:
            raise UserError(
                f"{path} was written by an older TinyStudio and is read-only: make it writable so it can be upgraded"
            )
        migrate(conn)


def migrate(conn: sqlite3.Connection) -> None:
    """Apply every missing migration step atomically."""
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    conn.execute("BEGIN IMMEDIATE")
    try:
        for step in range(version, SCHEMA_VERSION):
            for statement in MIGRATIONS[step].split(";"):
                if statement.strip():
                    conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {step + 1}")
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
