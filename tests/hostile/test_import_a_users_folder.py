"""`tinystudio import P FOLDER` on a folder as users keep them: a README.txt and a settings .json beside the
recordings, a Mac's hidden '._walk.1.csv' twin and a notebook's hidden checkpoint copy, a file whose name is
not UTF-8 (written under another encoding). Before, the README refused the whole import ("README.txt has a
header but no data rows"), the hidden copies were imported as recordings (a checkpoint copy is the same
recording twice, which a split can put on both sides), and the non-UTF-8 name stopped the import with a
UnicodeEncodeError traceback (or, without --label, a label "with control characters")."""

from __future__ import annotations

import os
from pathlib import Path

from cli_helpers import run_cli
from tinystudio.core.store import Project


def _recording(path: Path | bytes, base: float) -> None:
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("timestamp,x\n" + "".join(f"{10 * i},{base + i}\n" for i in range(20)))


def test_a_users_folder_imports_its_recordings_and_names_what_it_skipped(tmp_path: Path):
    folder = tmp_path / "data"
    (folder / "walk").mkdir(parents=True)
    (folder / ".ipynb_checkpoints").mkdir()
    _recording(folder / "walk" / "walk.1.csv", 1)
    _recording(folder / "idle.1.csv", 50)
    _recording(folder / ".ipynb_checkpoints" / "idle.1-checkpoint.csv", 50)
    (folder / "walk" / "._walk.1.csv").write_bytes(b"\x00\x05\x16\x07\x00\x02\x00\x00Mac OS X        ")
    (folder / "README.txt").write_text("Recorded on the bench, see notes\n")
    (folder / "settings.json").write_text('{"gain": 2}\n')
    project = tmp_path / "p.tsproj"
    assert run_cli("new", str(project))[0] == 0

    code, out, err = run_cli("import", str(project), str(folder))

    assert code == 0, err
    assert "README.txt" in out and "settings.json" in out and "skipped 2 file(s)" in out
    with Project.open(project) as p:
        assert sorted((s.name, s.label) for s in p.samples()) == [("idle.1.csv", "idle"), ("walk.1.csv", "walk")]


def test_a_readme_named_on_the_command_line_is_still_refused(tmp_path: Path):
    (tmp_path / "README.txt").write_text("notes\n")
    project = tmp_path / "p.tsproj"
    assert run_cli("new", str(project))[0] == 0
    code, _out, err = run_cli("import", str(project), str(tmp_path / "README.txt"))
    assert code != 0 and "README.txt" in err and "Traceback" not in err


def test_a_file_name_that_is_not_utf8_imports_with_a_readable_name(tmp_path: Path):
    folder = tmp_path / "data"
    folder.mkdir()
    _recording(os.path.join(os.fsencode(folder), b"caf\xe9.1.csv"), 1)  # Latin-1 'café'
    project = tmp_path / "p.tsproj"
    assert run_cli("new", str(project))[0] == 0

    code, _out, err = run_cli("import", str(project), str(folder), "--label", "coffee")
    assert code == 0, err
    code, _out, err = run_cli("import", str(project), str(folder))
    assert code == 0, err

    with Project.open(project) as p:
        shown = "caf\ufffd.1.csv"
        assert [(s.name, s.label) for s in p.samples()] == [(shown, "coffee"), (shown, "caf\ufffd")]
        assert p.load_signal(1)[3, 0] == 4
