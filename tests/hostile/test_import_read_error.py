"""A file whose reading fails part way (a USB stick pulled, a network share dropped, a failing disk: EIO):
importing it as WAV printed an OSError traceback. Now every format says in one line which file could not be
read and why. /proc/self/mem is a real file whose reading fails with EIO."""

from __future__ import annotations

from pathlib import Path

import pytest

from cli_helpers import run_cli


@pytest.mark.parametrize("fmt", ["csv", "wav", "ei-json", "ei-cbor"])
def test_a_read_error_is_one_line(tmp_path: Path, fmt: str):
    project = tmp_path / "p.tsproj"
    assert run_cli("new", str(project))[0] == 0
    code, _out, err = run_cli("import", str(project), "/proc/self/mem", "--format", fmt, "--label", "a")
    assert code != 0 and "Traceback" not in err and err.count("\n") == 1, err
    assert "Input/output error" in err and "mem" in err
