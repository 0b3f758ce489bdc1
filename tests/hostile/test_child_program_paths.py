"""Children started through setpriv find their program as Popen does. A child named by a relative path
('./tool.sh') started in a relative working folder ('sub'): Popen runs
sub/tool.sh, but since children start through setpriv the path was resolved against 'sub' once in the parent
and once more by setpriv inside 'sub', so the child failed with exit status 127 ('failed to execute
sub/./tool.sh'). Now it runs, as with Popen, also from a folder whose name holds a space."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from tinystudio.core import children


def test_relative_program_in_a_relative_cwd_runs_as_with_popen(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    root = tmp_path / "a folder"
    (root / "sub").mkdir(parents=True)
    tool = root / "sub" / "tool.sh"
    tool.write_text('#!/bin/sh\necho "ran in $(pwd) with $1"\n')
    tool.chmod(0o755)
    monkeypatch.chdir(root)
    expected = subprocess.run(["./tool.sh", "x y"], cwd="sub", capture_output=True, text=True, timeout=30)
    got = children.run(["./tool.sh", "x y"], cwd="sub", text=True, timeout=30)
    assert (got.returncode, got.stdout) == (expected.returncode, expected.stdout) == (0, f"ran in {root / 'sub'} "
                                                                                      "with x y\n")
    assert os.getcwd() == str(root)


def test_a_program_that_is_not_executable_is_refused_as_popen_refuses_it(tmp_path: Path):
    """A file without the execute bit was reported as missing ('No such file or directory'), so a user who
    pointed a tool at it was told to install what was there; Popen says 'Permission denied'."""
    tool = tmp_path / "tool with space.sh"
    tool.write_text("#!/bin/sh\necho hi\n")
    tool.chmod(0o644)
    with pytest.raises(PermissionError) as expected:
        subprocess.run([str(tool)], capture_output=True, timeout=30)
    with pytest.raises(PermissionError) as got:
        children.run([str(tool)], timeout=30)
    assert got.value.errno == expected.value.errno
    with pytest.raises(FileNotFoundError):
        children.run([str(tmp_path / "missing.sh")], timeout=30)
