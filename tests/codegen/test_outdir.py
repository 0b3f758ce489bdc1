"""`tinystudio codegen --out DIR` writes only into a folder it owns: never a user's file touched."""

from __future__ import annotations

from pathlib import Path

import pytest

from tinystudio.cli.main import main
from tinystudio.core.codegen import generate
from tinystudio.core.codegen.outdir import MANIFEST
from tinystudio.core.errors import UserError


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def _user_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "model.c").write_text("/* my own model, hand tuned */\nint my_model(void) { return 42; }\n")
    (folder / "notes.txt").write_text("field notes\n")
    (folder / "ts_conv_s8.c").write_text("/* my own convolution */\n")
    (folder / "tsk_conv.h").write_text("/* kept from an old project */\n")
    return folder


def test_foreign_folder_is_refused_and_left_byte_identical(suite_model, tmp_path, capsys):
    folder = _user_folder(tmp_path)
    before = _snapshot(folder)
    with pytest.raises(UserError, match="not empty and was not written by tinystudio codegen"):
        generate(suite_model("ds_cnn_kws"), folder)
    assert _snapshot(folder) == before
    model = tmp_path / "m.tflite"
    model.write_bytes(suite_model("ds_cnn_kws"))
    assert main(["codegen", str(model), "--out", str(folder)]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("tinystudio: error:") and "\n" not in err and str(folder) in err
    assert _snapshot(folder) == before


def test_empty_and_new_folders_are_written_with_a_manifest(suite_model, tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    for folder in (empty, tmp_path / "new" / "deeper"):
        report = generate(suite_model("motion_cnn_1d"), folder)
        listed = [ln for ln in (folder / MANIFEST).read_text().splitlines() if not ln.startswith("#")]
        assert listed == report.files
        assert {p.name for p in folder.iterdir()} == {*report.files, MANIFEST}


def test_rerun_replaces_only_its_own_files(suite_model, tmp_path):
    folder = tmp_path / "gen"
    first = generate(suite_model("ds_cnn_kws"), folder)
    (folder / "notes.txt").write_text("mine\n")
    (folder / first.files[0]).unlink()  # a file of ours the user removed is no problem
    second = generate(suite_model("relu"), folder)
    gone = set(first.files) - set(second.files)
    assert "ts_conv_s8.c" in gone
    assert not any((folder / name).exists() for name in gone)
    assert (folder / "notes.txt").read_text() == "mine\n"
    assert {p.name for p in folder.iterdir()} == {*second.files, MANIFEST, "notes.txt"}
    listed = [ln for ln in (folder / MANIFEST).read_text().splitlines() if not ln.startswith("#")]
    assert listed == second.files


def test_a_users_file_in_our_folder_is_never_overwritten(suite_model, tmp_path):
    folder = tmp_path / "gen"
    generate(suite_model("relu"), folder)
    (folder / "ts_conv_s8.c").write_text("/* mine */\n")
    before = _snapshot(folder)
    with pytest.raises(UserError, match="ts_conv_s8.c was not written by tinystudio codegen"):
        generate(suite_model("ds_cnn_kws"), folder)
    assert _snapshot(folder) == before


def test_a_damaged_manifest_cannot_delete_outside_the_folder(suite_model, tmp_path):
    folder = tmp_path / "gen"
    generate(suite_model("relu"), folder)
    outside = tmp_path / "precious.c"
    outside.write_text("keep\n")
    with (folder / MANIFEST).open("a") as manifest:
        manifest.write("../precious.c\n")
    generate(suite_model("relu"), folder)
    assert outside.read_text() == "keep\n"


def test_a_folder_written_before_manifests_is_regenerated_in_place(suite_model, tmp_path):
    """Deploy's cache from an earlier version (model*.c/h and tsk_* files, no manifest) stays usable."""
    folder = tmp_path / "cache-model"
    folder.mkdir()
    (folder / "model.h").write_text("/* Generated model interface. */\n#ifndef TS_MODEL_H\n")
    for name in ("model.c", "model_weights.c", "model_weights.h", "tsk_conv.c", "tsk_conv.h", "tsk_config.h"):
        (folder / name).write_text("/* old */\n")
    report = generate(suite_model("relu"), folder)
    assert {p.name for p in folder.iterdir()} == {*report.files, MANIFEST}


def test_a_users_model_h_is_not_taken_for_an_old_generated_folder(tmp_path, suite_model):
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "model.h").write_text("/* my model */\n")
    (folder / "model.c").write_text("/* mine */\n")
    before = _snapshot(folder)
    with pytest.raises(UserError, match="not empty"):
        generate(suite_model("relu"), folder)
    assert _snapshot(folder) == before
