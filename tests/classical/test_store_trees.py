"""Tree model variants in the project file: schema 2 adds the variant's kind, an older file is upgraded
in place (its variants are int8 .tflite ones), and a tree variant keeps its JSON description."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tinystudio.core import schema
from tinystudio.core.errors import UserError
from tinystudio.core.store import Project


def test_a_schema_1_file_is_upgraded_and_keeps_its_variants(tmp_path: Path) -> None:
    path = tmp_path / "old.tsproj"
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA application_id = {schema.APPLICATION_ID}")
    for statement in schema.MIGRATIONS[0].split(";"):
        if statement.strip():
            conn.execute(statement)
    conn.execute("PRAGMA user_version = 1")
    conn.execute("INSERT INTO variants (run_id, name, created, config, metrics, tflite) "
                 "VALUES (NULL, 'old', 0, '{}', '{}', x'0102')")
    conn.commit()
    conn.close()
    with Project.open(path) as project:
        (variant,) = project.variants()
        assert variant["kind"] == "tflite" and variant["name"] == "old"
        assert project.variant_tflite(variant["id"]) == b"\x01\x02"
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == schema.SCHEMA_VERSION == 2
    conn.close()


def test_tree_variant_round_trip(tmp_path: Path) -> None:
    with Project.create(tmp_path / "p.tsproj") as project:
        vid = project.add_tree_variant(None, "forest", "rf", '{"format": 1}', {"method": "rf"}, {"flash_bytes": 10})
        assert project.variant_kind(vid) == "rf"
        assert project.variant_model_json(vid) == '{"format": 1}'
        assert project.variants()[0]["kind"] == "rf"
        with pytest.raises(UserError, match="is a tree model"):
            project.variant_tflite(vid)
        with pytest.raises(UserError, match="no model variant"):
            project.variant_kind(vid + 1)
